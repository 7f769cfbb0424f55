// The reply size limit, through the real openai SDK over real HTTP to the loopback server: a hostile endpoint
// streaming more than the limit is cut off with a clear error, the part that arrived is kept, nothing is retried and
// the connection is closed; a reply under the limit is untouched; a cached reply over the limit is not served.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OpenAIChatClient } from '../../src/core/api/openaiClient';
import {
  DEFAULT_MAX_REPLY_CHARS,
  streamReply,
  type AttemptRecord,
  type StreamOutcome,
} from '../../src/core/api/replyStream';
import { DEFAULT_RETRY_POLICY } from '../../src/core/api/retry';
import { DEFAULT_TIMEOUTS } from '../../src/core/api/streamWatchdog';
import { MemoryStore } from '../../src/core/cache/memoryStore';
import { ResponseCache } from '../../src/core/cache/responseCache';
import type { ChatSink } from '../../src/core/chat/chatInterfaces';
import { ChatService } from '../../src/core/chat/chatService';
import { ConversationStore } from '../../src/core/conversations/store';
import { silentLogger, systemClock } from '../../src/core/ports';
import { resolveModel } from '../../src/core/tokens/models';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import type { ChatMessage } from '../../src/shared/conversation';
import type { ErrorView } from '../../src/shared/errors';
import { FakeClock } from '../support/fakeClock';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

const CHUNK = 4 * 1024;
/** `n` characters of varied text (so a cut in the wrong place would show). */
const textOf = (n: number) =>
  'The quick brown fox jumps over the lazy dog 0123456789.\n'.repeat(Math.ceil(n / 56)).slice(0, n);
// A fixed completion count, so the server does not tokenize a megabyte per test.
const BIG = { chunkSize: CHUNK, usage: { completion_tokens: 1 } } as const;

