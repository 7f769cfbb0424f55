// The save path of the conversation store: saves now or debounced (calls within debounceMs coalesce into one write
// of the latest state), writes of one conversation in order, each write atomic (temp file + fsync + rename, private,
// never through a symbolic link: files/privateWrite.ts), then the index entry of what was written.
// - A save that would exceed MAX_CONVERSATION_FILE_BYTES is refused (the conversation stays in memory), so what is
//   saved can be read back.
// - When two windows save the SAME conversation, the last writer wins, whole file: there is no merge of messages. The
//   other window's changes live on in its memory and win in turn at its next save. A save that replaces a file
//   another window changed since this window last read or wrote it (`known`) is logged as a warning.
// - A failed save is logged, warned to the user, and rejects.
import type { Logger } from '../ports';
import { errorMessage } from '../errorMessage';
import { statFingerprint } from '../files/boundedRead';
import { writeAtomic } from '../files/privateWrite';
import { serializeConversation, summarize, type Conversation, type ConversationSummary } from './codec';
import type { ConversationIndexFile } from './conversationIndex';
import { conversationFile, MAX_CONVERSATION_FILE_BYTES } from './conversationReader';
import { QueuePerKey } from './queuePerKey';
import type { UserWarnings } from './userWarnings';

export interface ConversationSaverDeps {
  /** The conversations folder. */
  dir: string;
  logger: Logger;
  index: ConversationIndexFile;
  /** Per id, the fingerprint of the file as this window last read or wrote it (shared with the reader). */
  known: Map<string, string>;
  warnings: UserWarnings;
  /** Prepares the folder (once per store); every write waits for it. */
  open(): Promise<void>;
  /** scheduleSave writes at most once per this many ms (real timers). */
  debounceMs: number;
}

export class ConversationSaver {
  /** Conversations waiting for the debounce timer. */
  private readonly pending = new Map<string, Conversation>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes of one conversation run in order, so the last save lands last. */
  private readonly writes = new QueuePerKey();
  private disposed = false;

  constructor(private readonly deps: ConversationSaverDeps) {}

  /** Writes the conversation now (atomic) and updates the index; replaces a save waiting for the timer. */
  save(c: Conversation): Promise<void> {
    this.pending.delete(c.id);
    return this.enqueue(c);
  }

  /** Saves soon: calls within debounceMs coalesce into one write of the latest state. */
  schedule(c: Conversation): void {
    if (this.disposed) {
      this.save(c).catch(() => undefined); // logged by write(); no timer may fire after dispose
      return;
    }
    this.pending.set(c.id, c);
    this.timer ??= setTimeout(() => {
      this.flush().catch(() => undefined);
    }, this.deps.debounceMs);
  }

  /** The conversation's state waiting for the timer, if any (newer than its file). */
  waiting(id: string): Conversation | undefined {
    return this.pending.get(id);
  }

  /** Waits until this window's saves of `id` (pending ones included) are on disk or have failed. */
  async settle(id: string): Promise<void> {
    if (this.pending.has(id)) await this.flush().catch(() => undefined); // a failed save was logged and warned
    await this.writes.settled(id);
  }

  /** Drops the save of `id` waiting for the timer and waits for its writes under way (before a delete). */
  async discard(id: string): Promise<void> {
    this.pending.delete(id);
    await this.writes.settled(id);
  }

  /** Writes every pending save and waits for all writes under way; rejects if one of them failed. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const c of batch) this.enqueue(c).catch(() => undefined);
    const results = await Promise.allSettled(this.writes.pending());
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Flushes pending saves; later schedule calls save at once. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.flush();
  }

  /** Serialises now (the state at this call), writes after the previous write of the same id. */
  private enqueue(c: Conversation): Promise<void> {
    const { id } = c;
    const text = serializeConversation(c);
    const summary = summarize(c);
    return this.writes.run(id, () => this.write(id, text, summary));
  }

  private async write(id: string, text: string, summary: ConversationSummary): Promise<void> {
    const { logger, dir, known } = this.deps;
    const file = conversationFile(dir, id);
    const started = Date.now();
    try {
      await this.deps.open();
      const before = known.get(id);
      if (before !== undefined && before !== (await statFingerprint(file))) {
        logger.warn(
          `Conversation ${id} was changed by another window since this window read it; this save replaces it (last writer wins)`,
        );
      }
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > MAX_CONVERSATION_FILE_BYTES) {
        throw new Error(
          `it is ${bytes} bytes, more than the ${MAX_CONVERSATION_FILE_BYTES} a conversation file may have; it stays open in this window (start a new chat, or delete long replies)`,
        );
      }
      await writeAtomic(file, text, { top: dir });
    } catch (e) {
      const message = `Tally could not save the conversation "${summary.title}" (${file}): ${errorMessage(e)}`;
      logger.error(message);
      this.deps.warnings.push(message);
      throw e;
    }
    const fingerprint = await statFingerprint(file).catch(() => undefined);
    if (fingerprint) known.set(id, fingerprint);
    logger.debug(
      `Saved conversation ${id}: ${summary.messageCount} messages, ${text.length} chars in ${Date.now() - started} ms`,
    );
    await this.deps.index.update(new Map([[id, fingerprint ? { ...summary, fingerprint } : null]]));
  }
}
