// The response cache's file store off the reply path (issue #12 item 4), through the real FileStore: a folder of
// 1,000 or 10,000 entries (written as another window would have), then the first put of a session (before the index
// exists), ordinary puts, the put that crosses the entry bound, and the background work (the one listing, the
// eviction) timed apart, since no reply waits for it. Fresh folder per run, runs interleaved over the sizes.
//   node --import tsx bench/cache.ts [--runs 5]
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serializeCacheEntry, type CacheEntry } from '../src/core/cache/cacheEntry';
import { FileStore } from '../src/core/cache/fileStore';

const HOUR = 3_600_000;
const ORDINARY_PUTS = 24;
const keyOf = (name: string) => createHash('sha256').update(name).digest('hex');
const entryFor = (key: string, now: number): CacheEntry => ({
  version: 1,
  key,
  model: 'gpt-4o-mini',
  reply: `${key} `.repeat(30),
  usage: { promptTokens: 100, completionTokens: 120, totalTokens: 220 },
  createdAt: now,
  expiresAt: now + HOUR,
});

interface CacheRun {
  firstPutMs: number;
  putMs: number;
  evictingPutMs: number;
  listingMs: number;
  evictionMs: number;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function oneRun(entries: number, run: number): Promise<CacheRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tally-bench-cache-${entries}-`));
  try {
    const now = Date.now();
    for (let i = 0; i < entries; i++) {
      const key = keyOf(`${run}-${i}`);
      const file = path.join(dir, key.slice(0, 2), `${key}.json`);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, serializeCacheEntry(entryFor(key, now)), { mode: 0o600 });
      const used = new Date(now - (entries - i) * 1_000);
      fs.utimesSync(file, used, used);
    }
    const store = new FileStore({ dir, maxEntries: entries + ORDINARY_PUTS + 1 });
    let n = 0;
    const put = () => {
      const key = keyOf(`${run}-new-${n++}`);
      return timed(() => store.set(key, entryFor(key, Date.now()), HOUR));
    };
    const firstPutMs = await put();
    const listingMs = await timed(() => store.settled());
    const puts: number[] = [];
    for (let i = 0; i < ORDINARY_PUTS; i++) puts.push(await put());
    await store.settled();
    const evictingPutMs = await put();
    const evictionMs = await timed(() => store.settled());
    await store.dispose();
    return { firstPutMs, putMs: median(puts), evictingPutMs, listingMs, evictionMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const ms = (xs: number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

export async function benchCache(sizes = [1_000, 10_000], runs = 5): Promise<Map<number, CacheRun[]>> {
  const results = new Map<number, CacheRun[]>(sizes.map((size) => [size, []]));
  for (let run = 0; run < runs; run++) for (const size of sizes) results.get(size)?.push(await oneRun(size, run));
  return results;
}

export function cacheTable(results: Map<number, CacheRun[]>): string {
  const rows = [...results].map(([size, runs]) => {
    const col = (pick: (r: CacheRun) => number) => ms(runs.map(pick));
    const ratio = median(runs.map((r) => r.evictingPutMs / r.putMs)).toFixed(2);
    return `| ${size} | ${col((r) => r.firstPutMs)} | ${col((r) => r.putMs)} | ${col((r) => r.evictingPutMs)} | ${ratio}× | ${col((r) => r.listingMs)} | ${col((r) => r.evictionMs)} |`;
  });
  return [
    `### Response cache file store (ms, median (min–max) over ${[...results.values()][0]?.length ?? 0} interleaved runs)`,
    '',
    "Puts are on the caller's path; the listing and the eviction run in the background after a put resolves.",
    '',
    '| entries | first put | put | evicting put | evicting / ordinary | background listing (once) | background eviction |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

if (process.argv[1]?.endsWith('cache.ts')) {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
  void benchCache(undefined, runs).then((r) => console.log(cacheTable(r)));
}