describe('reply size limit', () => {
  let server: FakeOpenAIServer;
  const client = new OpenAIChatClient();
  before(async () => {
    server = await FakeOpenAIServer.start();
  });
  beforeEach(() => server.reset());
  after(() => server.close());

  async function stream(text: string, maxReplyChars?: number, stallAfterChunks?: number) {
    server.enqueue({ text, ...BIG, ...(stallAfterChunks !== undefined ? { stallAfterChunks } : {}) });
    const clock = new FakeClock();
    const attempts: AttemptRecord[] = [];
    const deltas: string[] = [];
    let retries = 0;
    const outcome: StreamOutcome = await streamReply(
      {
        client,
        clock,
        logger: silentLogger,
        random: () => 0.5,
        policy: DEFAULT_RETRY_POLICY,
        // Far above any wait a loaded machine causes: with 10 s, a first-byte timeout fired on a loaded CI machine
        // and the retry got the server's default short reply ('complete' instead of the size error).
        timeouts: { firstByteMs: 120_000, idleMs: 120_000 },
        onAttempt: (r) => attempts.push(r),
        ...(maxReplyChars !== undefined ? { maxReplyChars } : {}),
      },
      'req-big',
      { baseUrl: server.baseUrl, apiKey: 'sk-test-reply-limit' },
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say a lot' }] },
      new AbortController().signal,
      {
        delta: (t) => deltas.push(t),
        retrying: () => {
          retries++;
        },
      },
    );
    return { outcome, text: deltas.join(''), deltas, attempts, retries, waits: clock.sleeps };
  }

  it('a 1 MiB+ reply in 4 KiB chunks ends with the size error; what arrived is kept; no retry; the stream is closed', async () => {
    const sent = textOf(DEFAULT_MAX_REPLY_CHARS + 64 * 1024);
    // The server holds the connection open 4 chunks past the limit: only a client that stops there ends it (one that
    // kept reading would wait for the idle timeout and fail differently).
    const r = await stream(sent, undefined, DEFAULT_MAX_REPLY_CHARS / CHUNK + 4);
    assert.equal(r.outcome.kind, 'failed');
    if (r.outcome.kind !== 'failed') return;
    assert.equal(r.outcome.afterTokens, true, 'kept like a connection dropped after tokens');
    assert.equal(r.outcome.failure.view.kind, 'replyTooLarge');
    assert.equal(r.outcome.failure.retryable, false);
    assert.match(r.outcome.failure.view.message, /size limit of 1024 KB/);
    assert.match(r.outcome.failure.view.message, /tally\.maxReplySizeKB/);
    assert.ok(r.outcome.failure.view.actions.includes('openSettings'));
    assert.equal(r.text.length, DEFAULT_MAX_REPLY_CHARS, 'everything up to the limit is kept');
    assert.equal(r.text, sent.slice(0, DEFAULT_MAX_REPLY_CHARS));
    assert.equal(r.deltas.length, DEFAULT_MAX_REPLY_CHARS / CHUNK, 'no delta after the limit');
    assert.equal(r.retries, 0);
    assert.deepEqual(r.waits, []);
    assert.deepEqual(
      r.attempts.map((a) => a.errorKind),
      ['replyTooLarge'],
    );
    assert.equal(server.requests.length, 1);
    const settled = await server.waitForSettled(0);
    assert.equal(settled.clientClosedEarly, true, 'the client hung up');
  });

  it('a reply just under the limit completes untouched', async () => {
    const sent = textOf(DEFAULT_MAX_REPLY_CHARS - 1);
    const r = await stream(sent);
    assert.equal(r.outcome.kind, 'complete');
    assert.equal(r.text, sent);
    assert.equal(server.requests.length, 1);
  });

  it('a limit from the settings applies; a cut never splits a surrogate pair', async () => {
    const r = await stream(`${'a'.repeat(9)}😀${'b'.repeat(20)}`, 10);
    assert.equal(r.outcome.kind === 'failed' && r.outcome.failure.view.kind, 'replyTooLarge');
    assert.equal(r.text, 'a'.repeat(9), 'the emoji would have needed 11 characters');
    const exact = await stream('c'.repeat(10), 10);
    assert.equal(exact.outcome.kind, 'complete');
  });

  describe('through ChatService', () => {
    let n = 0;
    const dirs: string[] = [];
    after(() => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    class Sink implements ChatSink {
      text = '';
      final?: ChatMessage;
      failure?: ErrorView;
      started() {}
      delta(t: string) {
        this.text += t;
      }
      done(a: ChatMessage) {
        this.final = a;
      }
      error(e: ErrorView, a?: ChatMessage) {
        this.failure = e;
        this.final = a;
      }
      removed() {}
      retrying() {}
      notice() {}
    }

    function service(maxReplyChars: number, cache?: ResponseCache) {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-limit-'));
      dirs.push(root);
      const store = new ConversationStore({
        root,
        logger: silentLogger,
        clock: systemClock,
        newId: (p) => `${p}${n++}`,
        debounceMs: 20,
      });
      const chat = new ChatService({
        client,
        endpoint: async () => ({ baseUrl: server.baseUrl, apiKey: 'sk-test-reply-limit' }),
        tokenizers: new Tokenizers(),
        resolveModel: (id) => resolveModel(id),
        store,
        ...(cache ? { cache } : {}),
        settings: () => ({
          model: 'gpt-4o-mini',
          systemPrompt: '',
          maxReplyTokens: 1000,
          temperature: 0,
          retryPolicy: DEFAULT_RETRY_POLICY,
          timeouts: DEFAULT_TIMEOUTS,
          maxReplyChars,
        }),
        logger: silentLogger,
        clock: systemClock,
        newId: (p) => `${p}${n++}`,
      });
      return { chat, store };
    }

    it('the reply is kept as interrupted, with the size error shown, and saved', async () => {
      const { chat, store } = service(64 * 1024);
      server.enqueue({ text: textOf(256 * 1024), ...BIG });
      const sink = new Sink();
      await chat.send('r1', 'say a lot', sink);
      assert.equal(sink.failure?.kind, 'replyTooLarge');
      assert.match(sink.failure?.message ?? '', /size limit of 64 KB/);
      assert.equal(sink.final?.status, 'interrupted');
      assert.equal(sink.final?.content.length, 64 * 1024);
      assert.equal(sink.text.length, 64 * 1024);
      const saved = await store.load(chat.current.id);
      assert.equal(saved?.messages.at(-1)?.content.length, 64 * 1024);
      assert.equal(server.requests.length, 1, 'not retried');
    });

    it('a cached reply over the limit is not served: the API is asked instead', async () => {
      const cache = new ResponseCache({ mode: 'always', store: new MemoryStore() });
      const big = service(1_000_000, cache);
      server.enqueue({ text: textOf(2_000) });
      await big.chat.send('r2', 'cache me', new Sink());
      assert.equal(cache.stats().stored, 1);
      const small = service(1_000, cache);
      server.enqueue({ text: 'Short.' });
      const sink = new Sink();
      await small.chat.send('r3', 'cache me', sink);
      assert.equal(sink.final?.cached, undefined, 'not a cache hit');
      assert.equal(sink.text, 'Short.');
      assert.equal(server.requests.length, 2);
      assert.equal(cache.stats().misses, 2);
    });
  });
});
