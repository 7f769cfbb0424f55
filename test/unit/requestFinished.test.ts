// The chat service's metrics hook (onRequestFinished) over the real openai SDK and real HTTP to the loopback server:
// one call per request that reached the reply stage, after the reply was saved, with its attempts and how it ended.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OpenAIChatClient } from '../../src/core/api/openaiClient';
import { DEFAULT_RETRY_POLICY } from '../../src/core/api/retry';
import { MemoryStore } from '../../src/core/cache/memoryStore';
import { ResponseCache } from '../../src/core/cache/responseCache';
import type { ChatSink } from '../../src/core/chat/chatInterfaces';
import { ChatService } from '../../src/core/chat/chatService';
import { ConversationStore } from '../../src/core/conversations/store';
import type { FinishedRequest } from '../../src/core/metrics/makeMetric';
import { silentLogger, systemClock } from '../../src/core/ports';
import { resolveModel } from '../../src/core/tokens/models';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

const events: string[] = [];
const sink: ChatSink = {
  started: () => events.push('started'),
  delta: () => {},
  done: () => events.push('done'),
  error: () => events.push('error'),
  removed: () => {},
  retrying: () => events.push('retrying'),
  notice: () => {},
};

describe('onRequestFinished', () => {
  let server: FakeOpenAIServer;
  let n = 0;
  const dirs: string[] = [];
  const finished: FinishedRequest[] = [];
  let saves = 0;
  const service = (withKey = true) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-finished-'));
    dirs.push(root);
    const store = new ConversationStore({ root, logger: silentLogger, clock: systemClock, newId: (p) => `${p}${n++}` });
    const save = store.save.bind(store);
    store.save = (c) => {
      saves++;
      return save(c);
    };
    return new ChatService({
      client: new OpenAIChatClient(),
      endpoint: async () => (withKey ? { baseUrl: server.baseUrl, apiKey: 'sk-unit-test-key-finished' } : undefined),
      tokenizers: new Tokenizers(),
      resolveModel: (id) => resolveModel(id),
      store,
      cache: new ResponseCache({ mode: 'always', store: new MemoryStore(), clock: systemClock }),
      settings: () => ({
        model: 'gpt-4o-mini',
        systemPrompt: 'Be brief.',
        maxReplyTokens: 1000,
        retryPolicy: { ...DEFAULT_RETRY_POLICY, maxRetries: 2, baseDelayMs: 0, maxDelayMs: 0 },
        timeouts: { firstByteMs: 20_000, idleMs: 1500 },
      }),
      logger: silentLogger,
      clock: systemClock,
      newId: (p) => `${p}${n++}`,
      onRequestFinished: (f) => {
        events.push(`finished:${saves}`);
        finished.push(f);
      },
    });
  };
  before(async () => {
    server = await FakeOpenAIServer.start();
  });
  beforeEach(() => {
    server.reset();
    finished.length = 0;
    events.length = 0;
  });
  after(async () => {
    await server.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a 429 then ok: one call after the reply was saved, with both attempts and the usage', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after-ms': '20' } });
    server.enqueue({ text: 'Fine.', usage: { prompt_tokens: 1000, completion_tokens: 10 } });
    const s = service();
    saves = 0;
    await s.send('r1', 'hello', sink);
    assert.equal(finished.length, 1);
    assert.deepEqual(events.slice(-2), ['done', 'finished:1'], 'told after done and after the save');
    const f = finished[0];
    assert.equal(f.requestId, 'r1');
    assert.equal(f.outcome, 'complete');
    assert.equal(f.model, 'gpt-4o-mini');
    assert.equal(f.baseUrl, server.baseUrl);
    assert.deepEqual(
      f.attempts.map((a) => [a.status, a.errorKind, a.waitBeforeMs]),
      [
        [429, 'rateLimited', 0],
        [200, undefined, 20],
      ],
    );
    assert.equal(f.usage?.promptTokens, 1000);
    assert.ok(f.endedAt >= f.startedAt);
    assert.ok(!JSON.stringify(f).includes('sk-unit-test-key'), 'never the key');
    assert.ok(!JSON.stringify(f).includes('hello') && !JSON.stringify(f).includes('Fine.'), 'never the text');
  });

  it('failed before text, interrupted after it, and a cache hit without attempts', async () => {
    const s = service();
    for (let i = 0; i < 3; i++) server.enqueue({ status: 500 });
    await s.send('f1', 'fails', sink);
    server.enqueue({ text: 'Partial text here', chunkSize: 4, stallAfterChunks: 1 });
    s.clear();
    await s.send('f2', 'stalls', sink);
    server.enqueue({ text: 'Cached answer.' });
    s.clear();
    await s.send('f3', 'cache me', sink);
    s.clear();
    await s.send('f4', 'cache me', sink);
    assert.deepEqual(
      finished.map((f) => [f.requestId, f.outcome, f.errorKind, f.cacheHit, f.attempts.length]),
      [
        ['f1', 'failed', 'server', false, 3],
        ['f2', 'interrupted', 'timeout', false, 1],
        ['f3', 'complete', undefined, false, 1],
        ['f4', 'complete', undefined, true, 0],
      ],
    );
  });

  it('a request refused before the reply stage (no key) is not reported', async () => {
    await service(false).send('k1', 'no key', sink);
    assert.equal(finished.length, 0);
    assert.ok(events.includes('error'));
  });
});
