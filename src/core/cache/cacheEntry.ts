// One cached reply: what a hit needs to replay it (the text) and to show what it saved (the original usage and
// model), with its own version so that a future shape can be told apart. Stored as JSON by every backend; whatever
// is read back is checked field by field, and anything that fails the check is never served.
// A shared backend (a team's Redis) is someone else's storage: `openCacheEntry` also bounds the size, checks the expiry
// and, with a team secret, an HMAC-SHA256 over the key asked for and the entry's content (see `entryMac`).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Usage } from '../../shared/conversation';
import { canonicalJson } from './cacheKey';

export const CACHE_ENTRY_VERSION = 1;

/** Largest stored entry read back (4 MiB): a bigger value is not parsed, whatever it holds. */
export const MAX_CACHE_ENTRY_BYTES = 4 * 1024 * 1024;

/** Domain tag of the entry MAC, bumped if what it covers ever changes. */
const MAC_SCHEMA = 'tally-cache-mac-v1';

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
 * expired entries while it scans (see entryFiles.ts, `EXPIRY_HEADER`).
 */
export function serializeCacheEntry(entry: CacheEntry, secret?: string): string {
  const { expiresAt, version, key, model, reply, usage, finishReason, createdAt } = entry;
  const mac = secret ? entryMac(key, entry, secret) : undefined;
  return JSON.stringify({ expiresAt, version, key, model, createdAt, finishReason, usage, reply, mac });
}

/** Parses and validates stored text; `expectedKey` also checks that the entry belongs where it was found. */
export function parseCacheEntry(text: string, expectedKey?: string): ParsedEntry {
  const parsed = parseStored(text);
  if (!parsed.ok) return parsed;
  if (expectedKey !== undefined && parsed.entry.key !== expectedKey)
    return { ok: false, error: 'stored under another key' };
  return { ok: true, entry: parsed.entry };
}

/** Why a stored value was not served; each kind is something a log names once. */
export type EntryRejection = 'oversized' | 'corrupt' | 'wrongKey' | 'unsigned' | 'badMac' | 'expired';

export interface EntryCheck {
  /** The key that was asked for (never the key the stored value names). */
  key: string;
  /** Epoch ms: an entry whose `expiresAt` is not after it is expired. */
  now: number;
  /** The team secret: when set, only an entry with a valid MAC for `key` is served. */
  secret?: string;
  /** Default MAX_CACHE_ENTRY_BYTES. */
  maxBytes?: number;
}

export type CheckedEntry = { ok: true; entry: CacheEntry } | { ok: false; rejection: EntryRejection; error: string };

/**
 * Reads a value from storage nobody vouches for: size (before parsing), shape, the key asked for, the MAC when a
 * secret is set, expiry — in that order, the first failure decides.
 */
export function openCacheEntry(text: string, check: EntryCheck): CheckedEntry {
  const maxBytes = check.maxBytes ?? MAX_CACHE_ENTRY_BYTES;
  // UTF-8 never takes fewer bytes than UTF-16 code units, so the length alone settles most oversized values.
  const bytes = text.length > maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) return { ok: false, rejection: 'oversized', error: `larger than ${maxBytes} bytes` };
  const parsed = parseStored(text);
  if (!parsed.ok) return { ok: false, rejection: 'corrupt', error: parsed.error };
  const { entry, mac } = parsed;
  if (entry.key !== check.key) return { ok: false, rejection: 'wrongKey', error: 'stored under another key' };
  if (check.secret) {
    if (mac === undefined) return { ok: false, rejection: 'unsigned', error: 'no MAC, and a team secret is set' };
    if (!sameHex(mac, entryMac(check.key, entry, check.secret))) {
      return {
        ok: false,
        rejection: 'badMac',
        error: 'MAC does not match (another secret, or a forged or altered entry)',
      };
    }
  }
  if (entry.expiresAt <= check.now)
    return { ok: false, rejection: 'expired', error: `expired at ${new Date(entry.expiresAt).toISOString()}` };
  return { ok: true, entry };
}

/**
 * HMAC-SHA256 (hex) under the team secret over the key and every field of the entry, in canonical JSON (so field
 * order in the stored text does not matter, and nothing served — reply, usage, expiry — can change unnoticed).
 */
export function entryMac(key: string, entry: CacheEntry, secret: string): string {
  return createHmac('sha256', secret)
    .update(`${MAC_SCHEMA}\n${key}\n`)
    .update(canonicalJson(pick(entry)))
    .digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

type Stored = { ok: true; entry: CacheEntry; mac?: string } | { ok: false; error: string };

function parseStored(text: string): Stored {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  const error = cacheEntryProblem(value);
  if (error) return { ok: false, error };
  const { mac } = value as { mac?: string };
  return { ok: true, entry: pick(value as CacheEntry), ...(mac !== undefined ? { mac } : {}) };
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
    if (u.cachedPromptTokens !== undefined && !isCount(u.cachedPromptTokens))
      return 'usage.cachedPromptTokens: expected a token count';
    if (u.estimated !== undefined && typeof u.estimated !== 'boolean') return 'usage.estimated: expected a boolean';
  }
  if (e.mac !== undefined && (typeof e.mac !== 'string' || !/^[0-9a-f]{64}$/.test(e.mac)))
    return 'mac: expected 64 hex digits';
  return undefined;
}

/** A copy with only the known fields (stray fields in stored JSON are not passed on). */
function pick(e: CacheEntry): CacheEntry {
  const entry: CacheEntry = {
    version: e.version,
    key: e.key,
    model: e.model,
    reply: e.reply,
    createdAt: e.createdAt,
    expiresAt: e.expiresAt,
  };
  if (e.finishReason !== undefined) entry.finishReason = e.finishReason;
  if (e.usage !== undefined) {
    const u = e.usage;
    entry.usage = { promptTokens: u.promptTokens, completionTokens: u.completionTokens, totalTokens: u.totalTokens };
    if (u.cachedPromptTokens !== undefined) entry.usage.cachedPromptTokens = u.cachedPromptTokens;
    if (u.estimated !== undefined) entry.usage.estimated = u.estimated;
  }
  return entry;
}
