// The webview's pure reducer: host messages -> panel state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../src/shared/conversation';
import { initialState, reduce, type PanelState } from '../../src/webview/state';
import { formatUsage } from '../../src/webview/format';

const config = { model: 'gpt-4o-mini', hasApiKey: true, endpoint: 'http://127.0.0.1:1/v1' };
const user: ChatMessage = { id: 'u1', role: 'user', content: 'hi', createdAt: 1 };
const assistant: ChatMessage = { id: 'a1', role: 'assistant', content: '', createdAt: 2, status: 'streaming' };

function streaming(): PanelState {
  let s = reduce(initialState, {
    type: 'init',
    config,
    conversation: { id: 'c1', title: 'New conversation' },
    messages: [],
  });
  s = reduce(s, { type: 'chat/started', requestId: 'r1', user, assistant });
  return s;
}

describe('panel reducer', () => {
  it('appends deltas to the streaming reply of the same request only', () => {
    let s = streaming();
    s = reduce(s, { type: 'chat/delta', requestId: 'r1', text: 'Hel' });
    s = reduce(s, { type: 'chat/delta', requestId: 'other', text: 'XXX' });
    s = reduce(s, { type: 'chat/delta', requestId: 'r1', text: 'lo' });
    assert.equal(s.messages.at(-1)?.content, 'Hello');
    assert.equal(s.busyRequestId, 'r1');
  });

  it('done replaces the reply with the final one and clears busy', () => {
    let s = reduce(streaming(), { type: 'chat/delta', requestId: 'r1', text: 'Hel' });
    const final = {
      ...assistant,
      content: 'Hello',
      status: 'complete' as const,
      usage: { promptTokens: 9, completionTokens: 2, totalTokens: 11 },
    };
    s = reduce(s, { type: 'chat/done', requestId: 'r1', assistant: final });
    assert.equal(s.busyRequestId, undefined);
    assert.deepEqual(s.messages, [user, final]);
  });

  it('an error before any token drops the empty reply; after tokens it keeps the partial one', () => {
    const error = { kind: 'server' as const, message: 'boom', actions: ['retry' as const] };
    const early = reduce(streaming(), { type: 'chat/error', requestId: 'r1', error });
    assert.deepEqual(early.messages, [user]);
    assert.equal(early.error?.error.kind, 'server');
    const partial = { ...assistant, content: 'Hel', status: 'interrupted' as const };
    const late = reduce(reduce(streaming(), { type: 'chat/delta', requestId: 'r1', text: 'Hel' }), {
      type: 'chat/error',
      requestId: 'r1',
      error,
      assistant: partial,
    });
    assert.deepEqual(late.messages, [user, partial]);
    assert.equal(late.busyRequestId, undefined);
  });

  it('removed cuts the conversation from a message on (retry never duplicates)', () => {
    let s = reduce(streaming(), {
      type: 'chat/done',
      requestId: 'r1',
      assistant: { ...assistant, content: 'x', status: 'interrupted' },
    });
    s = reduce(s, { type: 'chat/removed', fromMessageId: 'u1' });
    assert.deepEqual(s.messages, []);
  });

  it('a new API key clears the no-key error; cleared empties the conversation', () => {
    let s = reduce(streaming(), {
      type: 'chat/error',
      requestId: 'r1',
      error: { kind: 'noApiKey', message: 'no key', actions: ['setApiKey'] },
    });
    s = reduce(s, { type: 'config/changed', config: { ...config, hasApiKey: true } });
    assert.equal(s.error, undefined);
    s = reduce(s, { type: 'chat/cleared', conversation: { id: 'c2', title: 'New conversation' } });
    assert.equal(s.conversation?.id, 'c2');
    assert.deepEqual(s.messages, []);
    assert.deepEqual(s.config, config);
  });

  it('formats usage with thousands separators and marks estimates', () => {
    assert.equal(
      formatUsage({ promptTokens: 12345, completionTokens: 678, totalTokens: 13023 }),
      '12,345 in · 678 out tokens',
    );
    assert.equal(
      formatUsage({ promptTokens: 10, completionTokens: 2, totalTokens: 12, cachedPromptTokens: 4, estimated: true }),
      '10 in (4 cached) · 2 out tokens (estimated)',
    );
  });
});
