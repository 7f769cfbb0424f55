// The composer's keys (webview/composerKeys.ts): Enter sends, Shift+Enter does not, nothing sends or recalls while an
// input method composes (Chinese input confirms its candidate with Enter), ↑ recalls only in an empty draft box.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { composerKeyAction, IME_KEY_CODE, type ComposerKey } from '../../src/webview/composerKeys';

const key = (k: string, more: Partial<ComposerKey> = {}): ComposerKey => ({
  key: k,
  isComposing: false,
  keyCode: 0,
  shiftKey: false,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...more,
});

it('Enter sends; Shift+Enter is a new line', () => {
  assert.equal(composerKeyAction(key('Enter'), 'hi'), 'send');
  assert.equal(composerKeyAction(key('Enter', { shiftKey: true }), 'hi'), undefined);
});

it('an input method composing owns Enter and ↑ (isComposing, or key code 229)', () => {
  assert.equal(composerKeyAction(key('Enter', { isComposing: true }), '你好'), undefined);
  assert.equal(composerKeyAction(key('Enter', { keyCode: IME_KEY_CODE }), '你好'), undefined);
  assert.equal(composerKeyAction(key('ArrowUp', { isComposing: true }), ''), undefined);
});

it('↑ recalls the last question only in an empty draft box and without modifiers', () => {
  assert.equal(composerKeyAction(key('ArrowUp'), ''), 'recallLastQuestion');
  assert.equal(composerKeyAction(key('ArrowUp'), 'draft'), undefined);
  assert.equal(composerKeyAction(key('ArrowUp', { altKey: true }), ''), undefined);
  assert.equal(composerKeyAction(key('a'), ''), undefined);
});
