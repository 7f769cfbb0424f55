// Stored shapes of conversations and of their index: versions and the migration chain, validation of what is read
// back (never trust a file: it may be damaged, hand-edited or written by another Tally version), summaries, the
// auto-title, export to Markdown/JSON and search matching. Pure functions, no I/O.
import type { ChatMessage, ReplyStatus, Role, Usage } from '../../shared/conversation';

export const CONVERSATION_VERSION = 1;
export const INDEX_VERSION = 1;
export const DEFAULT_TITLE = 'New conversation';

export interface Conversation {
  id: string;
  title: string;
  /** True while the title follows the first question; a rename makes it false. */
  titleIsAuto: boolean;
  createdAt: number;
  updatedAt: number;
  model?: string;
  messages: ChatMessage[];
}

/** What `<id>.json` holds: the conversation, self-describing with its version. */
export interface StoredConversation extends Conversation {
  version: typeof CONVERSATION_VERSION;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
  preview: string;
}

/** An index entry: a summary plus the identity (size:mtime:inode) of the file it was taken from. */
export interface IndexEntry extends ConversationSummary {
  fingerprint: string;
}

export type ReadResult =
  | { kind: 'ok'; conversation: Conversation; migratedFrom?: number }
  | { kind: 'future'; version: number }
  | { kind: 'invalid'; reason: string };

type Raw = Record<string, unknown>;
const isObject = (x: unknown): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x);
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const ROLES = new Set<unknown>(['system', 'user', 'assistant'] satisfies Role[]);
const STATUSES = new Set<unknown>(['streaming', 'complete', 'stopped', 'interrupted'] satisfies ReplyStatus[]);

/** Ids are file names: no path separators, no dots, and `index` is the index file's. */
const CONVERSATION_ID = /^(?!index$)[A-Za-z0-9_-]{1,128}$/;
export const isConversationId = (id: unknown): id is string => typeof id === 'string' && CONVERSATION_ID.test(id);

/** MIGRATIONS[n] turns a version-n object into version n+1; `migrate` applies them in turn. */
const MIGRATIONS: Record<number, (raw: Raw) => Raw> = {
  // Version 0, the pre-release shape: no `version` field, messages without ids or times, no updatedAt/titleIsAuto.
  0: (raw) => {
    const createdAt = isTime(raw.createdAt) ? raw.createdAt : 0;
    return {
      ...raw,
      version: 1,
      createdAt,
      updatedAt: isTime(raw.updatedAt) ? raw.updatedAt : createdAt,
      titleIsAuto: typeof raw.title !== 'string' || raw.title.trim() === '',
      title: typeof raw.title === 'string' && raw.title.trim() ? raw.title : DEFAULT_TITLE,
      messages: Array.isArray(raw.messages)
        ? raw.messages.map((m: unknown, i) => isObject(m) ? { id: `${String(raw.id)}-m${i}`, createdAt, ...m } : m)
        : raw.messages,
    };
  },
};

export function migrate(raw: unknown): { kind: 'ok'; value: Raw; from: number } | Exclude<ReadResult, { kind: 'ok' }> {
  if (!isObject(raw)) return { kind: 'invalid', reason: 'not a JSON object' };
  const from = raw.version === undefined ? 0 : raw.version;
  if (!isCount(from)) return { kind: 'invalid', reason: 'bad version field' };
  if (from > CONVERSATION_VERSION) return { kind: 'future', version: from };
  let value = raw;
  for (let v = from; v < CONVERSATION_VERSION; v++) value = MIGRATIONS[v](value);
  return { kind: 'ok', value, from };
}

function parseUsage(x: unknown): Usage | undefined {
  if (!isObject(x) || !isCount(x.promptTokens) || !isCount(x.completionTokens) || !isCount(x.totalTokens)) return undefined;
  const usage: Usage = { promptTokens: x.promptTokens, completionTokens: x.completionTokens, totalTokens: x.totalTokens };
  if (isCount(x.cachedPromptTokens)) usage.cachedPromptTokens = x.cachedPromptTokens;
  if (typeof x.estimated === 'boolean') usage.estimated = x.estimated;
  return usage;
}

