// The screen-reader policy of the panel (webview/announcer.ts): a streaming reply is never read piece by piece, its
// end is said once; a retry wait is said once however many seconds it counts down; errors, stops and notices once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../src/shared/conversation';
import type { HostToWebview } from '../../src/shared/protocol';
import { ANNOUNCED_REPLY_CHARS, Announcer, plainReplyText } from '../../src/webview/announcer';
import { initialState, reduce, type PanelState } from '../../src/webview/state';

const user: ChatMessage = { id: 'u1', role: 'user', content: 'Hi', createdAt: 1 };
const assistant: ChatMessage = { id: 'a1', role: 'assistant', content: '', createdAt: 2, status: 'streaming' };
const started: HostToWebview = { type: 'chat/started', requestId: 'r1', user, assistant };

function harness() {
  const said: string[] = [];
  const announcer = new Announcer((text) => said.push(text));
  let state: PanelState = initialState;
  const feed = (msg: HostToWebview, now = 0) => {
    state = reduce(state, msg);
    announcer.observe(state, now);
  };
  return { said, feed, announcer, state: () => state };
}

describe('announcer', () => {
  it('a 1,000-piece stream says nothing; its completion is said exactly once, with tokens and cost', () => {
    const { said, feed, state } = harness();
    feed(started);
    for (let i = 0; i < 1000; i++) feed({ type: 'chat/delta', requestId: 'r1', text: 'word ' });
    assert.equal(said.length, 0);
    const content = state().messages[1].content;
    feed({
      type: 'chat/done',
      requestId: 'r1',
      assistant: {
        ...assistant,
        content,
        status: 'complete',
        usage: { promptTokens: 10, completionTokens: 1000, totalTokens: 1010 },
        costUsd: 0.0031,
      },
    });
    feed({ type: 'conversation/titled', conversation: { id: 'c1', title: 'Hi' } } as HostToWebview);
    assert.equal(said.length, 1);
    assert.match(said[0], /^Reply finished: word word/);
    assert.match(said[0], /10 in · 1,000 out tokens · \$0\.0031\)$/);
    assert.ok(said[0].length < ANNOUNCED_REPLY_CHARS + 100, 'a long reply is cut');
  });

  it('a retry countdown of 10 ticks is said once; the next attempt once more', () => {
    const { said, feed, announcer, state } = harness();
    feed(started, 0);
    const notice = { reason: 'Rate limited', attempt: 2, of: 4, delayMs: 10_000, until: 10_000 };
    feed({ type: 'chat/retrying', requestId: 'r1', notice }, 0);
    for (let tick = 1; tick <= 10; tick++) announcer.observe(state(), tick * 1000);
    assert.deepEqual(said, ['Rate limited — retrying in 10 s (attempt 2 of 4)']);
    feed({ type: 'chat/retrying', requestId: 'r1', notice: { ...notice, attempt: 3, until: 20_000 } }, 15_000);
    assert.equal(said.length, 2);
    assert.match(said[1], /in 5 s \(attempt 3 of 4\)/);
  });

  it('a stop is said once, an error once, and an interrupted reply only by its error', () => {
    const { said, feed } = harness();
    feed(started);
    feed({ type: 'chat/delta', requestId: 'r1', text: 'part' });
    feed({ type: 'chat/done', requestId: 'r1', assistant: { ...assistant, content: 'part', status: 'stopped' } });
    assert.deepEqual(said, ['Reply stopped.']);
    feed({ ...started, requestId: 'r2', assistant: { ...assistant, id: 'a2' } });
    feed({ type: 'chat/delta', requestId: 'r2', text: 'half' });
    const error = { kind: 'network', message: 'The connection failed.', actions: ['retry'] } as const;
    feed({
      type: 'chat/error',
      requestId: 'r2',
      error: error as never,
      assistant: { ...assistant, id: 'a2', content: 'half', status: 'interrupted' },
    });
    assert.deepEqual(said, ['Reply stopped.', 'The connection failed.']);
  });

  it('opening a conversation with finished replies says nothing', () => {
    const { said, feed } = harness();
    feed({
      type: 'conversation/opened',
      conversation: { id: 'c2', title: 'Old' },
      messages: [user, { ...assistant, content: 'Old answer', status: 'complete' }],
    } as HostToWebview);
    assert.deepEqual(said, []);
  });

  it('a cached reply says so', () => {
    const { said, feed } = harness();
    feed(started);
    feed({
      type: 'chat/done',
      requestId: 'r1',
      assistant: { ...assistant, content: 'Yes', status: 'complete', cached: true },
    });
    assert.deepEqual(said, ['Reply from the cache: Yes']);
  });
});

describe('plainReplyText', () => {
  it('drops markdown marks and keeps link text', () => {
    assert.equal(
      plainReplyText('# Title\n\n**Bold** and `code` and [a link](https://x.example)\n\n```ts\nconst a = 1;\n```'),
      'Title Bold and code and a link const a = 1;',
    );
  });

  it('cuts at the limit with an ellipsis, reading a bounded slice of a huge reply', () => {
    const text = plainReplyText('x'.repeat(5_000_000), 400);
    assert.equal(text, `${'x'.repeat(400)}…`);
    assert.equal(plainReplyText('short'), 'short');
  });
});
