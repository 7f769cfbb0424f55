// The per-workspace conversation store: create, list, load, save (debounced or now), rename, delete/restore, search.
// Layout under `root` (the workspace's storageUri, or a global fallback folder):
//   conversations/<id>.json                       one self-describing file per conversation: the only copy of it
//   conversations/index.json                      a cache of summaries (conversationIndex.ts)
//   conversations/.trash/<id>.<deletedAt>.json    deleted conversations, restorable until purged at open (trash.ts)
// Two windows (two processes) on one workspace:
// - every write is atomic (temp file + fsync + rename), so nobody ever reads a torn file; files are private (0600,
//   folders 0700) and never written through a symbolic link (files/privateWrite.ts);
// - a file is size-checked before it is read: one over MAX_CONVERSATION_FILE_BYTES is set aside like a damaged one,
//   and a save that would exceed it is refused (the conversation stays in memory), so what is saved can be read;
// - when both save the SAME conversation, the last writer wins, whole file: there is no merge of messages. The other
//   window's changes live on in its memory and win in turn at its next save. A save that replaces a file another
//   window changed since this window last read or wrote it is logged as a warning;
// - the index is read-merge-written (by id, newest updatedAt wins). Should two index writes still race, the entries
//   lost are repaired by the next list(), which checks each file's fingerprint (size:mtime:inode) against the index.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Clock, Logger } from '../ports';
import { errorMessage } from '../errorMessage';
import { readBounded, statFingerprint } from '../files/boundedRead';
import { FileTooLargeError, isRefusedFile } from '../files/fileErrors';
import { moveAside, removeStaleTempFiles, renameIfExists } from '../files/leftovers';
import { ensurePrivateDir } from '../files/privateDir';
import { writeAtomic } from '../files/privateWrite';
import {
  isConversationId,
  newConversation,
  newestFirst,
  parseConversation,
  serializeConversation,
  summarize,
  type Conversation,
  type ConversationSummary,
} from './codec';
import { ConversationIndexFile, type IndexEntry } from './conversationIndex';
import { inBatches } from './inBatches';
import { searchConversations, type SearchHit } from './search';
import { QueuePerKey } from './queuePerKey';
import { RecentConversations } from './recentConversations';
import { retitle, titleFor } from './titles';
import { isTrashFileOf, purgeTrash, trashFileFor, type DeletedConversation } from './trash';
import { UserWarnings } from './userWarnings';

export interface ConversationStoreDeps {
  /** The folder to keep conversations under; created on first use. */
  root: string;
  logger: Logger;
  clock: Clock;
  newId(prefix: string): string;
  /** scheduleSave writes at most once per this many ms (real timers); default 750. */
  debounceMs?: number;
  /** Deleted conversations stay restorable this many days; default 7. */
  trashDays?: number;
}

/** The largest conversation file read back (or written): 64 MiB, far beyond any real conversation. */
export const MAX_CONVERSATION_FILE_BYTES = 64 * 1024 * 1024;
const DAY_MS = 86_400_000;
const CONVERSATION_FILE = /^([A-Za-z0-9_-]+)\.json$/;

export class ConversationStore {
  private readonly dir: string;
  private readonly trashDir: string;
  private readonly index: ConversationIndexFile;
  private readonly debounceMs: number;
  private opened: Promise<void> | undefined;
  /** Conversations waiting for the debounce timer. */
  private readonly pending = new Map<string, Conversation>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes of one conversation run in order, so the last save lands last. */
  private readonly writes = new QueuePerKey();
  /** Per id, the fingerprint of the file as this window last read or wrote it. */
  private readonly known = new Map<string, string>();
  private readonly live = new RecentConversations();
  private readonly warnings: UserWarnings;
  private disposed = false;

  /** The folder given at construction (conversations are in its `conversations/` subfolder). */
  get root(): string {
    return this.deps.root;
  }

  constructor(private readonly deps: ConversationStoreDeps) {
    this.dir = path.join(deps.root, 'conversations');
    this.trashDir = path.join(this.dir, '.trash');
    this.warnings = new UserWarnings(deps.logger);
    this.index = new ConversationIndexFile(path.join(this.dir, 'index.json'), deps.logger);
    this.debounceMs = Math.max(0, deps.debounceMs ?? 750);
  }

  /** A new conversation, in memory until its first save. */
  create(): Conversation {
    const c = newConversation(this.deps.newId('c'), this.deps.clock.now());
    this.live.remember(c);
    return c;
  }

