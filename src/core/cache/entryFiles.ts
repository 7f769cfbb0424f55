// The file cache's entry files on their own: the read of an entry's expiry from its first bytes
// (no parse, so a scan of thousands of entries stays cheap) and the quiet unlink/readdir a shared folder needs,
// where another window may delete a file at any moment. See fileStore.ts for the layout.
import { promises as fs } from 'node:fs';
import { openForRead } from '../files/boundedRead';
import { isNotFound, isRefusedFile } from '../files/fileErrors';
import { STALE_TEMP_MS } from '../files/leftovers';
import { MAX_CACHE_ENTRY_BYTES } from './cacheEntry';

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
