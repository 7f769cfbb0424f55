// The response cache's key: SHA-256 over a canonical form of everything that shapes a reply (endpoint, model,
// messages, every generation parameter). Canonical means stable under object key order, so two requests that mean
// the same thing get the same key, and any change that could change the reply gets a different one.
// The API key is deliberately not part of it: a team sharing one Redis shares answers across its members' keys.
import { createHash } from 'node:crypto';
import type { ChatRequest } from '../api/chatClient';

/** Bumped whenever the canonical form changes, so old entries are simply never found again. */
export const CACHE_KEY_SCHEMA = 'tally-cache-v1';

/**
 * Generation parameters. Named ones are those Tally knows today; any other field a future request carries takes
 * part in the key too (the index signature), so adding a parameter can never make two different requests collide.
 */
export interface GenerationParams {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string | string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseFormat?: unknown;
  tools?: unknown;
  toolChoice?: unknown;
  [name: string]: unknown;
}

export interface CacheKeyInput {
  baseUrl: string;
  model: string;
  messages: readonly unknown[];
  params?: GenerationParams;
}

/**
 * JSON with object keys sorted (recursively) and `undefined` fields dropped, so `{a:1,b:undefined}` and `{a:1}`
 * are one value. Arrays keep their order (messages are ordered); numbers, strings and `toJSON` follow JSON.stringify.
 * Cycles and BigInts throw: they have no canonical JSON form.
 */
export function canonicalJson(value: unknown): string {
  const out = canonical(value, new Set());
  return out === undefined ? 'null' : out;
}

function canonical(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt has no JSON form');
  }
  const obj = value as object;
  const withToJson = obj as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return canonical(withToJson.toJSON(), seen);
  if (seen.has(obj)) throw new TypeError('canonicalJson: circular structure');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((item) => canonical(item, seen) ?? 'null').join(',')}]`;
    const record = obj as Record<string, unknown>;
    const fields: string[] = [];
    // Default sort is by UTF-16 code units: deterministic and locale-independent.
    for (const name of Object.keys(record).sort()) {
      const encoded = canonical(record[name], seen);
      if (encoded !== undefined) fields.push(`${JSON.stringify(name)}:${encoded}`);
    }
    return `{${fields.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

/**
 * One form per endpoint: surrounding whitespace and trailing slashes dropped, scheme and host lower-cased and a
 * default port removed (by URL parsing), user:password removed (who asks does not change the answer).
 */
export function normaliseEndpoint(baseUrl: string): string {
  const trimmed = baseUrl.trim();
  try {
    const u = new URL(trimmed);
    u.username = '';
    u.password = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '').replace(/\/+\?/, '?');
  } catch {
    return trimmed.replace(/\/+$/, '');
  }
}

/** The cache key: lowercase hex SHA-256 (64 characters) of the schema tag and the canonical request. */
export function cacheKeyFor(input: CacheKeyInput): string {
  const body = canonicalJson({
    endpoint: normaliseEndpoint(input.baseUrl),
    model: input.model,
    messages: input.messages,
    params: input.params ?? {},
  });
  return createHash('sha256').update(`${CACHE_KEY_SCHEMA}\n`).update(body).digest('hex');
}

/** A well-formed key (also what the file store accepts as a file name, so no path can be smuggled in). */
export function isCacheKey(key: string): boolean {
  return /^[0-9a-f]{64}$/.test(key);
}

/**
 * The cache's view of a chat request: everything but model and messages is a generation parameter, so a field
 * added to ChatRequest later is part of the key without anyone remembering to add it here.
 */
export function cacheInputFor(baseUrl: string, request: ChatRequest): CacheKeyInput {
  const { model, messages, ...params } = request;
  return { baseUrl, model, messages, params };
}