/** A malformed required field rejects the message (and so the file); a malformed optional field is dropped. */
function parseMessage(x: unknown, i: number): ChatMessage | string {
  if (!isObject(x)) return `message ${i} is not an object`;
  if (typeof x.id !== 'string' || x.id === '') return `message ${i} has no id`;
  if (!ROLES.has(x.role)) return `message ${i} has no valid role`;
  if (typeof x.content !== 'string') return `message ${i} has no content`;
  if (!isTime(x.createdAt)) return `message ${i} has no valid createdAt`;
  const m: ChatMessage = { id: x.id, role: x.role as Role, content: x.content, createdAt: x.createdAt };
  if (typeof x.model === 'string') m.model = x.model;
  const usage = parseUsage(x.usage);
  if (usage) m.usage = usage;
  if (STATUSES.has(x.status)) m.status = x.status as ReplyStatus;
  const money = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (money(x.costUsd)) m.costUsd = x.costUsd as number;
  if (money(x.savedUsd)) m.savedUsd = x.savedUsd as number;
  if (x.cached === true) m.cached = true;
  if (isObject(x.tokenCounts)) {
    const counts: NonNullable<ChatMessage['tokenCounts']> = {};
    for (const enc of ['o200k_base', 'cl100k_base'] as const) if (isCount(x.tokenCounts[enc])) counts[enc] = x.tokenCounts[enc] as number;
    if (Object.keys(counts).length) m.tokenCounts = counts;
  }
  return m;
}

/** Parses, migrates and validates the text of `<id>.json`; `expectedId` is the id its file name says. */
export function parseConversation(text: string, expectedId?: string): ReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not valid JSON' };
  }
  const migrated = migrate(json);
  if (migrated.kind !== 'ok') return migrated;
  const raw = migrated.value;
  if (!isConversationId(raw.id)) return { kind: 'invalid', reason: 'no valid id' };
  if (expectedId !== undefined && raw.id !== expectedId) return { kind: 'invalid', reason: `id ${raw.id} does not match the file name` };
  if (typeof raw.title !== 'string') return { kind: 'invalid', reason: 'no title' };
  if (!isTime(raw.createdAt) || !isTime(raw.updatedAt)) return { kind: 'invalid', reason: 'no valid createdAt/updatedAt' };
  if (!Array.isArray(raw.messages)) return { kind: 'invalid', reason: 'no messages array' };
  const messages: ChatMessage[] = new Array<ChatMessage>(raw.messages.length);
  for (let i = 0; i < raw.messages.length; i++) {
    const m = parseMessage(raw.messages[i], i);
    if (typeof m === 'string') return { kind: 'invalid', reason: m };
    messages[i] = m;
  }
  const conversation: Conversation = {
    id: raw.id, title: raw.title, titleIsAuto: raw.titleIsAuto === true,
    createdAt: raw.createdAt, updatedAt: raw.updatedAt, messages,
  };
  if (typeof raw.model === 'string') conversation.model = raw.model;
  return migrated.from === CONVERSATION_VERSION ? { kind: 'ok', conversation } : { kind: 'ok', conversation, migratedFrom: migrated.from };
}

export function toStored(c: Conversation): StoredConversation {
  return {
    version: CONVERSATION_VERSION, id: c.id, title: c.title, titleIsAuto: c.titleIsAuto, createdAt: c.createdAt,
    updatedAt: c.updatedAt, ...(c.model !== undefined ? { model: c.model } : {}), messages: c.messages,
  };
}

/** The file body: compact (a 2,000-message conversation is written often while a reply streams). */
export const serializeConversation = (c: Conversation): string => JSON.stringify(toStored(c));

/** Export as JSON: the stored shape, pretty. */
export const toJson = (c: Conversation): string => `${JSON.stringify(toStored(c), null, 2)}\n`;

/** Whitespace collapsed, at most `max` characters (the input is cut first, so a huge message costs nothing). */
const oneLine = (s: string, max: number): string => s.slice(0, max * 4).replace(/\s+/g, ' ').trim().slice(0, max);

export function summarize(c: Conversation): ConversationSummary {
  let last = '';
  for (let i = c.messages.length - 1; i >= 0 && !last; i--) last = oneLine(c.messages[i].content, 120);
  return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, messageCount: c.messages.length, preview: last };
}

/** The entries of index.json, or undefined when it is not a readable index of this version (then it is rebuilt). */
export function parseIndex(text: string): IndexEntry[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(json) || json.version !== INDEX_VERSION || !Array.isArray(json.conversations)) return undefined;
  return json.conversations.filter((e): e is IndexEntry => isObject(e) && isConversationId(e.id) && typeof e.title === 'string'
    && isTime(e.createdAt) && isTime(e.updatedAt) && isCount(e.messageCount) && typeof e.preview === 'string'
    && typeof e.fingerprint === 'string')
    .map(({ id, title, createdAt, updatedAt, messageCount, preview, fingerprint }) => ({ id, title, createdAt, updatedAt, messageCount, preview, fingerprint }));
}

export const serializeIndex = (entries: IndexEntry[]): string => JSON.stringify({ version: INDEX_VERSION, conversations: entries });

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

export const newestFirst = (a: ConversationSummary, b: ConversationSummary): number =>
  b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Plain text of one Markdown line: block markers, links, emphasis and code backticks removed. */
