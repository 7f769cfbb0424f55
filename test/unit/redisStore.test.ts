// Against a real redis-server (started here on 127.0.0.1, stopped after): round trip, server-side TTL, sharing,
// prefix-only clear, and outages (server gone, server hung, never there) that must not slow or break chatting.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import type { CacheEntry } from '../../src/core/cache/cacheEntry';
import { RedisStore, type RedisStoreOptions } from '../../src/core/cache/redisStore';
import { recordingLogger } from '../support/recordingLogger';
import { freePort, startRedisServer, type RedisServer } from '../support/redisServer';

const KEY = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
// Entries live an hour from the test run (stores check `expiresAt` against the real clock on read).
const CREATED = Date.now();
const entry = (key: string, reply = 'Four.'): CacheEntry => ({
  version: 1,
  key,
  model: 'gpt-4o-mini',
  reply,
  usage: { promptTokens: 10, completionTokens: 2, totalTokens: 12 },
  createdAt: CREATED,
  expiresAt: CREATED + 3_600_000,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (a busy machine may need more than one connect timeout to connect). The limit is a
 *  number of polls, not a deadline, so a slow machine gets as many tries as a fast one. */
async function until(what: string, check: () => Promise<boolean> | boolean, polls = 200): Promise<void> {
  for (let n = 0; !(await check()); n++) {
    assert.ok(n < polls, `${what}: not after ${polls} polls`);
    await sleep(50);
  }
}

/** Waits until the store is connected and a written entry reads back. */
async function ready(store: RedisStore): Promise<void> {
  await until('the store stores and reads', async () => {
    await store.set(KEY, entry(KEY), 60_000);
    return (await store.get(KEY)) !== undefined;
  });
}

/**
 * Resolves with the result, asserting that `p` settled before the event loop's next turn: it waited for no timer and
 * no I/O (no connection attempt, no command). Event-loop order, not the wall clock, so a busy machine cannot fail it.
 */
async function atOnce<T>(p: Promise<T>, what: string): Promise<T> {
  const turn = Symbol('next turn');
  const first = await Promise.race([p, new Promise<typeof turn>((resolve) => setImmediate(() => resolve(turn)))]);
  assert.notEqual(first, turn, `${what} waited for a timer or I/O`);
  return first as T;
}

// Tests that settle only because a timeout or a fallback works would hang when it does not; this ends them (a guard
// against hanging, not a bound on speed).
const HANG_GUARD = { timeout: 120_000 };

describe('redis store (real redis-server)', () => {
  let server: RedisServer;
  let raw: ReturnType<typeof createClient>;
  const stores: RedisStore[] = [];
  const servers: RedisServer[] = [];
  const open = (options: Partial<RedisStoreOptions> = {}) => {
    // Generous timeouts: these tests are about behaviour, not timing, and must pass on a busy machine.
    const store = new RedisStore({ url: server.url, connectTimeoutMs: 5_000, commandTimeoutMs: 2_000, ...options });
    stores.push(store);
    return store;
  };

  before(async () => {
    server = await startRedisServer();
    raw = createClient({ url: server.url });
    raw.on('error', () => {});
    await raw.connect();
  });

  after(async () => {
    await Promise.all(stores.map((s) => s.dispose()));
    raw.destroy();
    await Promise.all([server, ...servers].map((s) => s.stop()));
  });

  it('imports the client library only dynamically (the bundle maps that import to a lazily required file)', async () => {
    const source = await readFile(path.resolve(__dirname, '../../src/core/cache/redisStore.ts'), 'utf8');
    assert.doesNotMatch(source, /^import (?!type ).*['"]@redis\/client['"]/m);
    assert.match(source, /await import\('@redis\/client'\)|\(\) => import\('@redis\/client'\)/);
  });

  it('loads the client library only on first use', async () => {
    let loads = 0;
    const store = open({
      load: async () => {
        loads++;
        return import('@redis/client');
      },
    });
    assert.equal(loads, 0);
    assert.equal(store.connected, false);
    await store.get(KEY);
    assert.equal(loads, 1);
    assert.equal(store.connected, true);
    await store.get(KEY);
    assert.equal(loads, 1);
  });

  it('round-trips an entry as JSON under the prefix; delete removes it', async () => {
    const store = open();
    assert.equal(await store.get(KEY), undefined);
    await store.set(KEY, entry(KEY), 60_000);
    assert.deepEqual(await store.get(KEY), entry(KEY));
    assert.equal(JSON.parse((await raw.get(`tally:cache:${KEY}`)) ?? '{}').reply, 'Four.');
    await store.delete(KEY);
    assert.equal(await store.get(KEY), undefined);
  });

  it('lets the server enforce the TTL', async () => {
    const store = open();
    await store.set(KEY, entry(KEY), 60_000);
    const pttl = await raw.pTTL(`tally:cache:${KEY}`);
    assert.ok(pttl > 55_000 && pttl <= 60_000, `PTTL ${pttl}`);
    await store.set(OTHER, entry(OTHER), 300);
    assert.ok(await store.get(OTHER));
    await sleep(500);
    assert.equal(await store.get(OTHER), undefined);
    assert.equal(await raw.exists(`tally:cache:${OTHER}`), 0);
  });

  it('shares entries between instances (a team on one Redis)', async () => {
    const alice = open();
    const bob = open();
    await alice.set(KEY, entry(KEY, 'shared answer'), 60_000);
    assert.equal((await bob.get(KEY))?.reply, 'shared answer');
  });

  it('drops a corrupt value and never serves it', async () => {
    const logger = recordingLogger();
    const store = open({ logger });
    await raw.set(`tally:cache:${KEY}`, '{"not":"an entry"');
    assert.equal(await store.get(KEY), undefined);
    assert.equal(await raw.exists(`tally:cache:${KEY}`), 0);
    await raw.set(`tally:cache:${KEY}`, JSON.stringify(entry(OTHER)));
    assert.equal(await store.get(KEY), undefined, 'an entry stored under another key is not served');
    assert.equal(logger.at('warn').length, 2);
  });

  it('clear and stats touch only keys under the prefix (glob characters in it are literal)', async () => {
    const store = open({ prefix: 'team[1]:' });
    await store.set(KEY, entry(KEY), 60_000);
    await store.set(OTHER, entry(OTHER), 60_000);
    await raw.set('team1:unrelated', 'keep me');
    await raw.set('other:thing', 'keep me too');
    assert.deepEqual(await store.stats(), { entries: 2 });
    await store.clear();
    assert.deepEqual(await store.stats(), { entries: 0 });
    assert.equal(await raw.get('team1:unrelated'), 'keep me');
    assert.equal(await raw.get('other:thing'), 'keep me too');
  });

  it('an outage mid-run: quick misses and no-ops, one warning, and back when the server is', HANG_GUARD, async () => {
    const mine = await startRedisServer();
    servers.push(mine);
    const logger = recordingLogger();
    const store = new RedisStore({ url: mine.url, logger, reconnectDelayMs: { min: 50, max: 200 } });
    stores.push(store);
    await ready(store);
    logger.lines.length = 0; // only the outage's lines count

    await mine.stop();
    // The server stays down for the whole loop, so a miss cannot be waiting for it; the first use finds the outage,
    // and from then on every read and write answers at once (no connection attempt, no command, no timer).
    assert.equal(await store.get(KEY), undefined);
    for (let i = 0; i < 5; i++) {
      assert.equal(await atOnce(store.get(KEY), 'a read during the outage'), undefined);
      await atOnce(store.set(OTHER, entry(OTHER), 60_000), 'a write during the outage');
      await sleep(100); // let background reconnects fail meanwhile: still one warning
    }
    assert.equal(logger.at('warn').length, 1, logger.at('warn').join('\n'));
    assert.match(
      logger.at('warn')[0],
      new RegExp(
        `Redis cache at redis://127\\.0\\.0\\.1:${mine.port} unreachable: .+ — continuing without the shared cache`,
      ),
    );
    await assert.rejects(store.clear(), /unreachable/, 'a user-run clear says it did not happen');

    const back = await startRedisServer({ port: mine.port });
    servers.push(back);
    await until('back after the restart', async () => {
      await store.set(OTHER, entry(OTHER), 60_000);
      return (await store.get(OTHER)) !== undefined;
    });
    assert.equal(logger.at('warn').length, 1);
    assert.deepEqual(logger.at('info'), [`Redis cache at redis://127.0.0.1:${mine.port} is reachable again`]);
  });

  it(
    'a hung server (SIGSTOP): each operation gives up after the command timeout; one warning; recovers',
    HANG_GUARD,
    async () => {
      const mine = await startRedisServer();
      servers.push(mine);
      const logger = recordingLogger();
      const store = new RedisStore({ url: mine.url, logger, commandTimeoutMs: 250 });
      stores.push(store);
      await ready(store);
      logger.lines.length = 0;
      mine.pause();
      // The server stays stopped for the whole loop and never answers: each operation can end only by the command
      // timeout giving up (the warning names it), never by an answer.
      try {
        for (let i = 0; i < 3; i++) {
          assert.equal(await store.get(KEY), undefined);
          await store.set(KEY, entry(KEY), 60_000);
        }
      } finally {
        mine.resume();
      }
      assert.equal(logger.at('warn').length, 1);
      assert.match(logger.at('warn')[0], /no answer within 250 ms/);
      assert.ok(await store.get(KEY));
      assert.equal(logger.at('info').length, 1);
    },
  );

  it(
    'a server that accepts but hangs from the start: the first use still waits only the connect timeout',
    HANG_GUARD,
    async () => {
      const mine = await startRedisServer();
      servers.push(mine);
      const logger = recordingLogger();
      const store = new RedisStore({
        url: mine.url,
        logger,
        connectTimeoutMs: 300,
        reconnectDelayMs: { min: 50, max: 200 },
      });
      stores.push(store);
      mine.pause();
      // The server is stopped until after both reads: the first can end only by the connect timeout, and the second
      // must not wait at all (not even for the connection attempt still under way).
      try {
        assert.equal(await store.get(KEY), undefined);
        assert.match(logger.at('warn')[0] ?? '', /no answer within 300 ms/, 'the connect timeout ended the first use');
        assert.equal(await atOnce(store.get(KEY), 'the second read'), undefined);
      } finally {
        mine.resume();
      }
      await until('connected after the server resumed', () => store.connected);
      await ready(store);
      assert.equal(logger.at('warn').length, 1);
      assert.equal(logger.at('info').length, 1);
    },
  );

  it(
    'never there, with a password in the URL: the first use waits at most the connect timeout; the password is never logged',
    HANG_GUARD,
    async () => {
      const port = await freePort();
      const logger = recordingLogger();
      const store = new RedisStore({ url: `redis://tally:hunter2@127.0.0.1:${port}/0`, logger, connectTimeoutMs: 500 });
      stores.push(store);
      assert.equal(await store.get(KEY), undefined);
      await atOnce(store.set(KEY, entry(KEY), 1_000), 'a write during the outage');
      assert.equal(logger.at('warn').length, 1);
      assert.match(logger.at('warn')[0], new RegExp(`redis://(tally@)?127\\.0\\.0\\.1:${port}/0 unreachable`));
      assert.ok(logger.lines.every(([, m]) => !m.includes('hunter2')));
      await store.dispose(); // a hang is caught by the guard
      assert.equal(await atOnce(store.get(KEY), 'a read after dispose'), undefined);
      assert.equal(store.connected, false);
    },
  );

  it('authenticates with the password from the URL', async () => {
    const secured = await startRedisServer({ args: ['--requirepass', 's3cr%t'] });
    servers.push(secured);
    const good = new RedisStore({
      url: `redis://:s3cr%25t@127.0.0.1:${secured.port}`,
      connectTimeoutMs: 5_000,
      commandTimeoutMs: 2_000,
    });
    const logger = recordingLogger();
    const bad = new RedisStore({
      url: `redis://:wrong-pass@127.0.0.1:${secured.port}`,
      logger,
      connectTimeoutMs: 5_000,
    });
    stores.push(good, bad);
    await good.set(KEY, entry(KEY), 60_000);
    assert.ok(await good.get(KEY));
    assert.equal(await bad.get(KEY), undefined);
    assert.equal(logger.at('warn').length, 1);
    assert.ok(
      logger.lines.every(([, m]) => !m.includes('wrong-pass')),
      logger.lines.join('\n'),
    );
  });
});
