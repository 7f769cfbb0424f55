// The local response cache: one JSON file per entry under `<globalStorage>/cache`, in 256 shard folders named by the
// key's first two hex digits. All windows share the folder, so everything shared lives in the file system:
// - writes are atomic (temp file + rename), so a reader sees the old or the new entry, never a torn one; files are
//   private (0600, folders 0700) and never written or read through a symbolic link (files/privateWrite.ts);
// - an entry file is size-checked before it is read: one over MAX_CACHE_ENTRY_BYTES (or a link, or not a
//   file) is dropped like a corrupt entry, with one warning, and a larger entry is never written;
// - recency is the file's mtime: a write and every hit set it to the clock's now, so LRU spans all windows;
// - expiry is the entry's `expiresAt`, checked at read against the injectable clock, and by scans.
// A lookup reads the key's file directly (so other windows' writes are found); a put writes one file and updates an
// in-memory index (entryIndex.ts): its cost does not grow with the number of entries. The index is built by one
// listing (no file opened), lazily, after the first put, and refreshed by a listing every RELIST_MS (other windows'
// entries). Upkeep runs in the background after a put resolves: when the index is over the bound, the least recently
// used entries (expired ones first) are deleted down to 90 % of it, each checked first against its file's mtime (a
// hit in another window makes it recent again), so eviction costs a few operations per evicted entry, not a scan.
// `settled()` waits for the upkeep; `dispose()` too. Windows only ever delete whole files.
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
import { EntryIndex } from './entryIndex';
import { listEntryFiles, readExpiry, removeStaleTemps, unlinkQuietly, type ListedFile } from './entryFiles';

export const DEFAULT_CACHE_MAX_BYTES = 50 * 1024 * 1024;
/** Eviction stops at this share of the bound, so a full cache is not evicted from on every write. */
const EVICT_TO = 0.9;
/** How old (clock time) the index may get before upkeep lists the folder again, to count other windows' entries. */
export const RELIST_MS = 10 * 60_000;
/** Files a scan reads at once. */
const SCAN_BATCH = 64;

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

