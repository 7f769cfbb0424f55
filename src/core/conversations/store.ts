// The per-workspace conversation store: create, list, load, save (debounced or now), rename, delete/restore, search.
// It keeps the folder and the index in step; the file work is done by conversationReader.ts (size-checked reads,
// damaged files set aside) and conversationSaver.ts (debounced, ordered, atomic saves; last writer wins).
// Layout under `root` (the workspace's storageUri, or a global fallback folder):
//   conversations/<id>.json                       one self-describing file per conversation: the only copy of it,
//                                                  a snapshot line then one record per save (conversationLog.ts)
//   conversations/index.json                      a cache of summaries (conversationIndex.ts)
//   conversations/.trash/<id>.<deletedAt>.json    deleted conversations, restorable until purged at open (trash.ts)
// Two windows (two processes) on one workspace: every snapshot write is atomic and a record cut by a crash is
// ignored, so nobody ever reads a torn conversation; files are
// private (0600, folders 0700). The index is read-merge-written (by id, newest updatedAt wins). Should two index
// writes still race, the entries lost are repaired by the next list(), which checks each file's fingerprint
// (size:mtime:inode) against the index.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Clock, Logger } from '../ports';
import { statFingerprint } from '../files/boundedRead';
import { removeStaleTempFiles, renameIfExists } from '../files/leftovers';
import { ensurePrivateDir } from '../files/privateDir';
import {
  isConversationId,
  newConversation,
  newestFirst,
  summarize,
  type Conversation,
  type ConversationSummary,
} from './codec';
import { ConversationIndexFile, type IndexEntry } from './conversationIndex';
import { conversationFile, ConversationReader } from './conversationReader';
import { ConversationSaver } from './conversationSaver';
import { inBatches } from './inBatches';
import { searchConversations, type SearchHit } from './search';
import { RecentConversations } from './recentConversations';
import { retitle, titleFor } from './titles';
import { isTrashFileOf, purgeTrash, trashFileFor, type DeletedConversation } from './trash';
import { UserWarnings } from './userWarnings';

export { MAX_CONVERSATION_FILE_BYTES } from './conversationReader';

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
  /** Told the bytes of every conversation and index write (tests count the work of a save with it). */
  written?: (bytes: number, file: 'conversation' | 'index') => void;
  /** A save's index entry under an unchanged title is written within this many ms (or at flush); default 5,000. */
  indexDeferMs?: number;
}

const DAY_MS = 86_400_000;
const CONVERSATION_FILE = /^([A-Za-z0-9_-]+)\.json$/;

export class ConversationStore {
  private readonly dir: string;
  private readonly trashDir: string;
  private readonly index: ConversationIndexFile;
  private opened: Promise<void> | undefined;
  private readonly live = new RecentConversations();
  private readonly warnings: UserWarnings;
  private readonly reader: ConversationReader;
  private readonly saver: ConversationSaver;

  /** The folder given at construction (conversations are in its `conversations/` subfolder). */
  get root(): string {
    return this.deps.root;
  }

  constructor(private readonly deps: ConversationStoreDeps) {
    this.dir = path.join(deps.root, 'conversations');
    this.trashDir = path.join(this.dir, '.trash');
    this.warnings = new UserWarnings(deps.logger);
    this.index = new ConversationIndexFile(
      path.join(this.dir, 'index.json'),
      deps.logger,
      deps.written,
      deps.indexDeferMs,
    );
    this.reader = new ConversationReader(this.dir, deps.clock, this.warnings);
    this.saver = new ConversationSaver({
      dir: this.dir,
      logger: deps.logger,
      index: this.index,
      written: deps.written,
      warnings: this.warnings,
      open: () => this.open(),
      debounceMs: Math.max(0, deps.debounceMs ?? 750),
    });
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
    const cached = new Map(((await this.index.entries()) ?? []).map((e) => [e.id, e]));
    const summaries: ConversationSummary[] = [];
    const changes = new Map<string, IndexEntry | null>();
    await inBatches([...ids], async (id) => {
      const hit = cached.get(id);
      if (hit && hit.fingerprint === (await statFingerprint(this.fileOf(id)))) {
        const { fingerprint: _, ...summary } = hit;
        summaries.push(summary);
        return;
      }
      const read = await this.reader.read(id);
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
    await this.saver.settle(id);
    const generation = this.saver.generation(id);
    const read = await this.reader.read(id);
    if (!read) return undefined;
    this.saver.adopt(id, read, generation); // before the fix below: it copies what the file holds
    const c = read.conversation;
    // Nothing streams into a conversation read from disk: a reply still marked streaming was cut off (crash, kill).
    for (const m of c.messages) if (m.status === 'streaming') m.status = 'interrupted';
    this.live.remember(c);
    return c;
  }

  /** Writes the conversation now (its changes, appended) and updates the index; stamps updatedAt and, while auto, the title. */
  save(c: Conversation): Promise<void> {
    return this.saver.save(this.touch(c));
  }

  /** Saves soon: calls within debounceMs coalesce into one write of the latest state (use while a reply streams). */
  scheduleSave(c: Conversation): void {
    this.saver.schedule(this.touch(c));
  }

  /** Writes every pending save and waits for all writes under way; rejects if one of them failed. */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  /** Flushes pending saves; later scheduleSave calls save at once. */
  dispose(): Promise<void> {
    return this.saver.dispose();
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
    await this.saver.discard(id);
    const title = this.live.get(id)?.title ?? (await this.reader.read(id))?.conversation.title ?? '';
    const deletedAt = this.deps.clock.now();
    const trashFile = trashFileFor(this.trashDir, id, deletedAt);
    if (!(await renameIfExists(this.fileOf(id), trashFile))) return undefined;
    this.live.forget(id);
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
    const read = await this.reader.read(id);
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
      async (id) => this.saver.waiting(id) ?? (await this.reader.read(id))?.conversation,
    );
  }

  /** Warnings for the user (damaged or unreadable files, failed saves) since the last call. */
  takeWarnings(): string[] {
    return this.warnings.take();
  }

  private fileOf(id: string): string {
    return conversationFile(this.dir, id);
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
}
