// The file cache's entry files on their own: the listing of the shard folders, the read of an entry's expiry from
// its first bytes (no parse, so a scan of thousands of entries stays cheap) and the quiet unlink/readdir a shared
// folder needs, where another window may delete a file at any moment. See fileStore.ts for the layout.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openForRead } from '../files/boundedRead';
import { isNotFound, isRefusedFile } from '../files/fileErrors';
import { STALE_TEMP_MS } from '../files/leftovers';
import { MAX_CACHE_ENTRY_BYTES } from './cacheEntry';
import type { ListedEntry } from './entryIndex';

const SHARD = /^[0-9a-f]{2}$/;
const ENTRY_FILE = /^([0-9a-f]{64})\.json$/;
/** Temp files of writeAtomic: `<file>.<number>` next to the target. */
const TEMP_FILE = /^[0-9a-f]{64}\.json\.\d+$/;

export interface ListedFile extends ListedEntry {
  file: string;
}

/**
 * Entry files (with size and mtime, from lstat: no file is opened) and temp files in all shards of `dir`. A folder
 * or shard that is a symbolic link leads out of the cache: nothing in it is listed, and so nothing there is deleted.
 */
export async function listEntryFiles(dir: string): Promise<{ entries: ListedFile[]; temps: string[] }> {
  const entries: ListedFile[] = [];
  const temps: string[] = [];
  if ((await fs.lstat(dir).catch(() => undefined))?.isSymbolicLink()) return { entries, temps };
  for (const shard of (await readdirQuietly(dir)).filter((name) => SHARD.test(name))) {
    const shardDir = path.join(dir, shard);
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

/** serializeCacheEntry writes `expiresAt` first; a scan reads this much of each file to find it. */
const EXPIRY_HEADER = /^\{"expiresAt":(\d{1,16}),/;
const HEADER_BYTES = 40;

/**
 * The `expiresAt` at the start of an entry file; 'corrupt' when it does not start like one (or is a link, not a
 * file, or larger than an entry may be), 'gone' if deleted.
 */
export async function readExpiry(file: string): Promise<number | 'corrupt' | 'gone'> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await openForRead(file);
    if (!handle) return 'gone';
    if ((await handle.stat()).size > MAX_CACHE_ENTRY_BYTES) return 'corrupt';
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    const match = EXPIRY_HEADER.exec(buffer.toString('latin1', 0, bytesRead));
    return match ? Number(match[1]) : 'corrupt';
  } catch (e) {
    if (isNotFound(e)) return 'gone';
    if (isRefusedFile(e)) return 'corrupt';
    throw e;
  } finally {
    await handle?.close();
  }
}

/** Deletes temp files old enough to be left over from a crash (a fresh one may be another window's write). */
export async function removeStaleTemps(temps: string[]): Promise<void> {
  const staleBefore = Date.now() - STALE_TEMP_MS; // temp files carry real file-system time, not the clock's
  await Promise.all(
    temps.map(async (t) => {
      const s = await fs.stat(t).catch(() => undefined);
      if (s && s.mtimeMs < staleBefore) await unlinkQuietly(t);
    }),
  );
}

export async function unlinkQuietly(file: string): Promise<void> {
  await fs.unlink(file).catch((e: unknown) => {
    if (!isNotFound(e)) throw e;
  });
}

export async function readdirQuietly(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (e) {
    if (isNotFound(e) || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
}
