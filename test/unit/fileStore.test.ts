import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CacheEntry } from '../../src/core/cache/cacheEntry';
import { FileStore, RELIST_MS, type FileStoreOptions } from '../../src/core/cache/fileStore';
import type { Logger } from '../../src/core/ports';
import { FakeClock } from '../support/fakeClock';

const keyOf = (name: string | number) => createHash('sha256').update(String(name)).digest('hex');
const entryFor = (key: string, clock: FakeClock, reply = 'Four.'): CacheEntry => ({
  version: 1,
  key,
  model: 'gpt-4o-mini',
  reply,
  usage: { promptTokens: 10, completionTokens: 2, totalTokens: 12 },
  createdAt: clock.now(),
  expiresAt: clock.now() + 3_600_000,
});
const HOUR = 3_600_000;

function warnings(): Logger & { warns: string[] } {
  const warns: string[] = [];
  const none = () => {};
  return {
    warns,
    trace: none,
    debug: none,
    info: none,
    error: none,
    warn: (m: string) => {
      warns.push(m);
    },
  };
}

/** Bytes and count of entry files actually on disk. */
async function onDisk(dir: string): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  for (const shard of await fs.readdir(dir).catch(() => [] as string[])) {
    for (const name of await fs.readdir(path.join(dir, shard)).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      entries++;
      bytes += (await fs.stat(path.join(dir, shard, name))).size;
    }
  }
  return { entries, bytes };
}

