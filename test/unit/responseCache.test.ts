import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CacheEntry } from '../../src/core/cache/cacheEntry';
import type { CacheKeyInput } from '../../src/core/cache/cacheKey';
import type { CacheStore } from '../../src/core/cache/cacheStore';
import { MemoryStore } from '../../src/core/cache/memoryStore';
import { DEFAULT_MAX_REPLY_CHARS } from '../../src/core/api/replyStream';
import { DEFAULT_CACHE_TTL_MS, ResponseCache, type CacheMode } from '../../src/core/cache/responseCache';
import { recordingLogger } from '../support/recordingLogger';
import { FakeClock } from '../support/fakeClock';

const request = (params: CacheKeyInput['params'], content = 'What is 2+2?'): CacheKeyInput => ({
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  params,
});
const usage = { promptTokens: 100, completionTokens: 20, totalTokens: 120, cachedPromptTokens: 40 };

function setup(mode: CacheMode, ttlMs?: number) {
  const clock = new FakeClock();
  const store = new MemoryStore({ clock });
  const logger = recordingLogger();
  const cache = new ResponseCache({ mode, ttlMs, store, clock, logger });
  return { clock, store, logger, cache };
}

describe('response cache policy', () => {
  it('off: never looks up, never stores', async () => {
    const { cache, store } = setup('off');
    assert.equal(await cache.store(request({ temperature: 0 }), { text: 'Four.', usage }), false);
    assert.equal((await store.stats()).entries, 0);
    assert.equal(await cache.lookup(request({ temperature: 0 })), undefined);
    assert.deepEqual(
      { ...cache.stats(), saved: undefined, savedByModel: undefined },
      { hits: 0, misses: 0, bypassed: 0, stored: 0, errors: 0, saved: undefined, savedByModel: undefined },
    );
  });

  it('deterministic: temperature 0 or a fixed seed; unset temperature (API default 1) is not deterministic', () => {
    const { cache } = setup('deterministic');
    assert.equal(cache.isCacheable({ temperature: 0 }), true);
    assert.equal(cache.isCacheable({ temperature: 0.7, seed: 42 }), true);
    assert.equal(cache.isCacheable({ seed: 0 }), true);
    assert.equal(cache.isCacheable({}), false);
    assert.equal(cache.isCacheable(undefined), false);
    assert.equal(cache.isCacheable({ temperature: 0.2 }), false);
    assert.equal(cache.isCacheable({ temperature: 1, seed: Number.NaN }), false);
  });

  it('always: every request', () => {
    assert.equal(setup('always').cache.isCacheable({}), true);
  });

  it('stores a reply and serves it with its original usage, model and age; counts hits, misses and savings', async () => {
    const { cache, clock } = setup('deterministic');
    const req = request({ temperature: 0 });
    assert.equal(await cache.lookup(req), undefined);
    assert.equal(
      await cache.store(req, { text: 'Four.', usage, finishReason: 'stop', model: 'gpt-4o-mini-2024-07-18' }),
      true,
    );
    clock.advance(5_000);
    const hit = await cache.lookup(req);
    assert.ok(hit);
    assert.equal(hit.entry.reply, 'Four.');
    assert.equal(hit.entry.model, 'gpt-4o-mini-2024-07-18');
    assert.deepEqual(hit.entry.usage, usage);
    assert.equal(hit.entry.finishReason, 'stop');
    assert.equal(hit.ageMs, 5_000);
    assert.equal(hit.entry.expiresAt - hit.entry.createdAt, DEFAULT_CACHE_TTL_MS);
    await cache.lookup(req);
    assert.equal(await cache.lookup(request({ temperature: 0 }, 'Another question')), undefined);
    const stats = cache.stats();
    assert.equal(stats.hits, 2);
    assert.equal(stats.misses, 2);
    assert.equal(stats.stored, 1);
    assert.deepEqual(stats.saved, { promptTokens: 200, completionTokens: 40, cachedPromptTokens: 80, total: 240 });
    assert.deepEqual(Object.keys(stats.savedByModel), ['gpt-4o-mini-2024-07-18']);
    cache.resetStats();
    assert.equal(cache.stats().hits, 0);
  });

  it('a non-deterministic request is neither served nor stored in deterministic mode', async () => {
    const { cache, store } = setup('deterministic');
    assert.equal(await cache.store(request({ temperature: 0.7 }), { text: 'Maybe.' }), false);
    assert.equal((await store.stats()).entries, 0);
    assert.equal(await cache.lookup(request({ temperature: 0.7 })), undefined);
    assert.equal(cache.stats().misses, 0, 'not a miss: not cacheable at all');
  });

  it('expires entries after the TTL (injected clock)', async () => {
    const { cache, clock } = setup('always', 60_000);
    const req = request({});
    await cache.store(req, { text: 'Hi.' });
    clock.advance(59_999);
    assert.ok(await cache.lookup(req));
    clock.advance(1);
    assert.equal(await cache.lookup(req), undefined);
  });

  it('Regenerate bypasses the lookup and replaces the entry', async () => {
    const { cache } = setup('always');
    const req = request({});
    await cache.store(req, { text: 'First answer.' });
    assert.equal(await cache.lookup(req, { bypass: true }), undefined);
    await cache.store(req, { text: 'Second answer.' });
    assert.equal((await cache.lookup(req))?.entry.reply, 'Second answer.');
    assert.equal(cache.stats().bypassed, 1);
    assert.equal((await cache.storeStats()).entries, 1);
  });

  it('does not store an empty reply; stores a reply without usage', async () => {
    const { cache } = setup('always');
    assert.equal(await cache.store(request({}), { text: '' }), false);
    assert.equal(await cache.store(request({}), { text: 'x' }), true);
    const hit = await cache.lookup(request({}));
    assert.equal(hit?.entry.usage, undefined);
    assert.deepEqual(cache.stats().saved, { promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, total: 0 });
  });

  it('a failing store is a miss and a skipped write, warned about once', async () => {
    const failing: CacheStore = {
      get: async () => {
        throw new Error('EACCES: permission denied');
      },
      set: async () => {
        throw new Error('ENOSPC: no space left');
      },
      delete: async () => {},
      clear: async () => {},
      stats: async () => ({ entries: 0 }),
      dispose: async () => {},
    };
    const logger = recordingLogger();
    const cache = new ResponseCache({ mode: 'always', store: failing, logger });
    assert.equal(await cache.lookup(request({})), undefined);
    assert.equal(await cache.store(request({}), { text: 'x' }), false);
    assert.equal(await cache.lookup(request({})), undefined);
    assert.equal(logger.lines.filter(([level]) => level === 'warn').length, 1);
    assert.equal(cache.stats().errors, 3);
    assert.equal(cache.stats().misses, 2);
  });

  it('never serves an entry whose key does not match (a misbehaving store)', async () => {
    const wrong: CacheEntry = {
      version: 1,
      key: 'f'.repeat(64),
      model: 'm',
      reply: 'wrong',
      createdAt: 0,
      expiresAt: Number.MAX_SAFE_INTEGER,
    };
    const store: CacheStore = {
      get: async () => wrong,
      set: async () => {},
      delete: async () => {},
      clear: async () => {},
      stats: async () => ({ entries: 1 }),
      dispose: async () => {},
    };
    const cache = new ResponseCache({ mode: 'always', store });
    assert.equal(await cache.lookup(request({})), undefined);
  });

  it('never serves what a store hands back expired, or with a reply over the size limit; each kind warned once', async () => {
    const clock = new FakeClock();
    const logger = recordingLogger();
    let served: CacheEntry | undefined;
    const store: CacheStore = {
      get: async () => served,
      set: async () => {},
      delete: async () => {},
      clear: async () => {},
      stats: async () => ({ entries: 1 }),
      dispose: async () => {},
    };
    const cache = new ResponseCache({ mode: 'always', store, clock, logger });
    const key = cache.keyFor(request({}));
    assert.ok(key);
    const stored = (reply: string, expiresAt: number): CacheEntry => ({
      version: 1,
      key,
      model: 'm',
      reply,
      createdAt: clock.now() - 10,
      expiresAt,
    });
    served = stored('old', clock.now());
    assert.equal(await cache.lookup(request({})), undefined, 'expiresAt = now is expired');
    assert.equal(await cache.lookup(request({})), undefined);
    served = stored('x'.repeat(101), clock.now() + 60_000);
    assert.equal(await cache.lookup(request({}), { maxReplyChars: 100 }), undefined, 'over the given limit');
    served = stored('x'.repeat(DEFAULT_MAX_REPLY_CHARS + 1), clock.now() + 60_000);
    assert.equal(await cache.lookup(request({})), undefined, 'over the default limit');
    served = stored('x'.repeat(100), clock.now() + 60_000);
    assert.equal(
      (await cache.lookup(request({}), { maxReplyChars: 100 }))?.entry.reply.length,
      100,
      'at the limit is served',
    );
    assert.deepEqual(cache.stats().hits, 1);
    assert.deepEqual(cache.stats().misses, 4);
    const warnings = logger.at('warn');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0], /expired/);
    assert.match(warnings[1], /over the 100-character limit/);
    assert.equal(logger.at('debug').filter((m) => m.includes('not serving')).length, 2);
  });

  it('a request that cannot be keyed is simply not cached', async () => {
    const { cache } = setup('always');
    assert.equal(await cache.store(request({ tools: 1n }), { text: 'x' }), false);
    assert.equal(await cache.lookup(request({ tools: 1n })), undefined);
  });

  it('configure: mode and TTL change at once; a new store replaces and disposes the old one', async () => {
    const { cache, store, clock } = setup('off');
    await cache.configure({ mode: 'always', ttlMs: 1_000 });
    await cache.store(request({}), { text: 'x' });
    assert.equal((await store.stats()).entries, 1);
    const next = new MemoryStore({ clock });
    let disposed = 0;
    const original = store.dispose.bind(store);
    store.dispose = async () => {
      disposed++;
      await original();
    };
    await cache.configure({ store: next });
    assert.equal(disposed, 1);
    assert.equal(await cache.lookup(request({})), undefined);
    await cache.store(request({}), { text: 'y' });
    assert.equal((await cache.lookup(request({})))?.entry.reply, 'y');
    await cache.clear();
    assert.equal((await cache.storeStats()).entries, 0);
    await cache.dispose();
    await cache.dispose();
    assert.equal(await cache.lookup(request({})), undefined);
  });
});

describe('memory store', () => {
  it('keeps the most recently used entries within its bound', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock, maxEntries: 2 });
    const entry = (key: string): CacheEntry => ({
      version: 1,
      key,
      model: 'm',
      reply: key,
      createdAt: 0,
      expiresAt: 0,
    });
    await store.set('a', entry('a'), 1000);
    await store.set('b', entry('b'), 1000);
    await store.get('a');
    await store.set('c', entry('c'), 1000);
    assert.equal(await store.get('b'), undefined);
    assert.equal((await store.get('a'))?.reply, 'a');
    assert.equal((await store.get('c'))?.reply, 'c');
  });
});