  /** Summaries, newest first: from the index where it is fresh, else (and then re-indexed) from the files. */
  async list(): Promise<ConversationSummary[]> {
    await this.open();
    const ids = new Set(
      (await fs.readdir(this.dir)).map((n) => CONVERSATION_FILE.exec(n)?.[1]).filter(isConversationId),
    );
    const cached = new Map(((await this.index.read()) ?? []).map((e) => [e.id, e]));
    const summaries: ConversationSummary[] = [];
    const changes = new Map<string, IndexEntry | null>();
    await inBatches([...ids], async (id) => {
      const hit = cached.get(id);
      if (hit && hit.fingerprint === (await statFingerprint(this.fileOf(id)))) {
        const { fingerprint: _, ...summary } = hit;
        summaries.push(summary);
        return;
      }
      const read = await this.read(id);
      if (read) summaries.push(summarize(read.conversation));
      changes.set(id, read ? { ...summarize(read.conversation), fingerprint: read.fingerprint } : null);
    });
    for (const id of cached.keys()) if (!ids.has(id)) changes.set(id, null);
    if (changes.size) await this.index.update(changes);
    return summaries.sort(newestFirst);
  }

  /** The conversation as stored (after this window's pending saves), or undefined if missing or unreadable. */
  async load(id: string): Promise<Conversation | undefined> {
    if (!isConversationId(id)) return undefined;
    await this.open();
    if (this.pending.has(id)) await this.flush().catch(() => undefined); // a failed save was logged and warned
    await this.writes.settled(id);
    const c = (await this.read(id))?.conversation;
    if (!c) return undefined;
    // Nothing streams into a conversation read from disk: a reply still marked streaming was cut off (crash, kill).
    for (const m of c.messages) if (m.status === 'streaming') m.status = 'interrupted';
    this.live.remember(c);
    return c;
  }

  /** Writes the conversation now (atomic) and updates the index; stamps updatedAt and, while auto, the title. */
  save(c: Conversation): Promise<void> {
    this.pending.delete(c.id);
    return this.enqueue(this.touch(c));
  }

