// The save path of the conversation store: saves now or debounced (calls within debounceMs coalesce into one write
// of the latest state), writes of one conversation in order. Each save works out at once what changed since the
// previous one (savedState.ts) and appends that as one record to the conversation's log, fsynced; a fresh snapshot
// replaces the file atomically when it must (logWriter.ts says when). So a save costs what changed, not the
// conversation's length. Then the index entry of what was written (conversationIndex.ts: at once for a new title,
// else deferred, so the index is not rewritten on every save either).
// - A save that would exceed MAX_CONVERSATION_FILE_BYTES is refused (the conversation stays in memory), so what is
//   saved can be read back.
// - When two windows save the SAME conversation, the last writer wins, whole file: there is no merge of messages. A
//   window whose file was changed by another since it last read or wrote it writes a whole snapshot (a warning in
//   the log); the other window's changes live on in its memory and win in turn at its next save.
// - A failed save is logged, warned to the user, and rejects; the next save writes a whole snapshot.
import * as l10n from '@vscode/l10n';
import type { Logger } from '../ports';
import { errorMessage } from '../errorMessage';
import { summarize, type Conversation, type ConversationSummary } from './codec';
import type { ConversationIndexFile } from './conversationIndex';
import { conversationFile } from './conversationReader';
import { LogWriter } from './logWriter';
import { QueuePerKey } from './queuePerKey';
import { SavedState } from './savedState';
import { TrackedFiles, type LogJob, type TrackedFile } from './trackedFiles';
import type { UserWarnings } from './userWarnings';

/** A conversation as read from its file, for adopt(). */
export interface FileRead {
  conversation: Conversation;
  fingerprint: string;
  size: number;
  appendable: boolean;
}

export interface ConversationSaverDeps {
  /** The conversations folder. */
  dir: string;
  logger: Logger;
  index: ConversationIndexFile;
  warnings: UserWarnings;
  /** Prepares the folder (once per store); every write waits for it. */
  open(): Promise<void>;
  /** scheduleSave writes at most once per this many ms (real timers). */
  debounceMs: number;
  /** Told the bytes of every write. */
  written?: (bytes: number, file: 'conversation') => void;
}

export class ConversationSaver {
  /** Conversations waiting for the debounce timer. */
  private readonly pending = new Map<string, Conversation>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes of one conversation run in order, so the last save lands last. */
  private readonly writes = new QueuePerKey();
  private disposed = false;
  /** Per conversation, what its file holds (or will, once the queued writes land). */
  private readonly files = new TrackedFiles();
  private readonly writer: LogWriter;

  constructor(private readonly deps: ConversationSaverDeps) {
    this.writer = new LogWriter(deps.dir, deps.logger);
  }

  /** Writes the conversation now (its changes, appended) and updates the index; replaces a save waiting for the timer. */
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
    this.files.forget(id);
  }

  /** Writes every pending save (and the deferred index entries), waits for all writes; rejects if one failed. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const c of batch) this.enqueue(c).catch(() => undefined);
    const results = await Promise.allSettled(this.writes.pending());
    await this.deps.index.flushDeferred();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Flushes pending saves; later schedule calls save at once. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.flush();
  }

  /**
   * After a load: what the file holds (read just now, `generation` taken before the read), so the next save appends
   * to it. Ignored when a save of `id` was queued meanwhile (the read may be older than what is being written).
   */
  adopt(id: string, read: FileRead, generation: number): void {
    if (this.pending.has(id) || this.writes.busy(id) || this.generation(id) !== generation) return;
    this.files.remember(id, {
      state: new SavedState(read.conversation),
      gen: generation,
      writtenGen: generation,
      fingerprint: read.fingerprint,
      size: read.size,
      appendable: read.appendable,
    });
  }

  /** Counts the saves of `id` queued so far (for adopt). */
  generation(id: string): number {
    return this.files.get(id)?.gen ?? 0;
  }

  /** Works out now (the state at this call) what to write, and writes it after the previous write of the same id. */
  private enqueue(c: Conversation): Promise<void> {
    const { id } = c;
    const summary = summarize(c);
    let file = this.files.get(id);
    let job: LogJob;
    if (!file) {
      const { state, text } = SavedState.snapshot(c);
      file = { state, gen: 1, writtenGen: 0, size: 0, appendable: false };
      job = { gen: 1, snapshot: text };
    } else {
      job = { gen: ++file.gen, record: file.state.change(c) };
    }
    this.files.remember(id, file);
    const tracked = file;
    return this.writes.run(id, () => this.write(id, tracked, job, summary));
  }

  private async write(id: string, file: TrackedFile, job: LogJob, summary: ConversationSummary): Promise<void> {
    const path = conversationFile(this.deps.dir, id);
    if (job.gen <= file.writtenGen) {
      // A snapshot written for an earlier save already holds this one.
      if (file.fingerprint) await this.deps.index.note(id, { ...summary, fingerprint: file.fingerprint });
      return;
    }
    let wrote: { bytes: number; kind: string };
    try {
      await this.deps.open();
      wrote = await this.writer.write(id, path, file, job);
    } catch (e) {
      file.appendable = false; // what the file holds is unsure: the next save writes a whole snapshot
      const message = l10n.t(
        'Tally could not save the conversation "{0}" ({1}): {2}',
        summary.title,
        path,
        errorMessage(e),
      );
      this.deps.logger.error(message);
      this.deps.warnings.push(message);
      throw e;
    }
    this.deps.written?.(wrote.bytes, 'conversation');
    this.deps.logger.debug(
      `Saved conversation ${id}: ${summary.messageCount} messages, ${wrote.bytes} bytes (${wrote.kind})`,
    );
    if (file.fingerprint) await this.deps.index.note(id, { ...summary, fingerprint: file.fingerprint });
  }
}
