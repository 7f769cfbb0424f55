// One write of a conversation log (conversationLog.ts): append the save's record (O_APPEND, fsynced, never through a
// link: files/privateWrite.ts), or replace the file with a fresh snapshot (temp file + fsync + rename). A snapshot
// is written when the file is new, cannot take a record (old format, torn tail, failed write), was changed by
// another window (last writer wins, whole file, with a warning), would pass MAX_CONVERSATION_FILE_BYTES, or holds
// more dead bytes (records since superseded) than live ones: so the bytes written stay within a small multiple of
// the conversation's size, and the file within twice it. A snapshot larger than the bound is refused.
import * as l10n from '@vscode/l10n';
import type { Logger } from '../ports';
import { statFingerprint } from '../files/boundedRead';
import { isNotFound } from '../files/fileErrors';
import { appendPrivate, writeAtomic } from '../files/privateWrite';
import { snapshotLine } from './conversationLog';
import { MAX_CONVERSATION_FILE_BYTES } from './conversationReader';
import type { LogJob, TrackedFile } from './trackedFiles';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

export class LogWriter {
  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Writes `job` to `path` (the file of conversation `id`), updating `file`; returns the bytes written and how. */
  async write(id: string, path: string, file: TrackedFile, job: LogJob): Promise<{ bytes: number; kind: string }> {
    const now = await statFingerprint(path);
    if (file.fingerprint !== undefined && now !== file.fingerprint) {
      this.logger.warn(
        `Conversation ${id} was changed by another window since this window read it; this save replaces it (last writer wins)`,
      );
      file.appendable = false;
    }
    if (job.record !== undefined && now !== undefined && now === file.fingerprint && file.appendable) {
      const after = file.size + bytes(job.record);
      const live = file.state.liveBytes();
      if (after - live <= live && after <= MAX_CONVERSATION_FILE_BYTES) {
        const appended = await this.append(path, job.record);
        if (appended) {
          // Another writer appended at the same moment: the file is whole but not ours alone; snapshot next time.
          if (appended.size !== after) file.appendable = false;
          file.size = appended.size;
          file.fingerprint = appended.fingerprint;
          file.writtenGen = job.gen;
          return { bytes: bytes(job.record), kind: 'appended' };
        }
      }
    }
    // The job's own snapshot (the first save's state), else the latest state: the saves queued after this one are
    // in it, so their writes are skipped (writtenGen).
    const latest = job.snapshot === undefined;
    const text = latest ? snapshotLine(file.state.toConversation()).text : (job.snapshot as string);
    const size = bytes(text);
    if (size > MAX_CONVERSATION_FILE_BYTES) {
      throw new Error(
        l10n.t(
          'it is {0} bytes, more than the {1} a conversation file may have; it stays open in this window (start a new chat, or delete long replies)',
          size,
          MAX_CONVERSATION_FILE_BYTES,
        ),
      );
    }
    await writeAtomic(path, text, { top: this.dir });
    file.fingerprint = await statFingerprint(path).catch(() => undefined);
    file.size = size;
    file.appendable = file.fingerprint !== undefined;
    file.writtenGen = latest ? file.gen : job.gen;
    return { bytes: size, kind: 'snapshot' };
  }

  /** Appends to an existing file; undefined when it vanished meanwhile (then a snapshot is written instead). */
  private async append(path: string, record: string): Promise<{ size: number; fingerprint: string } | undefined> {
    try {
      return await appendPrivate(path, record, { top: this.dir, fsync: true, create: false });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}
