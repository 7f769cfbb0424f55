// The lint rule for user-visible English that escapes the l10n bundle (scripts/l10nLint.mjs, wired in
// eslint.config.mjs): prove it reports each kind of literal in the layer where it applies and accepts the l10n.t form,
// codicons and the product's name, by linting small sources as if they stood in src/host and src/webview.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });
const header = "import * as l10n from '@vscode/l10n';\ndeclare const vscode: any, item: any, el: any, n: number;\n";

/** The lines (of `body`, 1-based) where the rule reports. */
async function reported(file: string, body: string): Promise<number[]> {
  const [result] = await eslint.lintText(`${header}export function f() {\n${body}\n}\n`, {
    filePath: path.join(root, file),
  });
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the sample parses');
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-syntax' && /l10n\.t\(\)/.test(m.message))
    .map((m) => m.line - 3);
}

describe('lint: user-visible text goes through l10n.t()', () => {
  it("reports literals in VS Code's messages, quick picks, input boxes and status bar items", async () => {
    const lines = [
      "void vscode.window.showErrorMessage('Could not save the conversation.');",
      'void vscode.window.showWarningMessage(`Budget ${n} reached`);',
      "void vscode.window.showInformationMessage('Saved to ' + n);",
      "void vscode.window.showQuickPick([], { placeHolder: 'Pick a model' });",
      "void vscode.window.showInputBox({ prompt: 'Your API key', password: true });",
      "item.tooltip = 'Click for the usage report';",
      "item.text = '$(pulse) Usage';",
    ];
    assert.deepEqual(await reported('src/host/x.ts', lines.join('\n')), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('accepts the same through l10n.t, and codicons, numbers and the name alone', async () => {
    const lines = [
      "void vscode.window.showErrorMessage(l10n.t('Could not save the conversation.'));",
      "void vscode.window.showWarningMessage(l10n.t('Budget {0} reached', n));",
      "void vscode.window.showInputBox({ prompt: l10n.t('Your API key'), password: true });",
      "item.text = '$(sync~spin)';",
      "item.text = '$(pulse) Tally';",
      'item.text = `$(pulse) ${n}`;',
      "void vscode.window.showWarningMessage(`Tally: ${l10n.t('Budget {0} reached', n)}`);",
    ];
    assert.deepEqual(await reported('src/host/x.ts', lines.join('\n')), []);
  });

  it('reports text put into the DOM in src/webview, not the same code in the host', async () => {
    const lines = [
      "item.textContent = 'Send';",
      "item.setAttribute('aria-label', 'Close');",
      "item.placeholder = 'Ask Tally…';",
      "return el('button', { title: 'Stop the reply', className: 'stop' });",
    ];
    assert.deepEqual(await reported('src/webview/x.ts', lines.join('\n')), [1, 2, 3, 4]);
    assert.deepEqual(await reported('src/host/x.ts', lines.join('\n')), []);
    const translated = [
      "item.textContent = l10n.t('Send');",
      "item.setAttribute('aria-label', l10n.t('Close'));",
      "item.setAttribute('aria-label', '×');",
      "item.setAttribute('data-kind', 'auth');",
      "item.title = '';",
    ];
    assert.deepEqual(await reported('src/webview/x.ts', translated.join('\n')), []);
  });
});
