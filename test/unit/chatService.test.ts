// ChatService over the real openai SDK and real HTTP to the loopback test server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationStore } from '../../src/core/conversations/store';
import { MemoryStore } from '../../src/core/cache/memoryStore';
import { ResponseCache } from '../../src/core/cache/responseCache';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChatSink } from '../../src/core/chat/chatInterfaces';
import { ChatService } from '../../src/core/chat/chatService';
import { OpenAIChatClient } from '../../src/core/api/openaiClient';
import { silentLogger, systemClock } from '../../src/core/ports';
import { DEFAULT_RETRY_POLICY } from '../../src/core/api/retry';
import { resolveModel } from '../../src/core/tokens/models';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import { DEFAULT_TIMEOUTS } from '../../src/core/api/streamWatchdog';
import type { ChatMessage } from '../../src/shared/conversation';
import type { ErrorView } from '../../src/shared/errors';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

class RecordingSink implements ChatSink {
  events: string[] = [];
  deltas: string[] = [];
  final?: ChatMessage;
  failure?: ErrorView;
  started() {
    this.events.push('started');
  }
  delta(t: string) {
    this.deltas.push(t);
  }
  done(a: ChatMessage) {
    this.events.push('done');
    this.final = a;
  }
  error(e: ErrorView, a?: ChatMessage) {
    this.events.push('error');
    this.failure = e;
    this.final = a;
  }
  removed(id: string) {
    this.events.push(`removed:${id}`);
  }
  retrying() {
    this.events.push('retrying');
  }
  notices: string[] = [];
  notice(t: string) {
    this.notices.push(t);
  }
}

