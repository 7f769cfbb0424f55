// `conversations/index.json`: a cache of conversation summaries, never the only copy of anything (it is repaired from
// the conversation files whenever it is missing, corrupt or stale). Its shape, validation, merge rule, and the
// read-merge-write that applies queued changes one write at a time. A save's entry is written at once when it names
// a conversation the index does not have yet or a new title; otherwise it waits (deferred) for the next write of the
// index, a flush, or `deferMs`: the fingerprint check of list() repairs whatever a crash leaves stale.
import type { Logger } from '../ports';
import { errorMessage } from '../errorMessage';
import { readBounded } from '../files/boundedRead';
import { isNotFound, isRefusedFile } from '../files/fileErrors';
import { moveAside } from '../files/leftovers';
import { writeAtomic } from '../files/privateWrite';
import { isConversationId, type ConversationSummary } from './codec';

export const INDEX_VERSION = 1;
/** The largest index read: 8 MiB holds summaries of tens of thousands of conversations. */
export const MAX_INDEX_FILE_BYTES = 8 * 1024 * 1024;

/** An index entry: a summary plus the identity (size:mtime:inode) of the file it was taken from. */
export interface IndexEntry extends ConversationSummary {
  fingerprint: string;
}

type Raw = Record<string, unknown>;
const isObject = (x: unknown): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x);
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** The entries of index.json, or undefined when it is not a readable index of this version (then it is rebuilt). */
export function parseIndex(text: string): IndexEntry[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(json) || json.version !== INDEX_VERSION || !Array.isArray(json.conversations)) return undefined;
  return json.conversations
    .filter(
      (e): e is IndexEntry =>
        isObject(e) &&
        isConversationId(e.id) &&
        typeof e.title === 'string' &&
        isTime(e.createdAt) &&
        isTime(e.updatedAt) &&
        isCount(e.messageCount) &&
        typeof e.preview === 'string' &&
        typeof e.fingerprint === 'string',
    )
    .map(({ id, title, createdAt, updatedAt, messageCount, preview, fingerprint }) => ({
      id,
      title,
      createdAt,
      updatedAt,
      messageCount,
      preview,
      fingerprint,
    }));
}

export const serializeIndex = (entries: IndexEntry[]): string =>
  JSON.stringify({ version: INDEX_VERSION, conversations: entries });

/** Read-merge-write of the index: `changes` (null = deleted) over what is on disk, by id; newest updatedAt wins. */
export function mergeIndex(disk: IndexEntry[], changes: ReadonlyMap<string, IndexEntry | null>): IndexEntry[] {
  const byId = new Map(disk.map((e) => [e.id, e]));
  for (const [id, entry] of changes) {
    const current = byId.get(id);
    if (entry === null) byId.delete(id);
    else if (!current || current.updatedAt <= entry.updatedAt) byId.set(id, entry);
  }
  return [...byId.values()];
}

/** The index file of one store. Two windows may write it at once: an entry lost that way is repaired by list(). */
export class ConversationIndexFile {
  private readonly changes = new Map<string, IndexEntry | null>();
  private queue: Promise<void> = Promise.resolve();
  /** Per id, the title the index has (as this window last wrote or queued it). */
  private readonly titles = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
    /** Told the bytes of every index write. */
    private readonly written?: (bytes: number, file: 'index') => void,
    /** A deferred entry is written within this many ms (real timers; the timer keeps no process alive). */
    private readonly deferMs = 5_000,
  ) {}

  /** The entries on disk with this window's queued changes over them; undefined when neither has any. */
  async entries(): Promise<IndexEntry[] | undefined> {
    const disk = await this.read();
    if (this.changes.size === 0) return disk;
    return mergeIndex(disk ?? [], this.changes);
  }

  /** A saved conversation's entry: written at once if the index lacks it or its title, else deferred. */
  note(id: string, entry: IndexEntry): Promise<void> {
    if (this.titles.get(id) !== entry.title) return this.update(new Map([[id, entry]]));
    this.changes.set(id, entry);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flushDeferred();
      }, this.deferMs);
      (this.timer as { unref?: () => void }).unref?.();
    }
    return Promise.resolve();
  }

  /** Writes the deferred entries now (if any). Never throws. */
  flushDeferred(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.update(new Map());
  }

  /**
   * The entries on disk, or undefined when there is no readable index. A damaged or unreadable one is logged (and
   * rebuilt by the next write); one too large, a link or not a file is set aside first, with one warning.
   */
  async read(): Promise<IndexEntry[] | undefined> {
    let got: { text: string } | undefined;
    try {
      got = await readBounded(this.file, MAX_INDEX_FILE_BYTES);
    } catch (e) {
      // Too large, a link or not a file: set aside. An I/O error says nothing about the file: it is just rebuilt.
      if (isRefusedFile(e)) await this.setAside(errorMessage(e));
      else this.logger.warn(`Cannot read ${this.file} (${errorMessage(e)}); rebuilding it from the conversation files`);
      return undefined;
    }
    const entries = got && parseIndex(got.text);
    if (got && !entries)
      this.logger.warn(`${this.file} is damaged or of another version; rebuilding it from the conversation files`);
    return entries;
  }

  private async setAside(reason: string): Promise<void> {
    try {
      const target = await moveAside(this.file, 'unreadable');
      this.logger.warn(
        `Set aside the conversation index as ${target} (${reason}); rebuilding it from the conversation files`,
      );
    } catch (e) {
      if (!isNotFound(e)) this.logger.warn(`Cannot read ${this.file} (${reason}) nor set it aside: ${errorMessage(e)}`);
    }
  }

  /** Queues index changes; one read-merge-write at a time takes every change queued so far. Never throws. */
  update(changes: ReadonlyMap<string, IndexEntry | null>): Promise<void> {
    for (const [id, entry] of changes) {
      this.changes.set(id, entry);
      if (entry) this.titles.set(id, entry.title);
      else this.titles.delete(id);
    }
    this.queue = this.queue.then(async () => {
      if (this.changes.size === 0) return;
      const batch = new Map(this.changes);
      this.changes.clear();
      try {
        const merged = mergeIndex((await this.read()) ?? [], batch);
        const text = serializeIndex(merged);
        await writeAtomic(this.file, text);
        this.written?.(Buffer.byteLength(text, 'utf8'), 'index');
        this.titles.clear();
        for (const e of merged) this.titles.set(e.id, e.title);
      } catch (e) {
        this.logger.warn(`Could not update ${this.file} (it is rebuilt from the files): ${errorMessage(e)}`);
      }
    });
    return this.queue;
  }
}
