// A long conversation reaches the panel a page at a time: the host's pages (core/conversations/messagePages.ts), the
// panel's reducer that prepends them (webview/state.ts), the window that asks for them (webview/messageWindow.ts
// wantsOlder), and the protocol message that asks (shared/protocol.ts), together in plain Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OLDER_MESSAGES,
  OPENING_MESSAGES,
  PAGE_CHARS,
  forPanel,
  newestPage,
  pageBefore,
} from '../../src/core/conversations/messagePages';
import type { ChatMessage } from '../../src/shared/conversation';
import { parseWebviewMessage } from '../../src/shared/protocol';
import { PAGE, TAIL, older, wantsOlder, windowRange, type MessageWindow } from '../../src/webview/messageWindow';
import { OlderMessages } from '../../src/webview/olderMessages';
import { initialState, reduce, type PanelState } from '../../src/webview/state';

const config = { model: 'gpt-4o-mini', hasApiKey: true, endpoint: 'http://127.0.0.1:1/v1' };
const conv = { id: 'c1', title: 'Long' };

function messages(n: number): ChatMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 ? ('assistant' as const) : ('user' as const),
    content: `message ${i}`,
    createdAt: i,
    tokenCounts: { o200k_base: 5 + i },
  }));
}

describe('messages sent a page at a time', () => {
  it('opens with the newest messages and the count of older ones, without the host-only token counts', () => {
    const all = messages(2000);
    const page = newestPage(all);
    assert.equal(page.messages.length, OPENING_MESSAGES);
    assert.equal(page.olderCount, 2000 - OPENING_MESSAGES);
    assert.equal(page.messages[0].id, `m${2000 - OPENING_MESSAGES}`);
    assert.equal(page.messages.at(-1)?.id, 'm1999');
    assert.ok(page.messages.every((m) => m.tokenCounts === undefined));
    assert.ok(
      all.every((m) => m.tokenCounts !== undefined),
      'the conversation itself is not changed',
    );
    const short = newestPage(messages(80));
    assert.equal(short.messages.length, 80);
    assert.equal(short.olderCount, 0);
    assert.deepEqual(newestPage([]), { messages: [], olderCount: 0 });
    assert.deepEqual(forPanel(all[3]), { id: 'm3', role: 'assistant', content: 'message 3', createdAt: 3 });
  });

  it('pages before a message until the first, each message once; an unknown message gets undefined', () => {
    const all = messages(1000);
    let page = newestPage(all);
    const seen = [...page.messages];
    let asks = 0;
    while (page.olderCount > 0) {
      const next = pageBefore(all, seen[0].id);
      assert.ok(next, `a page before ${seen[0].id}`);
      assert.ok(next.messages.length <= OLDER_MESSAGES && next.messages.length > 0);
      assert.equal(next.olderCount, page.olderCount - next.messages.length);
      seen.unshift(...next.messages);
      page = next;
      asks++;
    }
    assert.equal(asks, Math.ceil((1000 - OPENING_MESSAGES) / OLDER_MESSAGES));
    assert.deepEqual(
      seen.map((m) => m.id),
      all.map((m) => m.id),
    );
    assert.deepEqual(pageBefore(all, 'm0'), { messages: [], olderCount: 0 });
    assert.equal(pageBefore(all, 'gone'), undefined);
  });

  it('a page of long replies stops at PAGE_CHARS characters of content, with at least one message', () => {
    const big = (n: number, chars: number): ChatMessage[] =>
      messages(n).map((m) => ({ ...m, content: 'x'.repeat(chars) }));
    const replies = big(300, 80_000); // 20,000-token replies
    const opening = newestPage(replies);
    assert.equal(opening.messages.length, Math.floor(PAGE_CHARS / 80_000));
    assert.equal(opening.olderCount, 300 - opening.messages.length);
    const sent = (p: { messages: ChatMessage[] }) => p.messages.reduce((n, m) => n + m.content.length, 0);
    assert.ok(sent(opening) <= PAGE_CHARS);
    const older = pageBefore(replies, opening.messages[0].id)!;
    assert.equal(older.messages.length, opening.messages.length);
    assert.equal(older.olderCount, opening.olderCount - older.messages.length);
    assert.ok(sent(older) <= PAGE_CHARS);
    // One message over the bound on its own is still sent, alone.
    const huge = big(3, PAGE_CHARS * 3);
    assert.deepEqual(
      newestPage(huge).messages.map((m) => m.id),
      ['m2'],
    );
    assert.deepEqual(
      pageBefore(huge, 'm2')!.messages.map((m) => m.id),
      ['m1'],
    );
    assert.equal(pageBefore(huge, 'm2')!.olderCount, 1);
  });

  it('the panel prepends the answer for its conversation and first message only', () => {
    const all = messages(600);
    let s: PanelState = reduce(initialState, { type: 'init', config, conversation: conv, ...newestPage(all) });
    assert.equal(s.olderCount, 600 - OPENING_MESSAGES);
    const first = s.messages[0].id;
    const answer = { type: 'conversation/older' as const, conversationId: 'c1', beforeId: first };
    // Another conversation's answer, or one for a message that is not first any more: nothing changes.
    assert.equal(reduce(s, { ...answer, conversationId: 'c2', ...pageBefore(all, first)! }), s);
    assert.equal(reduce(s, { ...answer, beforeId: 'm599', ...pageBefore(all, 'm599')! }), s);
    const next = reduce(s, { ...answer, ...pageBefore(all, first)! });
    assert.equal(next.messages.length, OPENING_MESSAGES + OLDER_MESSAGES);
    assert.equal(next.olderCount, 600 - OPENING_MESSAGES - OLDER_MESSAGES);
    assert.equal(next.messages[OLDER_MESSAGES], s.messages[0], 'the messages it had are kept as they were');
    assert.equal(reduce(next, { ...answer, ...pageBefore(all, first)! }), next, 'the same answer twice: once');
    s = next;
    // A send keeps the count; a new chat or another conversation replaces it.
    const user: ChatMessage = { id: 'u', role: 'user', content: 'q', createdAt: 1 };
    const assistant: ChatMessage = { id: 'a', role: 'assistant', content: '', createdAt: 2, status: 'streaming' };
    s = reduce(s, { type: 'chat/started', requestId: 'r1', user, assistant });
    assert.equal(s.olderCount, 600 - OPENING_MESSAGES - OLDER_MESSAGES);
    assert.equal(reduce(s, { type: 'chat/cleared', conversation: { id: 'c2', title: 'n' } }).olderCount, undefined);
    const opened = reduce(s, { type: 'conversation/opened', conversation: { id: 'c3', title: 't' }, messages: [] });
    assert.equal(opened.olderCount, undefined);
    // The last answer has nothing older: the count goes.
    const emptied = reduce(s, { ...answer, beforeId: s.messages[0].id, messages: [], olderCount: 0 });
    assert.equal(emptied.olderCount, undefined);
    assert.equal(emptied.messages.length, s.messages.length);
  });

  it('scrolling up asks once per page of the host, ahead of the window, and reaches the first of 2,000', () => {
    const all = messages(2000);
    let s: PanelState = reduce(initialState, { type: 'init', config, conversation: conv, ...newestPage(all) });
    let w: MessageWindow = TAIL;
    assert.equal(wantsOlder(w, s.messages.length, s.olderCount ?? 0), false, 'opening asks for nothing');
    let asks = 0;
    let stalls = 0;
    for (let step = 0; step < 100; step++) {
      // The panel's loop: ask when the window nears the loaded start, answer at once (the host), then move.
      if (wantsOlder(w, s.messages.length, s.olderCount ?? 0)) {
        asks++;
        const beforeId = s.messages[0].id;
        s = reduce(s, { type: 'conversation/older', conversationId: 'c1', beforeId, ...pageBefore(all, beforeId)! });
      }
      const next = older(w, s.messages.length);
      if (next === w) {
        if (!s.olderCount) break;
        stalls++;
      }
      w = next;
    }
    assert.equal(stalls, 0, 'the window never waited at the loaded start: the page it needed was asked for ahead');
    assert.equal(asks, Math.ceil((2000 - OPENING_MESSAGES) / OLDER_MESSAGES));
    assert.equal(windowRange(w, s.messages.length).start, 0);
    assert.deepEqual(
      s.messages.map((m) => m.id),
      all.map((m) => m.id),
    );
    assert.ok(OPENING_MESSAGES >= 2 * PAGE, 'opening leaves a page to read before the first ask');
  });

  it('validates the ask: ids only, nothing else', () => {
    const ok = { type: 'conversation/more', conversationId: 'c1', beforeId: 'long-m120' };
    assert.equal(parseWebviewMessage(ok).ok, true);
    for (const bad of [
      { ...ok, beforeId: '../x' },
      { ...ok, beforeId: '' },
      { ...ok, beforeId: 'x'.repeat(129) },
      { ...ok, conversationId: 'a/b' },
      { ...ok, count: 100000 },
      { type: 'conversation/more', conversationId: 'c1' },
    ])
      assert.equal(parseWebviewMessage(bad).ok, false, JSON.stringify(bad).slice(0, 80));
  });
});

describe('the panel asks for older messages', () => {
  it('once per first message loaded, again when they came, never when none are left or after a switch', () => {
    const asks: string[] = [];
    const older = new OlderMessages((c, before) => asks.push(`${c}:${before}`));
    older.update('c1', 'm1840', 1840);
    older.want();
    older.want(); // a scroll and a paint both want them: one ask
    assert.deepEqual(asks, ['c1:m1840']);
    assert.equal(older.update('c1', 'm1840', 1840), false, 'a paint before the answer: nothing came');
    older.want();
    assert.equal(asks.length, 1);
    assert.equal(older.update('c1', 'm1600', 1600), true, 'the answer came');
    older.want();
    assert.deepEqual(asks, ['c1:m1840', 'c1:m1600']);
    // Another conversation: what was asked for the first one is forgotten.
    assert.equal(older.update('c2', 'x160', 40), false);
    older.want();
    assert.deepEqual(asks.at(-1), 'c2:x160');
    older.update('c2', 'x0', 0);
    older.want();
    older.update('c3', undefined, 5);
    older.want();
    assert.equal(asks.length, 3, 'nothing older, or no first message: no ask');
    assert.equal(older.asks, 3);
  });
});
