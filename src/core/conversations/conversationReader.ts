// Reading one conversation file back, and the repair that goes with it: the file is size-checked before it is read
// (one over MAX_CONVERSATION_FILE_BYTES, a link or not a file is refused), then its snapshot and records are applied,
// migrated and validated (conversationLog.ts, codec.ts); a last record cut by a crash is ignored. A
// damaged or refused file is set aside (`<id>.json.corrupt-<time>`) so the other conversations stay readable; a file
// from a newer Tally, or one that cannot be read for an I/O reason, is left where it is. Each is warned once.
// Every good read returns the file's fingerprint (size:mtime:inode) and size, for the save path's conflict check.
import * as l10n from '@vscode/l10n';
import path from 'node:path';
import type { Clock } from '../ports';
import { errorMessage } from '../errorMessage';
import { readBounded, statFingerprint } from '../files/boundedRead';
import { FileTooLargeError, isRefusedFile } from '../files/fileErrors';
import { moveAside } from '../files/leftovers';
import type { Conversation } from './codec';
import { parseConversationLog } from './conversationLog';
import type { UserWarnings } from './userWarnings';

/** The largest conversation file read back (or written): 64 MiB, far beyond any real conversation. */
export const MAX_CONVERSATION_FILE_BYTES = 64 * 1024 * 1024;

/** The file of conversation `id` in the conversations folder `dir`. */
export const conversationFile = (dir: string, id: string): string => path.join(dir, `${id}.json`);

export interface ConversationRead {
  conversation: Conversation;
  fingerprint: string;
  /** The file's size in bytes, and whether a record may be appended to it as it is. */
  size: number;
  appendable: boolean;
}

export class ConversationReader {
  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly warnings: UserWarnings,
  ) {}

  /** Reads, migrates and validates one file; a damaged one is set aside, a newer version's skipped (both warned once). */
  async read(id: string): Promise<ConversationRead | undefined> {
    const file = conversationFile(this.dir, id);
    let got: { text: string; fingerprint: string } | undefined;
    try {
      got = await readBounded(file, MAX_CONVERSATION_FILE_BYTES);
    } catch (e) {
      if (!isRefusedFile(e)) {
        // An I/O error (EACCES, EMFILE…) says nothing about the file itself: warn, and leave it where it is.
        this.warnings.once(
          `${id} unreadable`,
          l10n.t('Tally cannot read the conversation file {0}: {1}', file, errorMessage(e)),
        );
        return undefined;
      }
      // Too large, a link or not a file: set aside like a damaged file (a link is moved, its target untouched).
      await this.setAside(id, e instanceof FileTooLargeError ? e.fingerprint : undefined, errorMessage(e));
      return undefined;
    }
    if (!got) return undefined;
    const result = parseConversationLog(got.text, id);
    if (result.kind === 'ok') {
      const { conversation, appendable } = result;
      return { conversation, fingerprint: got.fingerprint, size: Buffer.byteLength(got.text, 'utf8'), appendable };
    }
    if (result.kind === 'future') {
      // Written by a newer Tally (maybe in another window right now): leave it where it is.
      this.warnings.once(
        `${id} ${got.fingerprint}`,
        l10n.t(
          'Tally skipped {0}: it was saved by a newer version of Tally (format {1}). Update Tally to open it.',
          file,
          result.version,
        ),
      );
      return undefined;
    }
    await this.setAside(id, got.fingerprint, result.reason);
    return undefined;
  }

  private async setAside(id: string, fingerprint: string | undefined, reason: string): Promise<void> {
    const file = conversationFile(this.dir, id);
    try {
      // If another window replaced the file since it was read, the new file is not the damaged one.
      if (fingerprint !== undefined && (await statFingerprint(file)) !== fingerprint) return;
      const target = await moveAside(file, `corrupt-${this.clock.now()}`);
      this.warnings.once(
        target,
        l10n.t(
          'Tally set aside a damaged conversation file: {0} ({1}). The other conversations are unaffected.',
          target,
          reason,
        ),
      );
    } catch (e) {
      this.warnings.once(
        `${id} ${fingerprint}`,
        l10n.t(
          'Tally cannot read the conversation file {0} ({1}) and could not set it aside: {2}',
          file,
          reason,
          errorMessage(e),
        ),
      );
    }
  }
}
