// The stored shape of a conversation: its version and the migration chain, validation of what is read back (never
// trust a file: it may be damaged, hand-edited or written by another Tally version), serialisation, ids, summaries
// and their order. Pure functions, no I/O.
import * as l10n from '@vscode/l10n';
import type { ChatMessage, ReplyRoute, ReplyStatus, Role, Usage } from '../../shared/conversation';

export const CONVERSATION_VERSION = 1;

/** The title of a conversation without a question yet, in the display language (read at each use, not at load). */
export const defaultTitle = (): string => l10n.t('New conversation');

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

/** A new, empty conversation created at `now`, titled by its first question once it has one. */
export const newConversation = (id: string, now: number): Conversation => ({
  id,
  title: defaultTitle(),
  titleIsAuto: true,
  createdAt: now,
  updatedAt: now,
  messages: [],
});

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
      title: typeof raw.title === 'string' && raw.title.trim() ? raw.title : defaultTitle(),
      messages: Array.isArray(raw.messages)
        ? raw.messages.map((m: unknown, i) => (isObject(m) ? { id: `${String(raw.id)}-m${i}`, createdAt, ...m } : m))
        : raw.messages,
    };
  },
};

export function migrate(raw: unknown): { kind: 'ok'; value: Raw; from: number } | Exclude<ReadResult, { kind: 'ok' }> {
  if (!isObject(raw)) return { kind: 'invalid', reason: l10n.t('not a JSON object') };
  const from = raw.version === undefined ? 0 : raw.version;
  if (!isCount(from)) return { kind: 'invalid', reason: l10n.t('its version field is not valid') };
  if (from > CONVERSATION_VERSION) return { kind: 'future', version: from };
  let value = raw;
  for (let v = from; v < CONVERSATION_VERSION; v++) value = MIGRATIONS[v](value);
  return { kind: 'ok', value, from };
}

function parseUsage(x: unknown): Usage | undefined {
  if (!isObject(x) || !isCount(x.promptTokens) || !isCount(x.completionTokens) || !isCount(x.totalTokens))
    return undefined;
  const usage: Usage = {
    promptTokens: x.promptTokens,
    completionTokens: x.completionTokens,
    totalTokens: x.totalTokens,
  };
  if (isCount(x.cachedPromptTokens)) usage.cachedPromptTokens = x.cachedPromptTokens;
  if (typeof x.estimated === 'boolean') usage.estimated = x.estimated;
  return usage;
}

const COMPLEXITIES = new Set<unknown>(['simple', 'medium', 'complex'] satisfies ReplyRoute['complexity'][]);
const ROUTE_COUNTS = ['lines', 'nesting', 'branches', 'files', 'diagnostics'] as const;
const isText = (x: unknown, max: number): x is string => typeof x === 'string' && x !== '' && x.length <= max;

/** A reply's routing decision; undefined (dropped) when any required part is malformed. */
function parseRoute(x: unknown): ReplyRoute | undefined {
  if (!isObject(x) || !isText(x.task, 64) || !COMPLEXITIES.has(x.complexity) || !isText(x.model, 256)) return undefined;
  if (!isText(x.reason, 1000) || !isObject(x.signals) || !isCount(x.signals.promptTokens)) return undefined;
  const signals: ReplyRoute['signals'] = { promptTokens: x.signals.promptTokens };
  for (const k of ROUTE_COUNTS) if (isCount(x.signals[k])) signals[k] = x.signals[k] as number;
  const route: ReplyRoute = {
    task: x.task,
    complexity: x.complexity as ReplyRoute['complexity'],
    model: x.model,
    signals,
    reason: x.reason,
  };
  if (isText(x.label, 200)) route.label = x.label;
  if (isObject(x.alternative) && isText(x.alternative.model, 256)) {
    const saving = x.alternative.savingUsd;
    route.alternative = {
      model: x.alternative.model,
      ...(typeof saving === 'number' && Number.isFinite(saving) ? { savingUsd: saving } : {}),
    };
  }
  return route;
}

