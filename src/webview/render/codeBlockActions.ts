// The bar above each code block in a reply: Copy (in the panel), and Insert at Cursor, Replace Selection and Save as
// New File, which the host does with the editor (src/host/codeBlockActions.ts). The buttons carry no listeners of
// their own: one listener on the message list handles every bar, however many replies are on screen.
import { MAX_CODE_BLOCK_CHARS, type CodeBlockAction, type WebviewToHost } from '../../shared/protocol';
import { fenceTag } from './codeLanguage';

const BUTTONS: { action: CodeBlockAction | 'copy'; label: string; title: string }[] = [
  { action: 'copy', label: 'Copy', title: 'Copy the code' },
  { action: 'insert', label: 'Insert', title: 'Insert at the cursor in the editor' },
  { action: 'replace', label: 'Replace…', title: "Replace the editor's selection (shows the diff first)" },
  { action: 'newFile', label: 'New File', title: 'Open the code as a new untitled file' },
];

/** Puts the action bar above every code block under `root`. */
export function addCodeActions(root: ParentNode): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    if (!pre.querySelector('code')) continue;
    const bar = document.createElement('div');
    bar.className = 'code-actions';
    for (const b of BUTTONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `code-${b.action}`;
      button.dataset.codeAction = b.action;
      button.textContent = b.label;
      button.title = b.title;
      bar.append(button);
    }
    pre.before(bar);
  }
}

/** Handles clicks on the bars' buttons under `root`. */
export function routeCodeBlockClicks(root: HTMLElement, post: (msg: WebviewToHost) => void): void {
  root.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest<HTMLButtonElement>('button[data-code-action]') : null;
    const pre = button?.parentElement?.nextElementSibling;
    const code = pre?.tagName === 'PRE' ? pre.querySelector('code') : null;
    if (!button || !code || !root.contains(button)) return;
    const text = code.textContent ?? '';
    const action = button.dataset.codeAction;
    if (action === 'copy') {
      void navigator.clipboard.writeText(text).then(() => {
        button.textContent = 'Copied';
      });
    } else if (e.isTrusted && (action === 'insert' || action === 'replace' || action === 'newFile')) {
      // The host refuses a longer block (a reply can be made longer with tally.maxReplySizeKB): say so here.
      if (text.length > MAX_CODE_BLOCK_CHARS) {
        button.textContent = 'Too long: use Copy';
        button.disabled = true;
        return;
      }
      post({ type: 'code/action', action, code: text, language: fenceTag(code.className) });
    }
  });
}