function plainLine(line: string): string {
  const body = line.replace(/^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)*/, '');
  return body.split(/(`+[^`]*`+)/).map((part, i) => i % 2 === 1 ? part.replace(/^`+|`+$/g, '')
    : part.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\*\*(.+?)\*\*|__(.+?)__|~~(.+?)~~/g, '$1$2$3')
      .replace(/\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2')).join('').replace(/\s+/g, ' ').trim();
}

/** A title from the first question: its first line of prose (code blocks skipped), plain, at most `max` characters. */
export function autoTitle(text: string, max = 60): string {
  let fence = '';
  let firstCode = '';
  for (const line of text.split('\n')) {
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && !line.slice(f[0].length).trim()) fence = '';
      else if (!firstCode) firstCode = line.trim();
    } else if (f) fence = f[1];
    else {
      const plain = plainLine(line);
      if (plain) return shorten(plain, max);
    }
  }
  return firstCode ? shorten(firstCode.replace(/\s+/g, ' '), max) : DEFAULT_TITLE;
}

/** Cut on a word boundary (if one is not too far back), with "…"; the result has at most `max` characters. */
function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  if (space >= max / 2) cut = cut.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never split a surrogate pair
  return `${cut.replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** The first user message's auto-title, or the default while there is none. */
export function titleFor(c: Conversation): string {
  const first = c.messages.find((m) => m.role === 'user' && m.content.trim());
  return first ? autoTitle(first.content) : DEFAULT_TITLE;
}

/** Content with a fence closed if it was left open (a reply stopped inside a code block), so export stays readable. */
function closeFences(content: string): string {
  let open = '';
  for (const line of content.split('\n')) {
    const f = FENCE.exec(line);
    if (!f) continue;
    if (!open) open = f[1];
    else if (f[1][0] === open[0] && f[1].length >= open.length && !line.slice(f[0].length).trim()) open = '';
  }
  return open ? `${content}\n${open}` : content;
}

function usageLine(u: Usage): string {
  const cached = u.cachedPromptTokens ? ` (${u.cachedPromptTokens} cached)` : '';
  return `Tokens: ${u.promptTokens} prompt${cached} + ${u.completionTokens} completion = ${u.totalTokens}${u.estimated ? ' (estimated)' : ''}`;
}

const STATUS_NOTE: Partial<Record<ReplyStatus, string>> = {
  stopped: '_Stopped: the reply is incomplete._',
  interrupted: '_Interrupted by an error: the reply is incomplete._',
  streaming: '_Still arriving when exported: the reply is incomplete._',
};

/** Export (and copy) as Markdown: title heading, a bold role line per message, content verbatim. */
export function toMarkdown(c: Conversation): string {
  const out = [`# ${c.title.replace(/\s+/g, ' ').trim() || DEFAULT_TITLE}`, ''];
  for (const m of c.messages) {
    const role = m.role === 'user' ? 'You' : m.role === 'system' ? 'System' : m.model ? `Assistant (${m.model})` : 'Assistant';
    out.push(`**${role}**`, '', m.content ? closeFences(m.content) : '_(empty)_', '');
    const note = m.status && STATUS_NOTE[m.status];
    if (note) out.push(note, '');
    if (m.role === 'assistant' && m.usage) out.push(`_${usageLine(m.usage)}_`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export interface SearchHit {
  id: string;
  title: string;
  snippet: string;
  matchCount: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A case-insensitive matcher for `query` (whitespace in it matches any whitespace), or undefined for a blank query. */
export function searchPattern(query: string): RegExp | undefined {
  const words = query.trim().slice(0, 200).split(/\s+/).filter(Boolean);
  return words.length ? new RegExp(words.map(escapeRegExp).join('\\s+'), 'giu') : undefined;
}

/** Matches in the title and every message (one linear pass each); the snippet shows the first content match. */
export function matchConversation(c: Conversation, pattern: RegExp): (SearchHit & { inTitle: boolean }) | undefined {
  const count = (s: string): number => {
    let n = 0;
    for (const _ of s.matchAll(pattern)) n++;
    return n;
  };
  const inTitle = count(c.title);
  let matchCount = inTitle;
  let snippet = '';
  for (const m of c.messages) {
    const n = count(m.content);
    if (n && !snippet) {
      pattern.lastIndex = 0;
      const at = pattern.exec(m.content);
      pattern.lastIndex = 0;
      if (at) snippet = around(m.content, at.index, at[0].length);
    }
    matchCount += n;
  }
  return matchCount ? { id: c.id, title: c.title, snippet: snippet || c.title, matchCount, inTitle: inTitle > 0 } : undefined;
}

function around(text: string, index: number, length: number, context = 40): string {
  const start = Math.max(0, index - context);
  const end = Math.min(text.length, index + length + context);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}
