// What one conversation's file holds once this window's queued writes land: a shallow copy of each message as
// written (the host edits messages in place, so the objects themselves cannot serve), the bytes of each in a
// snapshot, and the header. `change(c)` compares `c` with it and returns the log record of the difference
// (conversationLog.ts), advancing the copy. Comparing costs a few property reads per message, no serialising: only
// what changed is turned into JSON, so a save's bytes do not grow with the conversation.
import type { ChatMessage } from '../../shared/conversation';
import type { Conversation } from './codec';
import { snapshotLine } from './conversationLog';

type Fields = Record<string, unknown>;
interface Header {
  title: string;
  titleIsAuto: boolean;
  createdAt: number;
  updatedAt: number;
  model?: string;
}

const isObject = (x: unknown): x is Fields => typeof x === 'object' && x !== null;
/** The message with each object-valued field (usage, tokenCounts) copied one level down. */
const copyOf = (m: ChatMessage): Fields =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, isObject(v) ? { ...v } : v]));

/** Equal as stored: the same value, or objects (usage) with the same fields, compared one level down. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    const [x, y] = [a[k], b[k]];
    if (x !== y && (!isObject(x) || !isObject(y) || JSON.stringify(x) !== JSON.stringify(y))) return false;
  }
  return true;
}

/** True when `m` is still what `was` copied (the scan's fast path: no allocation). */
function sameMessage(was: Fields, m: Fields): boolean {
  for (const k in m) if (!sameValue(was[k], m[k])) return false;
  for (const k in was) if (!(k in m) && was[k] !== undefined) return false;
  return true;
}

/** The fields of `m` that differ from `was` (undefined counts as absent). */
function changedKeys(was: Fields, m: Fields): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(m)) if (!sameValue(was[k], m[k])) keys.push(k);
  for (const k of Object.keys(was)) if (!(k in m) && was[k] !== undefined) keys.push(k);
  return keys;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

export class SavedState {
  private header: Header;
  private messages: Fields[];
  private sizes: number[];
  private messageBytes: number;

  private readonly id: string;

  constructor(c: Conversation, sizes?: number[]) {
    this.id = c.id;
    this.header = { title: c.title, titleIsAuto: c.titleIsAuto, createdAt: c.createdAt, updatedAt: c.updatedAt };
    if (c.model !== undefined) this.header.model = c.model;
    this.messages = c.messages.map(copyOf);
    this.sizes = sizes ?? c.messages.map((m) => bytes(JSON.stringify(m)));
    this.messageBytes = this.sizes.reduce((a, b) => a + b, 0);
  }

  /** A fresh state and the snapshot line of `c` (a compaction, or the first write). */
  static snapshot(c: Conversation): { state: SavedState; text: string } {
    const { text, sizes } = snapshotLine(c);
    return { state: new SavedState(c, sizes), text };
  }

  /** The conversation this state describes (its messages are the copies: only to serialise at once). */
  toConversation(): Conversation {
    return { id: this.id, ...this.header, messages: this.messages as unknown as ChatMessage[] };
  }

  /** The bytes a fresh snapshot of this state would have. */
  liveBytes(): number {
    const head = JSON.stringify({ version: 1, id: this.id, ...this.header, messages: [] });
    return bytes(head) + this.messageBytes + Math.max(0, this.messages.length - 1) + 1;
  }

  /** The record that turns this state into `c` (one line, with its break), and this state becomes `c`'s. */
  change(c: Conversation): string {
    const record: Fields = { updatedAt: c.updatedAt };
    const h = this.header;
    if (c.title !== h.title) record.title = c.title;
    if (c.titleIsAuto !== h.titleIsAuto) record.titleIsAuto = c.titleIsAuto;
    if (c.createdAt !== h.createdAt) record.createdAt = c.createdAt;
    if (c.model !== h.model) record.model = c.model ?? null;
    this.header = { title: c.title, titleIsAuto: c.titleIsAuto, createdAt: c.createdAt, updatedAt: c.updatedAt };
    if (c.model !== undefined) this.header.model = c.model;

    const now = c.messages;
    let first = 0;
    const common = Math.min(now.length, this.messages.length);
    while (first < common && sameMessage(this.messages[first], now[first] as unknown as Fields)) first++;
    if (first === now.length && first === this.messages.length) return `${JSON.stringify(record)}\n`;
    if (first === now.length - 1 && first === this.messages.length - 1) return this.edit(record, first, now[first]);
    const parts = now.slice(first).map((m) => JSON.stringify(m));
    this.messages.length = first;
    this.sizes.length = first;
    for (let i = first; i < now.length; i++) {
      this.messages.push(copyOf(now[i]));
      this.sizes.push(bytes(parts[i - first]));
    }
    this.messageBytes = this.sizes.reduce((a, b) => a + b, 0);
    const head = JSON.stringify({ ...record, from: first });
    return `${head.slice(0, -1)},"messages":[${parts.join(',')}]}\n`;
  }

  /** An edit record of message `i`, the only one that changed: a grown content is written as its new text only. */
  private edit(record: Fields, i: number, m: ChatMessage): string {
    const was = this.messages[i];
    const set: Fields = {};
    const unset: string[] = [];
    for (const k of changedKeys(was, m as unknown as Fields)) {
      const v = (m as unknown as Fields)[k];
      if (v === undefined) unset.push(k);
      else if (k !== 'content') set[k] = v;
    }
    const before = typeof was.content === 'string' ? was.content : '';
    if (m.content !== before) {
      const grown = m.content.length > before.length && m.content.startsWith(before);
      if (grown) Object.assign(record, { at: before.length, text: m.content.slice(before.length) });
      else set.content = m.content;
    }
    record.edit = i;
    if (Object.keys(set).length) record.set = set;
    if (unset.length) record.unset = unset;
    this.messages[i] = copyOf(m);
    const size = bytes(JSON.stringify(m));
    this.messageBytes += size - this.sizes[i];
    this.sizes[i] = size;
    return `${JSON.stringify(record)}\n`;
  }
}
