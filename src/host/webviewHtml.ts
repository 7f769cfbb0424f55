// The chat panel's HTML: a strict Content-Security-Policy with a per-load nonce; scripts and styles only from the
// extension's dist/ and media/ folders. The panel's language travels in the page as a JSON data block (never
// executed: the CSP stays as strict as it is) with `<html lang>` set to match (shared/panelL10n.ts).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { intlLocaleFor } from '../shared/displayLocale';
import { PANEL_L10N_ID, serializePanelL10n } from '../shared/panelL10n';

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = newNonce()): string {
  const language = vscode.env.language;
  const l10nJson = serializePanelL10n(language, vscode.l10n.bundle ?? {});
  const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${intlLocaleFor(language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'chat.css')}">
<title>Tally</title>
</head>
<body>
<div id="app" data-nonce-checked="true"></div>
<script type="application/json" id="${PANEL_L10N_ID}" nonce="${nonce}">${l10nJson}</script>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}
