// The opening of a report page (usage report, API health report): doctype, <html lang> in the display language, the
// page's CSP, its stylesheets and its title, up to <body>. One place, so a change to how report pages declare their
// language or policy reaches both.
import { displayLocale } from '../../shared/displayLocale';
import { escapeXml as esc } from './usageChart';

export function reportPageStart(page: { csp: string; cssUris: readonly string[]; title: string }): string {
  return `<!DOCTYPE html>
<html lang="${esc(displayLocale())}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${page.csp.replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.cssUris.map((u) => `<link rel="stylesheet" href="${esc(u)}">`).join('\n')}
<title>${esc(page.title)}</title>
</head>
<body>`;
}
