// Where the list was scrolled to comes back when the panel is opened again: which message's page is shown, and
// waiting for a message older than what the host sent (webview/restoreTarget.ts), in plain Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../src/shared/conversation';
import { restoreTarget } from '../../src/webview/restoreTarget';

const page = (from: number, to: number): ChatMessage[] =>
  Array.from({ length: to - from }, (_, k) => ({ id: `m${from + k}`, role: 'user', content: '', createdAt: 0 }));

describe('scroll restore target', () => {
  it('waits for an older message of its own conversation while the host has older ones, then shows its page', () => {
    const anchor = { id: 'm79', offset: -300, conversationId: 'c1' };
    assert.equal(restoreTarget(anchor, page(1840, 2000), false, 'c1', true), 'older');
    assert.equal(restoreTarget(anchor, page(1600, 2000), false, 'c1', true), 'older');
    assert.equal(restoreTarget(anchor, page(0, 2000), false, 'c1', false), 79);
    assert.equal(restoreTarget(anchor, page(0, 2000), false, 'c1', true), 79, 'found: no need for more');
  });

  it('does not wait for a message of another conversation, one saved without its conversation, or none left', () => {
    const cases = [
      [{ id: 'm5', offset: 0, conversationId: 'c2' }, 'c1', true],
      [{ id: 'm5', offset: 0 }, 'c1', true],
      [{ id: 'm5', offset: 0, conversationId: 'c1' }, 'c1', false],
      [{ id: 'm5', offset: 0, conversationId: 'c1' }, undefined, true],
    ] as const;
    for (const [anchor, conversationId, more] of cases)
      assert.equal(restoreTarget(anchor, page(100, 260), false, conversationId, more), 'drop', JSON.stringify(anchor));
  });

  it('a streaming reply drops the position (the list returns to the end)', () => {
    const anchor = { id: 'm150', offset: 0, conversationId: 'c1' };
    assert.equal(restoreTarget(anchor, page(100, 260), true, 'c1', true), 'drop');
    assert.equal(restoreTarget(anchor, page(100, 260), false, 'c1', true), 50);
  });
});
