// The text of `<id>.json`: an append-only log, so a save writes what changed, not the whole conversation.
//   line 1   a snapshot: the stored conversation (codec.ts, version 1), the very object older Tally wrote alone
//   line 2+  records, one JSON object per line, each the change of one save, applied in order:
//            {"updatedAt", header fields that changed ("title", "titleIsAuto", "createdAt", "model" (null: none)),
//             and at most one message change:
//               "from": i, "messages": [...]       messages from index i on are these (a plain append: i = length)
//               "edit": i, "set": {...}, "unset": [...], "at": k, "text": s
//                                                   message i: fields set or removed, its content cut to k code
//                                                   units and `s` added (a streaming reply grows by its new text)}
// Every record is idempotent (applying it twice changes nothing more), so a snapshot that already holds a record's
// change may be followed by it. A file without a line break (written by Tally before the log, or hand-formatted) is
// read as one snapshot. A last line without its line break was cut by a crash mid-append: it is ignored unless it
// is whole, and the file is then not appended to again before a fresh snapshot replaces it (`appendable` false).
// Pure functions, no I/O.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../../shared/conversation';
import { parseConversation, parseMessage, toStored, type Conversation, type ReadResult } from './codec';

type Raw = Record<string, unknown>;
const isObject = (x: unknown): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x);
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

export type LogRead =
  | {
      kind: 'ok';
      conversation: Conversation;
      /** True when a record may be appended as is: the file ends with a line break after records that all applied. */
      appendable: boolean;
      migratedFrom?: number;
    }
  | Exclude<ReadResult, { kind: 'ok' }>;

/** The snapshot line (with its line break), and the bytes of each message's JSON in it. */
export function snapshotLine(c: Conversation): { text: string; sizes: number[] } {
  const parts = c.messages.map((m) => JSON.stringify(m));
  const head = JSON.stringify({ ...toStored(c), messages: [] });
  // toStored puts `messages` last, so the head ends with `[]}`: the same text as JSON.stringify(toStored(c)).
  const text = `${head.slice(0, -2)}${parts.join(',')}]}\n`;
  return { text, sizes: parts.map((p) => Buffer.byteLength(p, 'utf8')) };
}

/** Parses, migrates and validates a conversation file; `expectedId` is the id its file name says. */
export function parseConversationLog(text: string, expectedId?: string): LogRead {
  const firstBreak = text.indexOf('\n');
  if (firstBreak < 0 || firstBreak === text.length - 1) {
    const whole = parseConversation(text, expectedId);
    return whole.kind === 'ok' ? { ...whole, appendable: firstBreak >= 0 } : whole;
  }
  const head = parseConversation(text.slice(0, firstBreak), expectedId);
  if (head.kind !== 'ok') {
    // A snapshot written over several lines (hand-formatted, or by an early Tally): the whole text is one object.
    const whole = parseConversation(text, expectedId);
    return whole.kind === 'ok' ? { ...whole, appendable: false } : head;
  }
  const c = head.conversation;
  let appendable = true;
  for (let start = firstBreak + 1, line = 2; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const piece = text.slice(start, end < 0 ? text.length : end);
    start = end < 0 ? text.length : end + 1;
    let record: unknown;
    try {
      record = JSON.parse(piece);
    } catch {
      if (end < 0) return { ...head, appendable: false }; // the last line, cut by a crash: ignored
      return { kind: 'invalid', reason: l10n.t('line {0} is not valid JSON', line) };
    }
    const applied = applyRecord(c, record);
    if (applied === 'ok' && end >= 0) continue;
    if (end < 0)
      appendable = false; // a whole last line without its break: kept, but never appended to
    else if (applied === 'stale') appendable = false;
    else if (applied !== 'ok')
      return { kind: 'invalid', reason: l10n.t('line {0} is not a valid change record ({1})', line, applied) };
  }
  return { ...head, appendable };
}

/**
 * Applies one record to `c`: 'ok'; 'stale' when it names a message that is not there (two windows appended to one
 * file at once: the record is skipped and the next save writes a snapshot); else why it is malformed.
 */
export function applyRecord(c: Conversation, r: unknown): 'ok' | 'stale' | string {
  if (!isObject(r) || !isTime(r.updatedAt)) return 'not a record';
  if (r.title !== undefined && typeof r.title !== 'string') return 'bad title';
  if (r.titleIsAuto !== undefined && typeof r.titleIsAuto !== 'boolean') return 'bad titleIsAuto';
  if (r.createdAt !== undefined && !isTime(r.createdAt)) return 'bad createdAt';
  if (r.model !== undefined && r.model !== null && typeof r.model !== 'string') return 'bad model';
  let change: (() => void) | string = () => {};
  if (r.from !== undefined) change = tailChange(c, r);
  else if (r.edit !== undefined) change = editChange(c, r);
  if (typeof change === 'string') return change;
  change();
  c.updatedAt = r.updatedAt;
  if (typeof r.title === 'string') c.title = r.title;
  if (typeof r.titleIsAuto === 'boolean') c.titleIsAuto = r.titleIsAuto;
  if (isTime(r.createdAt)) c.createdAt = r.createdAt;
  if (typeof r.model === 'string') c.model = r.model;
  else if (r.model === null) delete c.model;
  return 'ok';
}

function tailChange(c: Conversation, r: Raw): (() => void) | string {
  if (!isCount(r.from) || !Array.isArray(r.messages)) return 'bad messages';
  const from = r.from;
  const messages: ChatMessage[] = [];
  for (let i = 0; i < r.messages.length; i++) {
    const m = parseMessage(r.messages[i], from + i);
    if (typeof m === 'string') return m;
    messages.push(m);
  }
  if (from > c.messages.length) return 'stale';
  return () => {
    c.messages.length = from;
    c.messages.push(...messages);
  };
}

function editChange(c: Conversation, r: Raw): (() => void) | string {
  const { edit, set = {}, unset = [], at, text } = r;
  if (!isCount(edit) || !isObject(set) || !Array.isArray(unset) || !unset.every((k) => typeof k === 'string'))
    return 'bad edit';
  if ((at !== undefined || text !== undefined) && (!isCount(at) || typeof text !== 'string')) return 'bad text';
  const current = c.messages[edit];
  if (!current || (isCount(at) && at > current.content.length)) return 'stale';
  const merged: Raw = { ...current, ...set };
  for (const key of unset) delete merged[key];
  if (isCount(at) && typeof text === 'string') merged.content = `${String(merged.content).slice(0, at)}${text}`;
  const m = parseMessage(merged, edit);
  if (typeof m === 'string') return m;
  return () => {
    c.messages[edit] = m;
  };
}