  /** Saves soon: calls within debounceMs coalesce into one write of the latest state (use while a reply streams). */
  scheduleSave(c: Conversation): void {
    if (this.disposed) {
      this.save(c).catch(() => undefined); // logged by write(); no timer may fire after dispose
      return;
    }
    this.pending.set(c.id, this.touch(c));
    this.timer ??= setTimeout(() => {
      this.flush().catch(() => undefined);
    }, this.debounceMs);
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

  /** Flushes pending saves; later scheduleSave calls save at once. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.flush();
  }

  /** Renames (a blank title goes back to the auto-title) and saves. */
  async rename(id: string, title: string): Promise<Conversation | undefined> {
    const c = this.live.get(id) ?? (await this.load(id));
    if (!c) return undefined;
    retitle(c, title);
    await this.save(c);
    return c;
  }

  /** Moves the conversation to the trash (restore() undoes it); undefined if it was never saved. */
  async delete(id: string): Promise<DeletedConversation | undefined> {
    if (!isConversationId(id)) return undefined;
    await this.open();
    this.pending.delete(id);
    await this.writes.settled(id);
    const title = this.live.get(id)?.title ?? (await this.read(id))?.conversation.title ?? '';
    const deletedAt = this.deps.clock.now();
    const trashFile = trashFileFor(this.trashDir, id, deletedAt);
    if (!(await renameIfExists(this.fileOf(id), trashFile))) return undefined;
    this.live.forget(id);
    this.known.delete(id);
    await this.index.update(new Map([[id, null]]));
    return { id, title, deletedAt, trashFile };
  }

  /** Undoes delete(): the conversation comes back as it was; undefined if the trash was purged meanwhile. */
  async restore(deleted: DeletedConversation): Promise<Conversation | undefined> {
    const { id, trashFile } = deleted;
    if (!isConversationId(id) || !isTrashFileOf(this.trashDir, trashFile, id)) {
      throw new Error(`Not a trashed conversation of this store: ${trashFile}`);
    }
    await this.open();
    if (await statFingerprint(this.fileOf(id)))
      throw new Error(`Conversation ${id} exists already; not overwriting it`);
    if (!(await renameIfExists(trashFile, this.fileOf(id)))) return undefined; // purged meanwhile
    const read = await this.read(id);
    if (!read) return undefined;
    await this.index.update(new Map([[id, { ...summarize(read.conversation), fingerprint: read.fingerprint }]]));
    this.live.remember(read.conversation);
    return read.conversation;
  }

  /** Case-insensitive search of titles and message contents; title matches first, then by match count, newest. */
  async search(query: string, limit = 50): Promise<SearchHit[]> {
    return searchConversations(
      query,
      limit,
      () => this.list(),
      async (id) => this.pending.get(id) ?? (await this.read(id))?.conversation,
    );
  }

  /** Warnings for the user (damaged or unreadable files, failed saves) since the last call. */
  takeWarnings(): string[] {
    return this.warnings.take();
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** Once per store: create the folders, drop stale temp files of killed writers, purge old trash. */
  private open(): Promise<void> {
    this.opened ??= (async () => {
      await ensurePrivateDir(this.trashDir, this.dir);
      const removed = await removeStaleTempFiles(this.dir);
      if (removed) this.deps.logger.info(`Removed ${removed} temp file(s) left by an interrupted save in ${this.dir}`);
      await purgeTrash(this.trashDir, this.deps.clock.now() - (this.deps.trashDays ?? 7) * DAY_MS);
    })().catch((e: unknown) => {
      this.opened = undefined;
      throw e;
    });
    return this.opened;
  }

  private touch(c: Conversation): Conversation {
    c.updatedAt = this.deps.clock.now();
    if (c.titleIsAuto) c.title = titleFor(c);
    this.live.remember(c);
    return c;
  }

  /** Serialises now (the state at this call), writes after the previous write of the same id. */
  private enqueue(c: Conversation): Promise<void> {
    const { id } = c;
    const text = serializeConversation(c);
    const summary = summarize(c);
    return this.writes.run(id, () => this.write(id, text, summary));
  }

  private async write(id: string, text: string, summary: ConversationSummary): Promise<void> {
    const { logger } = this.deps;
    const file = this.fileOf(id);
    const started = Date.now();
    try {
      await this.open();
      const before = this.known.get(id);
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
      await writeAtomic(file, text, { top: this.dir });
    } catch (e) {
      const message = `Tally could not save the conversation "${summary.title}" (${file}): ${errorMessage(e)}`;
      logger.error(message);
      this.warnings.push(message);
      throw e;
    }
    const fingerprint = await statFingerprint(file).catch(() => undefined);
    if (fingerprint) this.known.set(id, fingerprint);
    logger.debug(
      `Saved conversation ${id}: ${summary.messageCount} messages, ${text.length} chars in ${Date.now() - started} ms`,
    );
    await this.index.update(new Map([[id, fingerprint ? { ...summary, fingerprint } : null]]));
  }

  /** Reads, migrates and validates one file; a damaged one is set aside, a newer version's skipped (both warned once). */
  private async read(id: string): Promise<{ conversation: Conversation; fingerprint: string } | undefined> {
    const file = this.fileOf(id);
    let got: { text: string; fingerprint: string } | undefined;
    try {
      got = await readBounded(file, MAX_CONVERSATION_FILE_BYTES);
    } catch (e) {
      if (!isRefusedFile(e)) {
        // An I/O error (EACCES, EMFILE…) says nothing about the file itself: warn, and leave it where it is.
        this.warnings.once(`${id} unreadable`, `Tally cannot read the conversation file ${file}: ${errorMessage(e)}`);
        return undefined;
      }
      // Too large, a link or not a file: set aside like a damaged file (a link is moved, its target untouched).
      await this.setAside(id, e instanceof FileTooLargeError ? e.fingerprint : undefined, errorMessage(e));
      return undefined;
    }
    if (!got) return undefined;
    const result = parseConversation(got.text, id);
    if (result.kind === 'ok') {
      this.known.set(id, got.fingerprint);
      return { conversation: result.conversation, fingerprint: got.fingerprint };
    }
    if (result.kind === 'future') {
      // Written by a newer Tally (maybe in another window right now): leave it where it is.
      this.warnings.once(
        `${id} ${got.fingerprint}`,
        `Tally skipped ${file}: it was saved by a newer version of Tally (format ${result.version}). Update Tally to open it.`,
      );
      return undefined;
    }
    await this.setAside(id, got.fingerprint, result.reason);
    return undefined;
  }

  private async setAside(id: string, fingerprint: string | undefined, reason: string): Promise<void> {
    const file = this.fileOf(id);
    try {
      // If another window replaced the file since it was read, the new file is not the damaged one.
      if (fingerprint !== undefined && (await statFingerprint(file)) !== fingerprint) return;
      const target = await moveAside(file, `corrupt-${this.deps.clock.now()}`);
      this.known.delete(id);
      this.warnings.once(
        target,
        `Tally set aside a damaged conversation file: ${target} (${reason}). The other conversations are unaffected.`,
      );
    } catch (e) {
      this.warnings.once(
        `${id} ${fingerprint}`,
        `Tally cannot read the conversation file ${file} (${reason}) and could not set it aside: ${errorMessage(e)}`,
      );
    }
  }
}