describe('ChatService', () => {
  let server: FakeOpenAIServer;
  let n = 0;
  const tokenizers = new Tokenizers();
  const dirs: string[] = [];
  const newStore = () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-chat-'));
    dirs.push(root);
    return new ConversationStore({
      root,
      logger: silentLogger,
      clock: systemClock,
      newId: (p) => `${p}${n++}`,
      debounceMs: 20,
    });
  };
  const baseDeps = () => ({
    client: new OpenAIChatClient(),
    endpoint: async () => ({ baseUrl: server.baseUrl, apiKey: 'sk-unit-test-key-123456' }),
    tokenizers,
    resolveModel: (id: string) => resolveModel(id),
    settings: () => ({
      model: 'gpt-4o-mini',
      systemPrompt: 'Be brief.',
      maxReplyTokens: 1000,
      retryPolicy: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 },
      timeouts: DEFAULT_TIMEOUTS,
    }),
    logger: silentLogger,
    clock: systemClock,
    newId: (p: string) => `${p}${n++}`,
  });
  const service = () =>
    new ChatService({
      client: new OpenAIChatClient(),
      endpoint: async () => ({ baseUrl: server.baseUrl, apiKey: 'sk-unit-test-key-123456' }),
      tokenizers,
      resolveModel: (id) => resolveModel(id),
      store: newStore(),
      settings: () => ({
        model: 'gpt-4o-mini',
        systemPrompt: 'Be brief.',
        maxReplyTokens: 1000,
        retryPolicy: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 },
        timeouts: DEFAULT_TIMEOUTS,
      }),
      logger: silentLogger,
      clock: systemClock,
      newId: (p) => `${p}${n++}`,
    });
  before(async () => {
    server = await FakeOpenAIServer.start();
  });
  beforeEach(() => server.reset());
  after(async () => {
    await server.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('streams a reply, records usage, sends system + history', async () => {
    const s = service();
    const sink = new RecordingSink();
    await s.send('r1', 'hello', sink);
    assert.deepEqual(sink.events, ['started', 'done']);
    assert.equal(sink.deltas.join(''), 'Echo: hello');
    assert.equal(sink.final?.status, 'complete');
    assert.equal(sink.final?.usage?.promptTokens, server.requests[0].promptTokens);
    const body = server.requests[0].body as { messages: unknown[] };
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello' },
    ]);
    assert.equal(s.history.length, 2);
  });

  it('cancel aborts at once and keeps the partial reply', { timeout: 120_000 }, async () => {
    // The stream stalls after two chunks until the client hangs up, and the idle limit (90 s) is far off: the send
    // can settle as 'stopped' only through cancel, so no wall-clock bound is needed (the timeout only ends a hang).
    server.enqueue({ text: 'x'.repeat(400), chunkSize: 10, stallAfterChunks: 2 });
    const s = service();
    const sink = new RecordingSink();
    const sending = s.send('r2', 'go', sink);
    while (sink.deltas.length < 2) await new Promise((r) => setTimeout(r, 10));
    assert.equal(s.cancel('r2'), true);
    await sending;
    assert.equal(sink.final?.status, 'stopped');
    assert.equal(sink.final!.content, 'x'.repeat(20), 'the two chunks that arrived are kept');
    assert.equal((await server.waitForSettled(0)).clientClosedEarly, true);
    assert.equal(s.busyRequestId, undefined);
  });

  it('a failure before any token keeps no empty reply; after tokens keeps the partial one as interrupted', async () => {
    server.enqueue({ status: 400, error: { message: 'bad thing', type: 'invalid_request_error', code: null } });
    const s = service();
    const early = new RecordingSink();
    await s.send('r3', 'one', early);
    assert.equal(early.failure?.kind, 'badRequest');
    assert.match(early.failure?.message ?? '', /bad thing/);
    assert.deepEqual(
      s.history.map((m) => m.role),
      ['user'],
    );

    server.enqueue({ text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 5, dropAfterChunks: 2 });
    const late = new RecordingSink();
    await s.send('r4', 'two', late);
    assert.equal(late.final?.status, 'interrupted');
    assert.equal(late.final?.content, 'abcdefghij');
    assert.equal(s.history.at(-1)?.content, 'abcdefghij');
  });

  it('retry replaces the last turn and its reply instead of duplicating them', async () => {
    const s = service();
    server.enqueue({ text: 'partial answer', dropAfterChunks: 1, chunkSize: 4 });
    await s.send('r5', 'question', new RecordingSink());
    assert.equal(s.history.length, 2);
    const sink = new RecordingSink();
    await s.retry('r6', sink);
    assert.match(sink.events[0], /^removed:m\d+$/);
    assert.deepEqual(
      s.history.map((m) => [m.role, m.content]),
      [
        ['user', 'question'],
        ['assistant', 'Echo: question'],
      ],
    );
    const bodies = server.requests.map((r) => (r.body as { messages: { role: string }[] }).messages.length);
    assert.deepEqual(bodies, [2, 2], 'the retried request does not carry the failed turn twice');
  });

  it('says before sending when the request will not fit in the rate-limit headroom', async () => {
    const s = service();
    server.enqueue({
      headers: {
        'x-ratelimit-remaining-tokens': '5',
        'x-ratelimit-reset-tokens': '30s',
        'x-ratelimit-remaining-requests': '10',
      },
    });
    const first = new RecordingSink();
    await s.send('h1', 'first', first);
    assert.deepEqual(first.notices, [], 'nothing known before the first response');
    const second = new RecordingSink();
    await s.send('h2', 'a question long enough to need more than five tokens', second);
    assert.equal(second.notices.length, 1);
    assert.match(second.notices[0], /only 5 remain in the rate-limit window for about 30 s/);
  });

  it('the estimate of a draft equals the prompt tokens the server counts for the request it becomes', async () => {
    const s = service();
    await s.send('e1', 'What does `Array.prototype.flatMap` do?', new RecordingSink());
    const draft = 'And how is it different from map + flat — in one sentence, with a 例え?';
    const estimate = await s.estimate(draft);
    await s.send('e2', draft, new RecordingSink());
    const counted = server.requests[1].promptTokens;
    assert.ok(counted && counted > 20);
    assert.equal(estimate.promptTokens, counted);
    assert.equal(estimate.model.id, 'gpt-4o-mini');
    // gpt-4o-mini: $0.15 in / $0.60 out per 1M; reply budget 1000 tokens
    assert.ok(Math.abs((estimate.minUsd ?? 0) - (counted * 0.15) / 1e6) < 1e-12);
    assert.ok(Math.abs((estimate.maxUsd ?? 0) - (counted * 0.15 + 1000 * 0.6) / 1e6) < 1e-12);
    assert.equal((server.requests[1].body as { max_completion_tokens?: number }).max_completion_tokens, 1000);
  });

  it('an input too large for the context is truncated with a notice, never silently', async () => {
    const s = new ChatService({
      client: new OpenAIChatClient(),
      endpoint: async () => ({ baseUrl: server.baseUrl, apiKey: 'sk-unit-test-key-123456' }),
      tokenizers,
      logger: silentLogger,
      clock: systemClock,
      newId: (p) => `${p}${n++}`,
      store: newStore(),
      resolveModel: (id) =>
        resolveModel(id, { tiny: { contextWindow: 300, maxOutputTokens: 100, encoding: 'o200k_base' } }),
      settings: () => ({
        model: 'tiny',
        systemPrompt: 'Be brief.',
        maxReplyTokens: 100,
        retryPolicy: DEFAULT_RETRY_POLICY,
        timeouts: DEFAULT_TIMEOUTS,
      }),
    });
    const sink = new RecordingSink();
    const huge = Array.from({ length: 400 }, (_, i) => `line ${i} of a long selection`).join('\n');
    await s.send('t1', huge, sink, { inputLabel: 'selection' });
    assert.equal(sink.notices.length, 1);
    assert.match(sink.notices[0], /^Selection truncated from [\d,]+ to [\d,]+ tokens\.$/);
    const sent = server.requests[0];
    assert.ok((sent.promptTokens ?? Infinity) <= 200, `prompt ${sent.promptTokens} within the 200-token budget`);
    const last = (sent.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? '';
    assert.ok(last.endsWith('…[truncated]'));
    assert.equal(s.history[0].content, huge, 'the conversation keeps the whole input');
  });

  it('saves the conversation: a finished reply is on disk for a new store to load', async () => {
    const store = newStore();
    const s = new ChatService({ ...baseDeps(), store });
    await s.send('p1', 'remember me', new RecordingSink());
    const root = store.root;
    const reopened = new ConversationStore({
      root,
      logger: silentLogger,
      clock: systemClock,
      newId: (p) => `${p}${n++}`,
    });
    const loaded = await reopened.load(s.current.id);
    assert.deepEqual(
      loaded?.messages.map((m) => [m.role, m.content, m.status]),
      [
        ['user', 'remember me', undefined],
        ['assistant', 'Echo: remember me', 'complete'],
      ],
    );
    assert.equal(loaded?.title, 'remember me');
  });

  it('a repeated question in a new chat is served from the cache: one request, marked cached', async () => {
    const cache = new ResponseCache({ mode: 'always', store: new MemoryStore(), clock: systemClock });
    const s = new ChatService({ ...baseDeps(), store: newStore(), cache });
    const first = new RecordingSink();
    await s.send('c1', 'cache me', first);
    s.clear();
    const second = new RecordingSink();
    await s.send('c2', 'cache me', second);
    assert.equal(server.requests.length, 1);
    assert.equal(second.deltas.join(''), 'Echo: cache me');
    assert.equal(second.final?.cached, true);
    assert.deepEqual(second.final?.usage, first.final?.usage);
    s.clear();
    await s.send('c3', 'cache me', new RecordingSink(), { bypassCache: true });
    assert.equal(server.requests.length, 2, 'regenerate bypasses the cache');
  });

  it('a budget refuses a request before it is sent, but never a free answer from the cache', async () => {
    const cache = new ResponseCache({ mode: 'always', store: new MemoryStore(), clock: systemClock });
    let refuse = false;
    const accountant = {
      check: () =>
        refuse
          ? {
              refuse: {
                kind: 'budget' as const,
                message: 'Daily budget would be exceeded.',
                actions: ['raiseBudget' as const, 'sendAnyway' as const],
              },
            }
          : {},
      progress: () => {},
      finish: async () => undefined,
    };
    const s = new ChatService({ ...baseDeps(), store: newStore(), cache, accountant });
    await s.send('b1', 'cached question', new RecordingSink());
    refuse = true;
    s.clear();
    const refused = new RecordingSink();
    await s.send('b2', 'a new question', refused);
    assert.equal(refused.failure?.kind, 'budget');
    assert.deepEqual(refused.events, ['error'], 'nothing started');
    assert.equal(s.history.length, 0, 'the refused text is not in the conversation');
    const cached = new RecordingSink();
    await s.send('b3', 'cached question', cached);
    assert.equal(cached.final?.cached, true);
    assert.equal(server.requests.length, 1, 'only the first question reached the server');
  });

  it('refuses a second send while a reply is streaming', async () => {
    server.enqueue({ text: 'slow reply', chunkSize: 2, stallAfterChunks: 1 }); // streams until cancelled
    const s = service();
    const first = s.send('r7', 'a', new RecordingSink());
    while (!s.busyRequestId) await new Promise((r) => setTimeout(r, 5));
    const second = new RecordingSink();
    await s.send('r8', 'b', second);
    assert.match(second.failure?.message ?? '', /still arriving/);
    s.cancel();
    await first;
  });
});
