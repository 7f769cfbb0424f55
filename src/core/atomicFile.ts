// File primitives for folders that several VS Code windows (processes) share:
// - writeAtomic: write-file-atomic writes a temp file next to the target, fsyncs it and renames it over the target,
//   so a reader (or a process killed mid-write) sees the whole old file or the whole new one, never a torn one;
// - readWithFingerprint: the content together with the identity of the very file read (size:mtime:inode, from the
//   same open descriptor), so a cache can tell later whether the file was replaced;
// - moveAside: a damaged file is renamed, never deleted;
// - removeStaleTempFiles: temp files left by a killed writer go, but only old ones (another window may be writing).
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** write-file-atomic's temp files: `<target>.<32-bit hash as decimal>` in the target's folder. */
export const TEMP_FILE = /\.json\.\d+$/;
/** A temp file older than this (wall-clock mtime) is left over from a killed write. */
export const STALE_TEMP_MS = 10 * 60_000;

export const isNotFound = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** Errors Windows gives a rename while another process (another window reading) has the target open: retried. */
const TRANSIENT = new Set(['EPERM', 'EACCES', 'EBUSY']);

export async function writeAtomic(file: string, text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeFileAtomic(file, text, { encoding: 'utf8', fsync: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | undefined)?.code;
      if (process.platform !== 'win32' || !code || !TRANSIENT.has(code) || attempt >= 5) throw e;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/** Renames `from` to `to`; false when `from` does not exist. */
export async function renameIfExists(from: string, to: string): Promise<boolean> {
  try {
    await fs.rename(from, to);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Changes whenever the file is replaced: an atomic write is a new inode, and usually a new size and mtime too. */
export const fingerprintOf = (st: Stats): string => `${st.size}:${st.mtimeMs}:${st.ino}`;

/** The file's fingerprint, or undefined when it does not exist. */
export async function statFingerprint(file: string): Promise<string | undefined> {
  try {
    return fingerprintOf(await fs.stat(file));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The file's text and fingerprint, or undefined when it does not exist; other errors (EACCES, EISDIR) throw. */
export async function readWithFingerprint(file: string): Promise<{ text: string; fingerprint: string } | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  try {
    const st = await handle.stat();
    return { fingerprint: fingerprintOf(st), text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}

/** Renames `file` to `<file>.<tag>` (or `<file>.<tag>-<n>` if that is taken) and returns the new path. */
export async function moveAside(file: string, tag: string): Promise<string> {
  for (let n = 0; n < 100; n++) {
    const target = `${file}.${tag}${n ? `-${n}` : ''}`;
    try {
      await fs.access(target);
      continue; // taken: never overwrite an earlier damaged copy
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await fs.rename(file, target);
    return target;
  }
  throw new Error(`No free name to set ${file} aside`);
}

/** Deletes write-file-atomic temp files in `dir` whose mtime is older than `maxAgeMs`; returns how many went. */
export async function removeStaleTempFiles(dir: string, maxAgeMs = STALE_TEMP_MS, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if (isNotFound(e)) return 0;
    throw e;
  }
  for (const name of names.filter((n) => TEMP_FILE.test(n))) {
    const file = path.join(dir, name);
    try {
      if (now - (await fs.stat(file)).mtimeMs < maxAgeMs) continue;
      await fs.unlink(file);
      removed++;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return removed;
}
