// The local response cache: one JSON file per entry under `<globalStorage>/cache`, in 256 shard folders named by the
// key's first two hex digits. All windows share the folder, so everything shared lives in the file system:
// - writes are atomic (temp file + rename), so a reader sees the old or the new entry, never a torn one; files are
//   private (0600, folders 0700) and never written or read through a symbolic link (files/privateWrite.ts);
// - an entry file is size-checked before it is read: one over MAX_CACHE_ENTRY_BYTES (or a link, or not a
//   file) is dropped like a corrupt entry, with one warning, and a larger entry is never written;
// - recency is the file's mtime: a write and every hit set it to the clock's now, so LRU spans all windows;
// - expiry is the entry's `expiresAt`, checked at read against the injectable clock, and by scans.
// Each instance keeps a tally of entry sizes (one directory scan at first write, lazily) so a write is O(1); when
// the tally exceeds the bound, a rescan (which sees other windows' writes too) drops expired and corrupt entries,
// then the least recently used, down to 90 % of the bound. Windows only ever delete whole files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errorMessage';
import { readBounded } from '../files/boundedRead';
import { isNotFound, isRefusedFile } from '../files/fileErrors';
import { writeAtomic } from '../files/privateWrite';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { MAX_CACHE_ENTRY_BYTES, parseCacheEntry, serializeCacheEntry, type CacheEntry } from './cacheEntry';
import { isCacheKey } from './cacheKey';
import type { CacheStore, CacheStoreStats } from './cacheStore';
import { readdirQuietly, readExpiry, removeStaleTemps, unlinkQuietly } from './entryFiles';

export const DEFAULT_CACHE_MAX_BYTES = 50 * 1024 * 1024;
/** Eviction stops at this share of the bound, so a full cache is not rescanned on every write. */
const EVICT_TO = 0.9;
/** Files a scan reads at once. */
const SCAN_BATCH = 64;
const SHARD = /^[0-9a-f]{2}$/;
const ENTRY_FILE = /^([0-9a-f]{64})\.json$/;
/** Temp files of writeAtomic: `<file>.<number>` next to the target. */
const TEMP_FILE = /^[0-9a-f]{64}\.json\.\d+$/;

export interface FileStoreOptions {
  /** The cache folder, e.g. `<globalStorageUri>/cache`; created on first write. */
  dir: string;
  clock?: Clock;
  logger?: Logger;
  /** Bound on the bytes of all entries; default 50 MB. */
  maxBytes?: number;
  /** Bound on the number of entries; default none. */
  maxEntries?: number;
}

interface ScannedFile {
  key: string;
  file: string;
  bytes: number;
  mtimeMs: number;
}

export class FileStore implements CacheStore {
  private readonly dir: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  /** Bytes per key as this instance knows them, and their sum. */
  private tally = new Map<string, number>();
  private totalBytes = 0;
  private initialScan: Promise<void> | undefined;
  private eviction: Promise<void> | undefined;
  /** Per running scan: writes made meanwhile, re-applied to the tally the scan rebuilds. */
  private readonly writesDuringScans = new Set<Map<string, number>>();
  private disposed = false;

  constructor(options: FileStoreOptions) {
    this.dir = options.dir;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.maxBytes = positive(options.maxBytes) ?? DEFAULT_CACHE_MAX_BYTES;
    this.maxEntries = positive(options.maxEntries) ?? Number.POSITIVE_INFINITY;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    if (this.disposed || !isCacheKey(key)) return undefined;
    const file = this.fileOf(key);
    let text: string;
    try {
      const got = await readBounded(file, MAX_CACHE_ENTRY_BYTES);
      if (!got) return undefined;
      text = got.text;
    } catch (e) {
      if (!isRefusedFile(e)) throw e;
      // Too large, a link or not a file: never ours. Removing it deletes the entry (or the link), nothing else.
      this.logger.warn(`Response cache: dropped an unreadable entry (${errorMessage(e)})`);
      await this.remove(key, file);
      return undefined;
    }
    const parsed = parseCacheEntry(text, key);
    if (!parsed.ok) {
      this.logger.warn(`Response cache: dropped a corrupt entry (${parsed.error}): ${file}`);
      await this.remove(key, file);
      return undefined;
    }
    const now = this.clock.now();
    if (parsed.entry.expiresAt <= now) {
      await this.remove(key, file);
      return undefined;
    }
    await this.touch(file, now); // a hit makes it the most recently used, for every window
    return parsed.entry;
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (this.disposed) return;
    if (!isCacheKey(key) || entry.key !== key) throw new Error(`Response cache: refusing an entry under key "${key}"`);
    const now = this.clock.now();
    const text = serializeCacheEntry({ ...entry, expiresAt: now + ttlMs });
    const bytes = Buffer.byteLength(text);
    if (bytes > this.maxBytes * EVICT_TO || bytes > MAX_CACHE_ENTRY_BYTES) {
      this.logger.debug(`Response cache: entry of ${bytes} bytes is larger than the cache or entry bound; not stored`);
      return;
    }
    await (this.initialScan ??= this.rescan(false).then(
      () => undefined,
      (e: unknown) => {
        this.initialScan = undefined; // try again on the next write
        throw e;
      },
    ));
    const file = this.fileOf(key);
    // No fsync: a cache may lose its last writes in a power cut; a file left empty by one is dropped as corrupt.
    await writeAtomic(file, text, { fsync: false, top: this.dir });
    await this.touch(file, now);
    this.record(key, bytes);
    if (this.overBound())
      await (this.eviction ??= this.evict().finally(() => {
        this.eviction = undefined;
      }));
  }