/** A malformed required field rejects the message (and so the file); a malformed optional field is dropped. */
export function parseMessage(x: unknown, i: number): ChatMessage | string {
  if (!isObject(x)) return l10n.t('message {0} is not an object', i);
  if (typeof x.id !== 'string' || x.id === '') return l10n.t('message {0} has no id', i);
  if (!ROLES.has(x.role)) return l10n.t('message {0} has no valid role', i);
  if (typeof x.content !== 'string') return l10n.t('message {0} has no content', i);
  if (!isTime(x.createdAt)) return l10n.t('message {0} has no valid createdAt', i);
  const m: ChatMessage = { id: x.id, role: x.role as Role, content: x.content, createdAt: x.createdAt };
  if (typeof x.model === 'string') m.model = x.model;
  const usage = parseUsage(x.usage);
  if (usage) m.usage = usage;
  if (STATUSES.has(x.status)) m.status = x.status as ReplyStatus;
  const money = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (money(x.costUsd)) m.costUsd = x.costUsd as number;
  if (money(x.savedUsd)) m.savedUsd = x.savedUsd as number;
  if (x.cached === true) m.cached = true;
  const route = parseRoute(x.route);
  if (route) m.route = route;
  if (isObject(x.tokenCounts)) {
    const counts: NonNullable<ChatMessage['tokenCounts']> = {};
    for (const enc of ['o200k_base', 'cl100k_base'] as const)
      if (isCount(x.tokenCounts[enc])) counts[enc] = x.tokenCounts[enc] as number;
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
    return { kind: 'invalid', reason: l10n.t('not valid JSON') };
  }
  const migrated = migrate(json);
  if (migrated.kind !== 'ok') return migrated;
  const raw = migrated.value;
  if (!isConversationId(raw.id)) return { kind: 'invalid', reason: l10n.t('no valid id') };
  if (expectedId !== undefined && raw.id !== expectedId)
    return { kind: 'invalid', reason: l10n.t('id {0} does not match the file name', raw.id) };
  if (typeof raw.title !== 'string') return { kind: 'invalid', reason: l10n.t('no title') };
  if (!isTime(raw.createdAt) || !isTime(raw.updatedAt))
    return { kind: 'invalid', reason: l10n.t('no valid createdAt/updatedAt') };
  if (!Array.isArray(raw.messages)) return { kind: 'invalid', reason: l10n.t('no messages array') };
  const messages: ChatMessage[] = new Array<ChatMessage>(raw.messages.length);
  for (let i = 0; i < raw.messages.length; i++) {
    const m = parseMessage(raw.messages[i], i);
    if (typeof m === 'string') return { kind: 'invalid', reason: m };
    messages[i] = m;
  }
  const conversation: Conversation = {
    id: raw.id,
    title: raw.title,
    titleIsAuto: raw.titleIsAuto === true,
    createdAt: raw.createdAt,
    updatedAt: raw.updatedAt,
    messages,
  };
  if (typeof raw.model === 'string') conversation.model = raw.model;
  return migrated.from === CONVERSATION_VERSION
    ? { kind: 'ok', conversation }
    : { kind: 'ok', conversation, migratedFrom: migrated.from };
}

export function toStored(c: Conversation): StoredConversation {
  return {
    version: CONVERSATION_VERSION,
    id: c.id,
    title: c.title,
    titleIsAuto: c.titleIsAuto,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(c.model !== undefined ? { model: c.model } : {}),
    messages: c.messages,
  };
}

/** The file body: compact (a 2,000-message conversation is written often while a reply streams). */
export const serializeConversation = (c: Conversation): string => JSON.stringify(toStored(c));

/** Whitespace collapsed, at most `max` characters (the input is cut first, so a huge message costs nothing). */
const oneLine = (s: string, max: number): string =>
  s
    .slice(0, max * 4)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);

export function summarize(c: Conversation): ConversationSummary {
  let last = '';
  for (let i = c.messages.length - 1; i >= 0 && !last; i--) last = oneLine(c.messages[i].content, 120);
  return {
    id: c.id,
    title: c.title,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    messageCount: c.messages.length,
    preview: last,
  };
}

export const newestFirst = (a: ConversationSummary, b: ConversationSummary): number =>
  b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