describe('file store', () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-filestore-'));
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  function setup(options: Partial<FileStoreOptions> = {}) {
    const clock = new FakeClock();
    const logger = warnings();
    const dir = path.join(root, `cache-${++n}`);
    return { clock, logger, dir, store: new FileStore({ dir, clock, logger, ...options }) };
  }

  it('touches nothing until first used; stores one file per entry in a shard folder; round-trips', async () => {
    const { store, dir, clock } = setup();
    assert.equal(existsSync(dir), false);
    const key = keyOf('a');
    assert.equal(await store.get(key), undefined);
    assert.equal(existsSync(dir), false, 'a read creates nothing');
    await store.set(key, entryFor(key, clock), HOUR);
    const file = path.join(dir, key.slice(0, 2), `${key}.json`);
    assert.ok(existsSync(file));
    assert.deepEqual(await store.get(key), entryFor(key, clock));
    assert.equal(await store.get('../../etc/passwd'), undefined, 'not a key: never a path');
    await assert.rejects(store.set(keyOf('b'), entryFor(key, clock), HOUR), /refusing/);
    await store.delete(key);
    assert.equal(existsSync(file), false);
  });

  it('expires entries by the injected clock, and deletes them', async () => {
    const { store, dir, clock } = setup();
    const key = keyOf('ttl');
    await store.set(key, entryFor(key, clock), 1_000);
    clock.advance(999);
    assert.ok(await store.get(key));
    clock.advance(1);
    assert.equal(await store.get(key), undefined);
    assert.equal((await onDisk(dir)).entries, 0);
  });

  it('evicts the least recently used: a touched old entry survives', async () => {
    const { store, clock } = setup({ maxEntries: 10 });
    const keys = Array.from({ length: 12 }, (_, i) => keyOf(`lru-${i}`));
    for (const key of keys.slice(0, 10)) {
      await store.set(key, entryFor(key, clock), HOUR);
      clock.advance(1_000);
    }
    assert.ok(await store.get(keys[0]), 'hit: now the most recently used');
    clock.advance(1_000);
    await store.set(keys[10], entryFor(keys[10], clock), HOUR); // 11 > 10: evict down to 9
    await store.settled(); // eviction runs in the background, after the put
    assert.ok(await store.get(keys[0]), 'the touched entry survives');
    assert.equal(await store.get(keys[1]), undefined);
    assert.equal(await store.get(keys[2]), undefined);
    for (const key of keys.slice(3, 11)) assert.ok(await store.get(key));
    assert.equal((await store.stats()).entries, 9);
  });

  it('holds the byte bound, keeping the newest', async () => {
    const maxBytes = 20_000;
    const { store, dir, clock } = setup({ maxBytes });
    const keys: string[] = [];
    for (let i = 0; i < 100; i++) {
      const key = keyOf(`bytes-${i}`);
      keys.push(key);
      await store.set(key, entryFor(key, clock, 'x'.repeat(700 + (i % 7) * 100)), HOUR);
      clock.advance(10);
      await store.settled();
      const disk = await onDisk(dir);
      assert.ok(disk.bytes <= maxBytes, `after ${i + 1} writes: ${disk.bytes} bytes on disk`);
    }
    const stats = await store.stats();
    assert.ok(
      stats.bytes !== undefined && stats.bytes <= maxBytes && stats.bytes > maxBytes / 2,
      JSON.stringify(stats),
    );
    assert.deepEqual(stats, await onDisk(dir));
    assert.ok(await store.get(keys[99]));
    assert.equal(await store.get(keys[0]), undefined);
    assert.equal(await store.set(keyOf('huge'), entryFor(keyOf('huge'), clock, 'x'.repeat(maxBytes)), HOUR), undefined);
    assert.equal(await store.get(keyOf('huge')), undefined, 'larger than the bound: not stored');
  });

  it('drops expired entries before live ones when it evicts', async () => {
    const { store, clock } = setup({ maxEntries: 4 });
    const short = [keyOf('short-1'), keyOf('short-2')];
    const long = [keyOf('long-1'), keyOf('long-2'), keyOf('long-3')];
    for (const key of long.slice(0, 2)) {
      await store.set(key, entryFor(key, clock), HOUR);
      clock.advance(10);
    }
    for (const key of short) {
      await store.set(key, entryFor(key, clock), 1_000);
      clock.advance(10);
    }
    clock.advance(5_000);
    await store.set(long[2], entryFor(long[2], clock), HOUR); // 5 > 4: eviction removes the 2 expired, enough
    await store.settled();
    for (const key of long) assert.ok(await store.get(key), 'live entries kept, though older');
    assert.equal((await store.stats()).entries, 3);
  });

  it('drops a corrupt entry (garbage, wrong shape, wrong key) and deletes its file; never serves it', async () => {
    const { store, dir, clock, logger } = setup();
    const key = keyOf('corrupt');
    const file = path.join(dir, key.slice(0, 2), `${key}.json`);
    const otherKey = keyOf('other');
    for (const content of [
      Buffer.from([0, 159, 146, 150, 0xff, 0x00]),
      '{"expiresAt":99999999999999,"version":1,"key":',
      JSON.stringify({ version: 1, key, reply: 42 }),
      JSON.stringify(entryFor(otherKey, clock)),
      '',
    ]) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
      assert.equal(await store.get(key), undefined);
      assert.equal(existsSync(file), false, 'the corrupt file is deleted');
    }
    assert.equal(logger.warns.length, 5);
    assert.match(logger.warns[0], /corrupt/);
    // Found by a scan too (stats, eviction): a file that does not start like an entry goes.
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'garbage that is not JSON at all');
    assert.deepEqual(await store.stats(), { entries: 0, bytes: 0 });
    assert.equal(existsSync(file), false);
  });

  it('stats and clear cover what is on disk, leaving foreign and in-flight files alone; stale temp files go', async () => {
    const { store, dir, clock } = setup();
    for (const name of ['s1', 's2', 's3']) await store.set(keyOf(name), entryFor(keyOf(name), clock), HOUR);
    const stats = await store.stats();
    assert.equal(stats.entries, 3);
    assert.deepEqual(stats, await onDisk(dir));
    const foreign = path.join(dir, 'README.txt');
    await fs.writeFile(foreign, 'not ours');
    const shard = path.join(dir, keyOf('s1').slice(0, 2));
    const staleTemp = path.join(shard, `${keyOf('s1')}.json.123456`);
    const freshTemp = path.join(shard, `${keyOf('s1')}.json.654321`);
    await fs.writeFile(staleTemp, 'half');
    await fs.writeFile(freshTemp, 'half');
    const old = new Date(Date.now() - 60 * 60_000);
    await fs.utimes(staleTemp, old, old);
    await store.stats();
    assert.equal(existsSync(staleTemp), false, 'a temp file left by a crash goes');
    assert.equal(existsSync(freshTemp), true, 'another window may be writing it');
    await store.clear();
    assert.deepEqual(await store.stats(), { entries: 0, bytes: 0 });
    assert.equal(existsSync(foreign), true);
    assert.equal(existsSync(freshTemp), true, 'clear does not break a write in flight');
    await store.set(keyOf('s4'), entryFor(keyOf('s4'), clock), HOUR);
    assert.ok(await store.get(keyOf('s4')), 'usable after clear');
  });

  it('two instances (two windows) share entries and recency', async () => {
    const { dir, clock } = setup();
    const a = new FileStore({ dir, clock, maxEntries: 4 });
    const b = new FileStore({ dir, clock, maxEntries: 4 });
    const keys = ['w1', 'w2', 'w3', 'w4'].map(keyOf);
    for (const key of keys) {
      await a.set(key, entryFor(key, clock), HOUR);
      clock.advance(100);
    }
    assert.equal((await b.get(keys[0]))?.key, keys[0], 'B reads what A wrote, and touches it');
    clock.advance(100);
    await a.set(keyOf('w5'), entryFor(keyOf('w5'), clock), HOUR); // A evicts by the shared mtimes
    await a.settled();
    assert.ok(await a.get(keys[0]), "B's hit counted for A");
    assert.equal(await a.get(keys[1]), undefined);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it("another window's entries count toward the bound once the index is listed again (every RELIST_MS)", async () => {
    const { dir, clock } = setup();
    const a = new FileStore({ dir, clock, maxEntries: 4 });
    const b = new FileStore({ dir, clock });
    await a.set(keyOf('a1'), entryFor(keyOf('a1'), clock), HOUR);
    await a.settled(); // A's index: its listing saw 1 entry
    for (const name of ['b1', 'b2', 'b3', 'b4']) {
      clock.advance(100);
      await b.set(keyOf(name), entryFor(keyOf(name), clock), HOUR);
    }
    clock.advance(RELIST_MS);
    await a.set(keyOf('a2'), entryFor(keyOf('a2'), clock), HOUR); // 6 on disk: A lists again, then evicts to 3
    await a.settled();
    assert.equal((await onDisk(dir)).entries, 3);
    assert.ok(await a.get(keyOf('a2')));
    assert.equal(await a.get(keyOf('a1')), undefined, 'the least recently used, across windows');
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('another process replacing an entry never makes a reader see a torn or corrupt file', async () => {
    const { dir, clock, logger } = setup();
    const reader = new FileStore({ dir, clock, logger });
    const key = keyOf('race');
    const big = (c: string) => c.repeat(256 * 1024);
    await reader.set(key, entryFor(key, clock, big('a')), HOUR);
    const storeModule = path.resolve(__dirname, '../../src/core/cache/fileStore.ts');
    const script = `
      const { FileStore } = require(${JSON.stringify(storeModule)});
      const store = new FileStore({ dir: ${JSON.stringify(dir)} });
      (async () => {
        for (let i = 0; i < 40; i++) {
          const reply = (i % 2 ? 'b' : 'c').repeat(256 * 1024);
          await store.set(${JSON.stringify(key)}, { version: 1, key: ${JSON.stringify(key)}, model: 'm', reply, createdAt: ${clock.now()}, expiresAt: 0 }, ${HOUR * 1000});
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let done = false;
    void exited.then(() => {
      done = true;
    });
    const seen = new Set<string>();
    let reads = 0;
    while (!done || reads < 20) {
      const entry = await reader.get(key);
      reads++;
      assert.ok(entry, 'the entry is always there: old or new');
      assert.equal(entry.reply.length, 256 * 1024);
      assert.equal(new Set(entry.reply).size, 1, 'one write, never a mix');
      seen.add(entry.reply[0]);
    }
    assert.equal(await exited, 0, stderr);
    assert.deepEqual(logger.warns, []);
    assert.ok(seen.size >= 2, `saw replies ${[...seen].join(',')} in ${reads} reads`);
  });
});
