// One cached reply: what a hit needs to replay it (the text) and to show what it saved (the original usage and
// model), with its own version so that a future shape can be told apart. Stored as JSON by every backend; whatever
// is read back is checked field by field, and anything that fails the check is never served.
import type { Usage } from '../../shared/conversation';

export const CACHE_ENTRY_VERSION = 1;

export interface CacheEntry {
  version: typeof CACHE_ENTRY_VERSION;
  /** The cache key it was stored under (a read under another key is treated as corrupt). */
  key: string;
  /** The model that answered. */
  model: string;
  reply: string;
  /** The usage of the original request: what each hit saves. */
  usage?: Usage;
  finishReason?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
}

/** The outcome of reading stored text: an entry, or why it cannot be one. */
export type ParsedEntry = { ok: true; entry: CacheEntry } | { ok: false; error: string };

/**
 * The JSON to store. `expiresAt` comes first on purpose: the file store reads only a file's first bytes to find
 * expired entries while it scans (see fileStore.ts, `EXPIRY_HEADER`).
 */
export function serializeCacheEntry(entry: CacheEntry): string {
  const { expiresAt, version, key, model, reply, usage, finishReason, createdAt } = entry;
  return JSON.stringify({ expiresAt, version, key, model, createdAt, finishReason, usage, reply });
}

/** Parses and validates stored text; `expectedKey` also checks that the entry belongs where it was found. */
export function parseCacheEntry(text: string, expectedKey?: string): ParsedEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  const error = cacheEntryProblem(value);
  if (error) return { ok: false, error };
  const entry = value as CacheEntry;
  if (expectedKey !== undefined && entry.key !== expectedKey) return { ok: false, error: 'stored under another key' };
  return { ok: true, entry: pick(entry) };
}

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Undefined when `value` is a valid CacheEntry, else the first problem found. */
export function cacheEntryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const e = value as Record<string, unknown>;
  if (e.version !== CACHE_ENTRY_VERSION) return `unknown version ${JSON.stringify(e.version)}`;
  if (typeof e.key !== 'string' || e.key === '') return 'key: expected a non-empty string';
  if (typeof e.model !== 'string' || e.model === '') return 'model: expected a non-empty string';
  if (typeof e.reply !== 'string') return 'reply: expected a string';
  if (e.finishReason !== undefined && typeof e.finishReason !== 'string') return 'finishReason: expected a string';
  if (!isTime(e.createdAt)) return 'createdAt: expected epoch milliseconds';
  if (!isTime(e.expiresAt)) return 'expiresAt: expected epoch milliseconds';
  if (e.usage !== undefined) {
    const u = e.usage as Record<string, unknown> | null;
    if (typeof u !== 'object' || u === null) return 'usage: expected an object';
    for (const name of ['promptTokens', 'completionTokens', 'totalTokens'] as const) {
      if (!isCount(u[name])) return `usage.${name}: expected a token count`;
    }
    if (u.cachedPromptTokens !== undefined && !isCount(u.cachedPromptTokens)) return 'usage.cachedPromptTokens: expected a token count';
    if (u.estimated !== undefined && typeof u.estimated !== 'boolean') return 'usage.estimated: expected a boolean';
  }
  return undefined;
}

/** A copy with only the known fields (stray fields in stored JSON are not passed on). */
function pick(e: CacheEntry): CacheEntry {
  const entry: CacheEntry = { version: e.version, key: e.key, model: e.model, reply: e.reply, createdAt: e.createdAt, expiresAt: e.expiresAt };
  if (e.finishReason !== undefined) entry.finishReason = e.finishReason;
  if (e.usage !== undefined) {
    const u = e.usage;
    entry.usage = { promptTokens: u.promptTokens, completionTokens: u.completionTokens, totalTokens: u.totalTokens };
    if (u.cachedPromptTokens !== undefined) entry.usage.cachedPromptTokens = u.cachedPromptTokens;
    if (u.estimated !== undefined) entry.usage.estimated = u.estimated;
  }
  return entry;
}
