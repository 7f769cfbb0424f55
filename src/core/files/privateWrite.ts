// The two ways Tally writes the user's files, both private (0600) and never through a symbolic link:
// - writeAtomic: a temp file beside the target, created exclusively (`wx`: a file planted under the temp name is
//   never followed or reused), written, optionally fsynced, then renamed over the target. A reader, or a process
//   killed mid-write, sees the whole old file or the whole new one. The rename replaces a directory entry and never
//   follows a link, and a link at the target or on the way to it is refused before anything is written.
// - appendPrivate: one write on an O_APPEND descriptor opened with O_NOFOLLOW, for logs of records (the ledger, the
//   conversation logs), optionally fsynced.
// Our own temp+rename rather than write-file-atomic: that package resolves the target with realpath (it writes
// through a link, to wherever it points), opens its temp file without O_EXCL and copies the old file's mode.
import { randomInt } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { fingerprintOf } from './boundedRead';
import { NotAFileError, SymlinkRefusedError } from './fileErrors';
import { ensurePrivateDir, PRIVATE_FILE_MODE, refuseSymlink } from './privateDir';

/** Temp files: `<target>.<decimal number>` in the target's folder (the same shape write-file-atomic used). */
export const TEMP_FILE = /\.json\.\d+$/;
/** Errors Windows gives a rename while another process (another window reading) has the target open: retried. */
const TRANSIENT = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_ATTEMPTS = 5;
/** O_NOFOLLOW is POSIX only (0 on Windows, where links need privileges to create). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const POSIX = process.platform !== 'win32';

export interface PrivateWriteOptions {
  /** The store's own folder: every folder from it down to the file's is checked (see ensurePrivateDir). */
  top?: string;
  /** fsync the temp file before the rename (default true); a cache may skip it. */
  fsync?: boolean;
}

/** Replaces `file` with `text` atomically; creates its folder (0700). Throws SymlinkRefusedError for a link. */
export async function writeAtomic(file: string, text: string, options: PrivateWriteOptions = {}): Promise<void> {
  await ensurePrivateDir(path.dirname(file), options.top);
  await refuseSymlink(file);
  const { temp, handle } = await createTemp(file);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      if (options.fsync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, file);
  } catch (e) {
    await fs.unlink(temp).catch(() => undefined);
    throw e;
  }
}

export interface AppendOptions extends Pick<PrivateWriteOptions, 'top'> {
  /** fsync after the write (default false: the ledger's records are counts a crash may lose). */
  fsync?: boolean;
  /** Create the file when it is missing (default true); false throws ENOENT instead. */
  create?: boolean;
}

/**
 * Appends `text` to `file` (created 0600) in one write; the file must be a regular file, not a symbolic link.
 * Returns the file's size and fingerprint right after the write (fstat of the descriptor written through).
 */
export async function appendPrivate(
  file: string,
  text: string,
  options: AppendOptions = {},
): Promise<{ size: number; fingerprint: string }> {
  await ensurePrivateDir(path.dirname(file), options.top);
  let handle: fs.FileHandle;
  try {
    const create = options.create === false ? 0 : constants.O_CREAT;
    // O_NONBLOCK: a FIFO planted at the path fails the open instead of blocking it (no effect on a regular file).
    const flags = constants.O_WRONLY | constants.O_APPEND | create | NOFOLLOW | (constants.O_NONBLOCK ?? 0);
    handle = await fs.open(file, flags, PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new SymlinkRefusedError(file);
    throw e;
  }
  try {
    const before = await handle.stat();
    if (!before.isFile()) throw new NotAFileError(file);
    // A file created before files were private (0644) is tightened at its next append.
    if (POSIX && (before.mode & 0o077) !== 0) await handle.chmod(PRIVATE_FILE_MODE).catch(() => undefined);
    const data = Buffer.from(text, 'utf8');
    for (let at = 0; at < data.length;) at += (await handle.write(data, at)).bytesWritten;
    if (options.fsync) await handle.sync();
    const after = await handle.stat();
    return { size: after.size, fingerprint: fingerprintOf(after) };
  } finally {
    await handle.close();
  }
}

/** A new temp file beside `file`, opened exclusively; a name already taken (a leftover, a planted file) is skipped. */
async function createTemp(file: string): Promise<{ temp: string; handle: fs.FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    const temp = `${file}.${randomInt(0, 2 ** 32)}`;
    try {
      return { temp, handle: await fs.open(temp, 'wx', PRIVATE_FILE_MODE) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
    }
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | undefined)?.code;
      if (process.platform !== 'win32' || !code || !TRANSIENT.has(code) || attempt >= RENAME_ATTEMPTS) throw e;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
