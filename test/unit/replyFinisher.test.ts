import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint } from '../../src/core/api/endpoint';
import type { CacheEntry } from '../../src/core/cache/cacheEntry';
import type { CacheKeyInput } from '../../src/core/cache/cacheKey';
import type { CacheStore } from '../../src/core/cache/cacheStore';
import { MemoryStore } from '../../src/core/cache/memoryStore';
import { ResponseCache } from '../../src/core/cache/responseCache';
import type { ChatSink } from '../../src/core/chat/chatInterfaces';
import { finishReply, type ReplyFinisherDeps, type ReplyToFinish } from '../../src/core/chat/replyFinisher';
import { newConversation } from '../../src/core/conversations/codec';
import type { ConversationStore } from '../../src/core/conversations/store';
import { silentLogger } from '../../src/core/ports';
import type { ResolvedModel } from '../../src/core/tokens/models';
import { FakeClock } from '../support/fakeClock';

const cacheInput: CacheKeyInput = {
  baseUrl: 'https://api.example.test/v1',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'What is 2 + 2?' }],
  params: { temperature: 0 },
};

/** A MemoryStore that logs when a write starts and holds it until `release` (never, unless called). */
class HeldStore extends MemoryStore implements CacheStore {
  release: () => void = () => {};
  constructor(
    private readonly log: string[],
    private readonly outcome: 'hold' | 'fail' = 'hold',
  ) {
    super();
  }
  override async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    this.log.push('cache write starts');
    if (this.outcome === 'fail') throw new Error('disk full');
    await new Promise<void>((resolve) => (this.release = resolve));
    await super.set(key, entry, ttlMs);
    this.log.push('cache write ends');
  }
}

function setup(store: CacheStore, log: string[]) {
  const clock = new FakeClock();
  const cache = new ResponseCache({ mode: 'deterministic', store, clock });
  const conversation = newConversation('c1', clock.now());
  const assistant = { id: 'a1', role: 'assistant' as const, content: 'Four.', createdAt: clock.now() };
  conversation.messages.push(assistant);
  const sink: ChatSink = {
    started: () => {},
    delta: () => {},
    done: () => log.push('done'),
    error: () => log.push('error'),
    removed: () => {},
    retrying: () => {},
    notice: (text) => log.push(`notice ${text}`),
  };
  const deps: ReplyFinisherDeps = {
    cache,
    logger: silentLogger,
    clock,
    store: { save: async () => void log.push('saved') } as unknown as ConversationStore,
  };
  const reply: ReplyToFinish = {
    requestId: 'r1',
    endpoint: { baseUrl: cacheInput.baseUrl, apiKey: 'sk-test' } as Endpoint,
    conversation,
    assistant,
    sink,
    model: { id: 'gpt-4o-mini' } as ResolvedModel,
    promptTokens: 12,
    cacheInput,
    hit: undefined,
    outcome: { kind: 'complete', usage: { promptTokens: 12, completionTokens: 2, totalTokens: 14 } },
    apiRequestId: undefined,
    startedAt: clock.now(),
  };
  return { cache, deps, reply };
}

describe('finishing a reply: the cache is off the reply path', () => {
  it('done reaches the sink before the cache write starts; a write that never ends holds nothing up', async () => {
    const log: string[] = [];
    const store = new HeldStore(log);
    const { deps, reply } = setup(store, log);
    await finishReply(deps, reply); // resolves although the store's write never does
    assert.deepEqual(log, ['done', 'cache write starts', 'saved']);
  });

  it('the write is tracked: settled() and dispose() wait for it, then the reply is served from the cache', async () => {
    const log: string[] = [];
    const store = new HeldStore(log);
    const { cache, deps, reply } = setup(store, log);
    await finishReply(deps, reply);
    let settled = false;
    const waiting = cache.settled().then(() => (settled = true));
    const nextQuestion = cache.lookup(cacheInput); // asked again while the write is in flight
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the write is still pending');
    store.release();
    await waiting;
    assert.deepEqual(log, ['done', 'cache write starts', 'saved', 'cache write ends']);
    assert.equal((await nextQuestion)?.entry.reply, 'Four.', 'a lookup of the key waits for its write: no miss');
    assert.equal(cache.stats().stored, 1);

    const heldStore = new HeldStore([]);
    const again = setup(heldStore, []);
    again.reply.assistant.content = 'Five.';
    await finishReply(again.deps, again.reply);
    let disposed = false;
    const disposing = again.cache.dispose().then(() => (disposed = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(disposed, false, 'dispose waits for the pending write, so nothing is lost at shutdown');
    heldStore.release();
    await disposing;
  });

  it('a failing write never reaches the chat: done and save happen, the failure is counted', async () => {
    const log: string[] = [];
    const { cache, deps, reply } = setup(new HeldStore(log, 'fail'), log);
    await finishReply(deps, reply);
    await cache.settled();
    assert.deepEqual(log, ['done', 'cache write starts', 'saved']);
    assert.equal(cache.stats().errors, 1);
    assert.equal(cache.stats().stored, 0);
  });

  it('a reply served from the cache, or stopped, is not written again', async () => {
    for (const variant of ['hit', 'stopped'] as const) {
      const log: string[] = [];
      const { cache, deps, reply } = setup(new HeldStore(log), log);
      if (variant === 'stopped') reply.outcome = { kind: 'stopped' };
      else reply.hit = { key: 'k', ageMs: 0, entry: {} as CacheEntry };
      await finishReply(deps, reply);
      await cache.settled();
      assert.deepEqual(log, ['done', 'saved'], variant);
    }
  });
});