export class FileStore implements CacheStore {
  private readonly dir: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly index = new EntryIndex();
  /** Clock time of the last listing merged into the index; undefined until the first. */
  private listedAt: number | undefined;
  /** The background upkeep (listing, eviction) in progress, and whether a put asked for another round meanwhile. */
  private upkeep: Promise<void> | undefined;
  private upkeepAgain = false;
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
      if (!got) {
        this.index.delete(key); // deleted by another window
        return undefined;
      }
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
    this.index.set(key, { bytes: Buffer.byteLength(text), lastUsed: now, expiresAt: parsed.entry.expiresAt });
    return parsed.entry;
  }

  /** Writes the entry's file and indexes it; listing and eviction follow in the background (see `settled`). */
  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (this.disposed) return;
    if (!isCacheKey(key) || entry.key !== key) throw new Error(`Response cache: refusing an entry under key "${key}"`);
    const now = this.clock.now();
    const expiresAt = now + ttlMs;
    const text = serializeCacheEntry({ ...entry, expiresAt });
    const bytes = Buffer.byteLength(text);
    if (bytes > this.maxBytes * EVICT_TO || bytes > MAX_CACHE_ENTRY_BYTES) {
      this.logger.debug(`Response cache: entry of ${bytes} bytes is larger than the cache or entry bound; not stored`);
      return;
    }
    const file = this.fileOf(key);
    // No fsync: a cache may lose its last writes in a power cut; a file left empty by one is dropped as corrupt.
    await writeAtomic(file, text, { fsync: false, top: this.dir });
    await this.touch(file, now);
    this.index.set(key, { bytes, lastUsed: now, expiresAt });
    this.scheduleUpkeep();
  }

  async delete(key: string): Promise<void> {
    if (isCacheKey(key)) await this.remove(key, this.fileOf(key));
  }

  /** Deletes every entry file (and temp files left by crashes); folders, foreign files and writes in flight stay. */
  async clear(): Promise<void> {
    const { entries, temps } = await listEntryFiles(this.dir);
    await Promise.all([...entries.map((f) => unlinkQuietly(f.file)), removeStaleTemps(temps)]);
    this.index.clear();
  }

  /** Counts what is on disk now (all windows' entries), dropping expired and corrupt ones on the way. */
  async stats(): Promise<CacheStoreStats> {
    const live = await this.rescan();
    return { entries: live.length, bytes: live.reduce((sum, f) => sum + f.bytes, 0) };
  }

  /** Resolves when the background upkeep started by puts (listing, eviction) has finished. */
  async settled(): Promise<void> {
    while (this.upkeep) await this.upkeep;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.settled();
  }

  private fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  private overBound(factor = 1): boolean {
    return this.index.bytes > this.maxBytes * factor || this.index.size > Math.floor(this.maxEntries * factor);
  }

  /** Starts the upkeep after the current put has resolved (a macrotask later); one round at a time. */
  private scheduleUpkeep(): void {
    if (this.upkeep) {
      this.upkeepAgain = true;
      return;
    }
    this.upkeep = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.runUpkeep())
      .catch((e: unknown) => this.logger.debug(`Response cache: upkeep failed: ${errorMessage(e)}`))
      .finally(() => {
        this.upkeep = undefined;
        if (this.upkeepAgain && !this.disposed) {
          this.upkeepAgain = false;
          this.scheduleUpkeep();
        }
      });
  }

  private async runUpkeep(): Promise<void> {
    if (this.disposed) return;
    if (this.listedAt === undefined || this.clock.now() - this.listedAt >= RELIST_MS) await this.relist();
    if (this.overBound()) await this.evict();
  }

  /** Merges a listing of the folder (stat only: no file is opened) into the index; removes stale temp files. */
  private async relist(): Promise<ListedFile[]> {
    const mark = this.index.mark();
    const startedAt = this.clock.now();
    const { entries, temps } = await listEntryFiles(this.dir);
    await removeStaleTemps(temps);
    this.index.merge(entries, mark);
    this.listedAt = startedAt;
    return entries;
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
    this.index.delete(key);
  }

  /**
   * Deletes entries in eviction order down to 90 % of the bound. A live entry's file is checked first: when another
   * window used it since (a newer mtime), it is kept for a second pass, which takes it only if still needed.
   */
  private async evict(): Promise<void> {
    let evicted = 0;
    for (let pass = 0; pass < 2 && this.overBound(EVICT_TO); pass++) {
      const now = this.clock.now();
      for (const key of this.index.evictionOrder(now)) {
        if (!this.overBound(EVICT_TO)) break;
        const known = this.index.get(key);
        if (!known) continue; // deleted meanwhile
        const file = this.fileOf(key);
        if (known.expiresAt > now) {
          const s = await fs.lstat(file).catch(() => undefined);
          if (!s) {
            this.index.delete(key); // another window deleted it
            continue;
          }
          if (Math.round(s.mtimeMs) > known.lastUsed) {
            this.index.setLastUsed(key, Math.round(s.mtimeMs));
            continue;
          }
        }
        await this.remove(key, file);
        evicted++;
      }
    }
    this.logger.debug(
      `Response cache: evicted ${evicted} least recently used entries (${this.index.size} left, ${this.index.bytes} bytes)`,
    );
  }

  /**
   * Lists the folder and reads each file's first bytes: expired entries and files that do not start like an entry
   * are deleted. The index becomes what is live on disk. Returns the live entries.
   */
  private async rescan(): Promise<ListedFile[]> {
    const mark = this.index.mark();
    const startedAt = this.clock.now();
    const { entries, temps } = await listEntryFiles(this.dir);
    await removeStaleTemps(temps);
    const now = this.clock.now();
    const live: ListedFile[] = [];
    const check = async (f: ListedFile) => {
      const expiresAt = await readExpiry(f.file);
      if (expiresAt === 'gone') return;
      if (expiresAt === 'corrupt') this.logger.warn(`Response cache: dropped a corrupt entry: ${f.file}`);
      if (expiresAt === 'corrupt' || expiresAt <= now) await unlinkQuietly(f.file);
      else live.push({ ...f, expiresAt });
    };
    for (let i = 0; i < entries.length; i += SCAN_BATCH) await Promise.all(entries.slice(i, i + SCAN_BATCH).map(check));
    this.index.merge(live, mark);
    this.listedAt = startedAt;
    return live;
  }
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}