  async delete(key: string): Promise<void> {
    if (isCacheKey(key)) await this.remove(key, this.fileOf(key));
  }

  /** Deletes every entry file (and temp files left by crashes); folders, foreign files and writes in flight stay. */
  async clear(): Promise<void> {
    const { entries, temps } = await this.list();
    await Promise.all([...entries.map((f) => unlinkQuietly(f.file)), removeStaleTemps(temps)]);
    this.tally = new Map();
    this.totalBytes = 0;
  }

  /** Counts what is on disk now (all windows' entries), dropping expired and corrupt ones on the way. */
  async stats(): Promise<CacheStoreStats> {
    const live = await this.rescan(true);
    return { entries: live.length, bytes: live.reduce((sum, f) => sum + f.bytes, 0) };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.eviction?.catch(() => undefined);
  }

  private fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  private record(key: string, bytes: number): void {
    this.totalBytes += bytes - (this.tally.get(key) ?? 0);
    this.tally.set(key, bytes);
    for (const writes of this.writesDuringScans) writes.set(key, bytes);
  }

  private forget(key: string): void {
    this.totalBytes -= this.tally.get(key) ?? 0;
    this.tally.delete(key);
    for (const writes of this.writesDuringScans) writes.delete(key);
  }

  private overBound(): boolean {
    return this.totalBytes > this.maxBytes || this.tally.size > this.maxEntries;
  }

  /**
   * Sets the file's mtime (its recency); lutimes, so a link swapped in meanwhile is not followed. Best effort: a file
   * deleted meanwhile, or a refusal, only costs recency.
   */
  private async touch(file: string, now: number): Promise<void> {
    const time = new Date(now);
    await fs.lutimes(file, time, time).catch((e: unknown) => {
      if (!isNotFound(e))
        this.logger.debug(`Response cache: could not update recency of ${file}: ${(e as Error).message}`);
    });
  }

  private async remove(key: string, file: string): Promise<void> {
    await unlinkQuietly(file);
    this.forget(key);
  }

  /** Rescans (expired and corrupt entries go), then deletes least recently used entries down to 90 % of the bound. */
  private async evict(): Promise<void> {
    const live = await this.rescan(true);
    if (!this.overBound()) return;
    const byteTarget = this.maxBytes * EVICT_TO;
    const entryTarget = Math.floor(this.maxEntries * EVICT_TO);
    live.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.key < b.key ? -1 : 1));
    let evicted = 0;
    for (const f of live) {
      if (this.totalBytes <= byteTarget && this.tally.size <= entryTarget) break;
      await this.remove(f.key, f.file);
      evicted++;
    }
    this.logger.debug(
      `Response cache: evicted ${evicted} least recently used entries (${this.tally.size} left, ${this.totalBytes} bytes)`,
    );
  }

  /**
   * Rebuilds the tally from the folder. With `checkExpiry` each file's first bytes are read: expired entries and
   * files that do not start like an entry are deleted. Returns the live entries.
   */
  private async rescan(checkExpiry: boolean): Promise<ScannedFile[]> {
    const writesDuringScan = new Map<string, number>();
    this.writesDuringScans.add(writesDuringScan);
    try {
      const { entries, temps } = await this.list();
      await removeStaleTemps(temps);
      const now = this.clock.now();
      const live: ScannedFile[] = [];
      const check = async (f: ScannedFile) => {
        const expiresAt = checkExpiry ? await readExpiry(f.file) : Number.POSITIVE_INFINITY;
        if (expiresAt === 'gone') return;
        if (expiresAt === 'corrupt') this.logger.warn(`Response cache: dropped a corrupt entry: ${f.file}`);
        if (expiresAt === 'corrupt' || expiresAt <= now) await unlinkQuietly(f.file);
        else live.push(f);
      };
      for (let i = 0; i < entries.length; i += SCAN_BATCH)
        await Promise.all(entries.slice(i, i + SCAN_BATCH).map(check));
      this.tally = new Map(live.map((f) => [f.key, f.bytes]));
      for (const [key, bytes] of writesDuringScan) this.tally.set(key, bytes);
      this.totalBytes = [...this.tally.values()].reduce((sum, b) => sum + b, 0);
      return live;
    } finally {
      this.writesDuringScans.delete(writesDuringScan);
    }
  }

  /** Entry files (with size and mtime) and temp files in all shards. */
  private async list(): Promise<{ entries: ScannedFile[]; temps: string[] }> {
    const entries: ScannedFile[] = [];
    const temps: string[] = [];
    if ((await fs.lstat(this.dir).catch(() => undefined))?.isSymbolicLink()) return { entries, temps }; // as for shards
    for (const shard of (await readdirQuietly(this.dir)).filter((name) => SHARD.test(name))) {
      const shardDir = path.join(this.dir, shard);
      // A shard that is a link leads out of the cache: nothing in it is scanned, and so nothing there is deleted.
      if ((await fs.lstat(shardDir).catch(() => undefined))?.isSymbolicLink()) continue;
      await Promise.all(
        (await readdirQuietly(shardDir)).map(async (name) => {
          const file = path.join(shardDir, name);
          const match = ENTRY_FILE.exec(name);
          if (match && match[1].startsWith(shard)) {
            const s = await fs.lstat(file).catch(() => undefined);
            if (s?.isFile() || s?.isSymbolicLink())
              entries.push({ key: match[1], file, bytes: s.size, mtimeMs: s.mtimeMs });
          } else if (TEMP_FILE.test(name)) {
            temps.push(file);
          }
        }),
      );
    }
    return { entries, temps };
  }
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}
