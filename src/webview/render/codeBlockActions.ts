// The bar above each code block in a reply: Copy (in the panel), and Insert at Cursor, Replace Selection and Save as
// New File, which the host does with the editor (src/host/codeBlockActions.ts). The buttons carry no listeners of
// their own: one listener on the message list handles every bar, however many replies are on screen.
import * as l10n from '@vscode/l10n';
import { MAX_CODE_BLOCK_CHARS, type CodeBlockAction, type WebviewToHost } from '../../shared/protocol';
import { fenceTag } from './codeLanguage';

/** The bar's buttons in the display language (a function: the texts are looked up after the bundle is loaded). */
function buttons(): { action: CodeBlockAction | 'copy'; label: string; title: string }[] {
  return [
    { action: 'copy', label: l10n.t('Copy'), title: l10n.t('Copy the code') },
    { action: 'insert', label: l10n.t('Insert'), title: l10n.t('Insert at the cursor in the editor') },
    {
      action: 'replace',
      label: l10n.t('Replace…'),
      title: l10n.t("Replace the editor's selection (shows the diff first)"),
    },
    { action: 'newFile', label: l10n.t('New File'), title: l10n.t('Open the code as a new untitled file') },
  ];
}

/** Puts the action bar above every code block under `root`. */
export function addCodeActions(root: ParentNode): void {
  const pres = Array.from(root.querySelectorAll('pre')).filter((pre) => pre.querySelector('code'));
  if (pres.length === 0) return;
  const labels = buttons();
  for (const pre of pres) {
    const bar = document.createElement('div');
    bar.className = 'code-actions';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', l10n.t('Code block actions'));
    for (const b of labels) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `code-${b.action}`;
      button.dataset.codeAction = b.action;
      button.textContent = b.label;
      button.title = b.title;
      bar.append(button);
    }
    pre.before(bar);
    // A long line scrolls the block sideways: focusable, so the keyboard can scroll it too (arrow keys; WCAG 2.1.1,
    // axe scrollable-region-focusable).
    pre.tabIndex = 0;
  }
}

/** Handles clicks (and Enter or Space) on the bars' buttons under `root`; `onCopied` runs once the code is copied. */
export function routeCodeBlockClicks(
  root: HTMLElement,
  post: (msg: WebviewToHost) => void,
  onCopied: () => void = () => undefined,
): void {
  root.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest<HTMLButtonElement>('button[data-code-action]') : null;
    const pre = button?.parentElement?.nextElementSibling;
    const code = pre?.tagName === 'PRE' ? pre.querySelector('code') : null;
    if (!button || !code || !root.contains(button)) return;
    const text = code.textContent ?? '';
    const action = button.dataset.codeAction;
    if (action === 'copy') {
      void navigator.clipboard.writeText(text).then(() => {
        button.textContent = l10n.t('Copied');
        onCopied();
      });
    } else if (e.isTrusted && (action === 'insert' || action === 'replace' || action === 'newFile')) {
      // The host refuses a longer block (a reply can be made longer with tally.maxReplySizeKB): say so here.
      if (text.length > MAX_CODE_BLOCK_CHARS) {
        button.textContent = l10n.t('Too long: use Copy');
        button.disabled = true;
        return;
      }
      post({ type: 'code/action', action, code: text, language: fenceTag(code.className) });
    }
  });
}
