// Stream pieces are reduced once per frame, not once per piece: the reducer copies the message list, so reducing per
// piece costs pieces × messages; batched it costs frames × messages. Counted, not timed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../src/shared/conversation';
import { DeltaBatch } from '../../src/webview/deltaBatch';
import { initialState, reduce, type PanelState } from '../../src/webview/state';

const assistant: ChatMessage = { id: 'a1', role: 'assistant', content: '', createdAt: 2, status: 'streaming' };

function streaming(): PanelState {
  const s = reduce(initialState, {
    type: 'init',
    config: { model: 'm', hasApiKey: true, endpoint: 'x' },
    conversation: { id: 'c1', title: 't' },
    messages: [],
  });
  const user: ChatMessage = { id: 'u1', role: 'user', content: 'go', createdAt: 1 };
  return reduce(s, { type: 'chat/started', requestId: 'r1', user, assistant });
}

describe('delta batch', () => {
  it('20,000 pieces in 250 frames cost 250 reductions and give the same text', () => {
    const batch = new DeltaBatch();
    let state = streaming();
    let reductions = 0;
    let expected = '';
    for (let frame = 0; frame < 250; frame++) {
      for (let i = 0; i < 80; i++) {
        const text = `${frame}:${i} `.slice(0, 4);
        expected += text;
        const earlier = batch.add({ type: 'chat/delta', requestId: 'r1', text });
        assert.equal(earlier, undefined, 'pieces of the same request are only queued');
      }
      const queued = batch.take();
      assert.ok(queued);
      state = reduce(state, queued);
      reductions++;
    }
    assert.equal(reductions, 250);
    assert.equal(state.messages.at(-1)?.content, expected);
    assert.equal(batch.take(), undefined, 'nothing is left queued');
  });

  it('hands back the pieces of an earlier request before queueing another one, in order', () => {
    const batch = new DeltaBatch();
    assert.equal(batch.add({ type: 'chat/delta', requestId: 'r1', text: 'ab' }), undefined);
    assert.equal(batch.add({ type: 'chat/delta', requestId: 'r1', text: 'cd' }), undefined);
    assert.deepEqual(batch.add({ type: 'chat/delta', requestId: 'r2', text: 'ef' }), {
      type: 'chat/delta',
      requestId: 'r1',
      text: 'abcd',
    });
    assert.deepEqual(batch.take(), { type: 'chat/delta', requestId: 'r2', text: 'ef' });
  });

  it("a batched reply equals the reply reduced piece by piece (a later request's pieces stay out of it)", () => {
    const pieces = ['He', 'llo', ', ', 'wor', 'ld'];
    let one = streaming();
    for (const text of pieces) one = reduce(one, { type: 'chat/delta', requestId: 'r1', text });
    const batch = new DeltaBatch();
    for (const text of pieces) batch.add({ type: 'chat/delta', requestId: 'r1', text });
    const earlier = batch.add({ type: 'chat/delta', requestId: 'old', text: 'XX' });
    let batched = streaming();
    if (earlier) batched = reduce(batched, earlier);
    batched = reduce(batched, batch.take() ?? { type: 'chat/delta', requestId: 'r1', text: '' });
    assert.equal(batched.messages.at(-1)?.content, one.messages.at(-1)?.content);
    assert.equal(batched.messages.at(-1)?.content, 'Hello, world');
  });

  it('says whether a piece is queued (the panel schedules its next paint when one is)', () => {
    const batch = new DeltaBatch();
    assert.equal(batch.pending, false);
    batch.add({ type: 'chat/delta', requestId: 'r1', text: 'a' });
    assert.equal(batch.pending, true);
    batch.take();
    assert.equal(batch.pending, false);
  });
});
