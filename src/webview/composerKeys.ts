// What a key in the composer's draft box does, as a pure decision (unit-tested in plain Node; render/composer.ts does
// it): Enter sends, Shift+Enter is a new line, ↑ in an empty box brings back the last question. While an input method
// composes (Chinese, Japanese, Korean), every key belongs to it: Enter then confirms the candidate, it must not send.
// Chromium flags such keys with isComposing; keyCode 229 covers the key that ends a composition on some platforms.

export type ComposerKeyAction = 'send' | 'recallLastQuestion' | undefined;

export interface ComposerKey {
  key: string;
  isComposing: boolean;
  keyCode: number;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/** The key code browsers give every key an input method handles. */
export const IME_KEY_CODE = 229;

export function composerKeyAction(e: ComposerKey, draft: string): ComposerKeyAction {
  if (e.isComposing || e.keyCode === IME_KEY_CODE) return undefined;
  if (e.key === 'Enter' && !e.shiftKey) return 'send';
  const plain = !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey;
  if (e.key === 'ArrowUp' && plain && draft === '') return 'recallLastQuestion';
  return undefined;
}
