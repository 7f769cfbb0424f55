// The file store's cost, counted in file-system calls (every function of the shared `fs.promises` object, which the
// store and its helpers call), never timed: a put and a lookup cost the same with 100 or 2,000 entries, the put that
// crosses the bound costs no more than an ordinary one (eviction runs after it), and eviction costs a few calls per
// evicted entry, not a pass over the folder.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serializeCacheEntry, type CacheEntry } from '../../src/core/cache/cacheEntry';
import { FileStore } from '../../src/core/cache/fileStore';
import { FakeClock } from '../support/fakeClock';

const HOUR = 3_600_000;
const keyOf = (name: string | number) => createHash('sha256').update(String(name)).digest('hex');
const entryFor = (key: string, now: number): CacheEntry => ({
  version: 1,
  key,
  model: 'gpt-4o-mini',
  reply: `Reply for ${key.slice(0, 8)}: ${'x'.repeat(400)}`,
  usage: { promptTokens: 10, completionTokens: 2, totalTokens: 12 },
  createdAt: now,
  expiresAt: now + HOUR,
});

/** Counts calls to every function of `fs.promises` while `counting`. */
class FsCallCounter {
  calls = 0;
  counting = false;
  private readonly undo: Array<() => void> = [];

  install(): void {
    const target = fs as unknown as Record<string, unknown>;
    for (const name of Object.keys(target)) {
      const original = target[name];
      if (typeof original !== 'function' || name === 'constants') continue;
      target[name] = (...args: unknown[]) => {
        if (this.counting) this.calls++;
        return (original as (...a: unknown[]) => unknown).apply(fs, args);
      };
      this.undo.push(() => (target[name] = original));
    }
  }

  restore(): void {
    for (const undo of this.undo.splice(0)) undo();
  }

  /** The calls made while `work` runs (until its promise resolves). */
  async count(work: () => Promise<unknown>): Promise<number> {
    this.calls = 0;
    this.counting = true;
    try {
      await work();
      return this.calls;
    } finally {
      this.counting = false;
    }
  }
}

/**
 * Writes `n` entry files as another window would have, least recently used first (mtimes a second apart, past). All
 * 256 shard folders exist, so a put's cost does not depend on whether its shard had to be created.
 */
async function populate(dir: string, n: number, clock: FakeClock): Promise<void> {
  for (let shard = 0; shard < 256; shard++)
    await fs.mkdir(path.join(dir, shard.toString(16).padStart(2, '0')), { recursive: true, mode: 0o700 });
  for (let i = 0; i < n; i++) {
    const key = keyOf(`${dir}-${i}`);
    const file = path.join(dir, key.slice(0, 2), `${key}.json`);
    await fs.writeFile(file, serializeCacheEntry(entryFor(key, clock.now())));
    const used = new Date(clock.now() - (n - i) * 1_000);
    await fs.utimes(file, used, used);
  }
}

async function entriesOnDisk(dir: string): Promise<number> {
  let entries = 0;
  for (const shard of await fs.readdir(dir))
    entries += (await fs.readdir(path.join(dir, shard))).filter((n) => n.endsWith('.json')).length;
  return entries;
}

describe('file store cost (counted file-system calls)', () => {
  let root: string;
  const counter = new FsCallCounter();
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-filestore-cost-'));
    counter.install();
  });
  after(async () => {
    counter.restore();
    await fs.rm(root, { recursive: true, force: true });
  });

  /** The calls of: the first put (before any listing), a put with the index built, a hit, and the upkeep. */
  async function costsWith(n: number) {
    const clock = new FakeClock();
    const dir = path.join(root, `entries-${n}`);
    await populate(dir, n, clock);
    const store = new FileStore({ dir, clock });
    const put = (name: string) => {
      const key = keyOf(`${dir}-new-${name}`);
      return store.set(key, entryFor(key, clock.now()), HOUR);
    };
    const firstPut = await counter.count(() => put('first'));
    const firstUpkeep = await counter.count(() => store.settled()); // the one listing, in the background
    const put2 = await counter.count(() => put('second'));
    const upkeep2 = await counter.count(() => store.settled());
    const hit = await counter.count(() => store.get(keyOf(`${dir}-${n - 1}`)));
    const miss = await counter.count(() => store.get(keyOf(`${dir}-absent`)));
    await store.dispose();
    return { firstPut, firstUpkeep, put2, upkeep2, hit, miss };
  }

  it('a put and a lookup cost the same with 100 and with 2,000 entries: no folder scan on the way', async () => {
    const small = await costsWith(100);
    const large = await costsWith(2_000);
    assert.deepEqual(
      { ...large, firstUpkeep: 0 },
      { ...small, firstUpkeep: 0 },
      `100: ${JSON.stringify(small)}, 2000: ${JSON.stringify(large)}`,
    );
    assert.equal(small.firstPut, small.put2, 'the first put does not wait for the listing either');
    assert.ok(small.put2 > 0 && small.put2 <= 20, `a put: ${small.put2} calls`);
    assert.equal(small.upkeep2, 0, 'below the bound, with the index built, upkeep touches nothing');
    assert.ok(large.firstUpkeep > 2_000, 'the one listing (lstat per file) happens, in the background, once');
  });

  it('the put that crosses the bound costs ≤ 5× an ordinary put; eviction costs per evicted entry, not per entry', async () => {
    for (const n of [100, 2_000]) {
      const clock = new FakeClock();
      const dir = path.join(root, `evict-${n}`);
      await populate(dir, n, clock);
      const maxEntries = n + 2;
      const store = new FileStore({ dir, clock, maxEntries });
      const put = async (name: string) => {
        const key = keyOf(`${dir}-new-${name}`);
        clock.advance(1_000);
        await store.set(key, entryFor(key, clock.now()), HOUR);
      };
      await put('1');
      await store.settled(); // n + 1 entries, index built
      const ordinary = await counter.count(() => put('2')); // n + 2: at the bound
      assert.equal(await counter.count(() => store.settled()), 0, 'no eviction needed yet');
      const evicting = await counter.count(() => put('3')); // n + 3: over it
      assert.ok(evicting <= 5 * ordinary, `evicting put ${evicting} calls, ordinary ${ordinary}`);
      const eviction = await counter.count(() => store.settled());
      const evicted = n + 3 - Math.floor(maxEntries * 0.9);
      assert.equal(await entriesOnDisk(dir), n + 3 - evicted, 'eviction brought the folder under the bound');
      assert.ok(
        eviction <= 2 * evicted + 4,
        `${n} entries: eviction of ${evicted} made ${eviction} calls (an lstat and an unlink each)`,
      );
      for (const name of ['1', '2', '3'])
        assert.ok(await store.get(keyOf(`${dir}-new-${name}`)), 'the recently used entries stay');
      assert.equal(await store.get(keyOf(`${dir}-0`)), undefined, 'the least recently used went');
      await store.dispose();
    }
  });
});
