// Every file Tally reads back is size-checked before a byte of it is read: a file larger than the bound for its kind
// (named by each store, e.g. MAX_CONVERSATION_FILE_BYTES) is refused with FileTooLargeError, so a planted or runaway
// file costs one fstat, never a hang or an out-of-memory. Reads never follow a symbolic link and never block on a
// FIFO or a device: the file is opened O_NOFOLLOW | O_NONBLOCK and must be a regular file (fstat of that very
// descriptor, so a swap between the check and the read changes nothing).
import { constants, promises as fs, type Stats } from 'node:fs';
import { FileTooLargeError, isNotFound, NotAFileError, SymlinkRefusedError } from './fileErrors';

/** O_NOFOLLOW and O_NONBLOCK are POSIX only (0 on Windows). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

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

/**
 * The file's text and fingerprint, or undefined when it does not exist. Throws FileTooLargeError (over `maxBytes`),
 * SymlinkRefusedError, NotAFileError, or the system's error (EACCES…).
 */
export async function readBounded(
  file: string,
  maxBytes: number,
): Promise<{ text: string; fingerprint: string } | undefined> {
  const got = await readBytesAfter(file, 0, maxBytes);
  if (got === undefined) return undefined;
  return { text: got.bytes.toString('utf8'), fingerprint: got.fingerprint };
}

/**
 * The bytes of `file` from `offset` to its size at the time of the read (what is appended meanwhile is left for
 * the next read), with the file's size; undefined when it does not exist. The whole file (not just the bytes
 * asked for) must be within `maxBytes`.
 */
export async function readBytesAfter(
  file: string,
  offset: number,
  maxBytes: number,
): Promise<{ bytes: Buffer; size: number; fingerprint: string } | undefined> {
  const handle = await openForRead(file);
  if (!handle) return undefined;
  try {
    const st = await handle.stat();
    const fingerprint = fingerprintOf(st);
    if (st.size > maxBytes) throw new FileTooLargeError(file, st.size, maxBytes, fingerprint);
    const length = Math.max(0, st.size - offset);
    const bytes = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(bytes, read, length - read, offset + read);
      if (bytesRead === 0) break; // shortened meanwhile: what was read is all there is
      read += bytesRead;
    }
    return { bytes: bytes.subarray(0, read), size: st.size, fingerprint };
  } finally {
    await handle.close();
  }
}

/**
 * `file` opened for reading, never through a symbolic link (SymlinkRefusedError) and only if it is a regular file
 * (NotAFileError; a FIFO does not block the open); undefined when it does not exist. The caller closes it.
 */
export async function openForRead(file: string): Promise<fs.FileHandle | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, READ_FLAGS);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new SymlinkRefusedError(file);
    throw e;
  }
  const isFile = await handle.stat().then(
    (st) => st.isFile(),
    () => false,
  );
  if (!isFile) {
    await handle.close();
    throw new NotAFileError(file);
  }
  return handle;
}
