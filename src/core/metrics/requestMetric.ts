// One request's metrics, as one JSON line of the metrics store: when, which model, which endpoint origin, how it
// ended, its attempts (status, error kind, wait, latency, time to first token), its tokens, cost and cache hit.
// Never message text, never a key, never a URL path or query: the endpoint is kept as scheme, host and port only.
// Attribute names follow OpenTelemetry's GenAI semantic conventions where one exists (gen_ai.request.model,
// gen_ai.usage.input_tokens, gen_ai.usage.output_tokens, gen_ai.usage.cache_read.input_tokens, error.type,
// server.address, server.port, url.scheme, http.response.status_code); Tally's own fields are plain camelCase.
// Times are milliseconds (OpenTelemetry's durations are seconds: gen_ai.client.operation.duration = durationMs/1000,
// gen_ai.client.operation.time_to_first_chunk = ttftMs/1000).
import type { ErrorKind } from '../../shared/errors';
import { parseJsonLines } from '../files/jsonLines';

export const METRIC_VERSION = 1;

/** How a request ended: complete, stopped by the user, interrupted after text arrived, or failed before any. */
export type RequestOutcome = 'complete' | 'stopped' | 'interrupted' | 'failed';

export interface AttemptMetric {
  'http.response.status_code'?: number;
  /** Tally's error kind of a failed attempt (absent when it succeeded). */
  'error.type'?: ErrorKind;
  /** Waited before this attempt (0 for the first). */
  waitMs: number;
  durationMs: number;
  ttftMs?: number;
}

export interface RequestMetric {
  v: 1;
  /** Tally's id of the request (unique; a store recognises its own records by it). */
  id: string;
  /** Epoch ms when the request started. */
  time: number;
  'gen_ai.operation.name': 'chat';
  'gen_ai.request.model': string;
  'url.scheme': string;
  'server.address': string;
  'server.port'?: number;
  outcome: RequestOutcome;
  /** The final error kind (failed or interrupted). */
  'error.type'?: ErrorKind;
  /** The last attempt's HTTP status (none for a cache hit or a network failure). */
  'http.response.status_code'?: number;
  /** Attempts after the first. */
  retries: number;
  /** All waits between attempts, and those after a 429 (rate limited). */
  waitMs: number;
  rateLimitWaitMs: number;
  /** From the start to the end of the whole request (retries and waits included). */
  durationMs: number;
  /** From the start to the first text, when text arrived (retries and waits included). */
  ttftMs?: number;
  /** Output tokens per second after the first token, of the attempt that answered. */
  outputTokensPerS?: number;
  'gen_ai.usage.input_tokens': number;
  'gen_ai.usage.output_tokens': number;
  'gen_ai.usage.cache_read.input_tokens': number;
  /** Tokens counted locally (the API sent no usage). */
  usageEstimated: boolean;
  /** USD; absent when the price is unknown. 0 for a cache hit. */
  costUsd?: number;
  /** Answered from Tally's response cache (no attempt); what the original request cost. */
  cacheHit: boolean;
  savedUsd?: number;
  attempts: AttemptMetric[];
}

/** The origin fields of a base URL: scheme, host and port only; undefined parts when it is not a URL. */
export function originOf(baseUrl: string): Pick<RequestMetric, 'url.scheme' | 'server.address' | 'server.port'> {
  try {
    const u = new URL(baseUrl);
    const scheme = u.protocol.replace(/:$/, '');
    const port = u.port ? Number(u.port) : scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined;
    return {
      'url.scheme': scheme,
      'server.address': u.hostname,
      ...(port !== undefined ? { 'server.port': port } : {}),
    };
  } catch {
    return { 'url.scheme': '', 'server.address': '' };
  }
}

/** "https://api.openai.com" from a record (the port only when it is not the scheme's default). */
export function originText(r: Pick<RequestMetric, 'url.scheme' | 'server.address' | 'server.port'>): string {
  if (!r['server.address']) return '(unknown)';
  const host = r['server.address'].includes(':') ? `[${r['server.address']}]` : r['server.address'];
  const defaultPort = r['url.scheme'] === 'https' ? 443 : r['url.scheme'] === 'http' ? 80 : undefined;
  const port = r['server.port'] !== undefined && r['server.port'] !== defaultPort ? `:${r['server.port']}` : '';
  return `${r['url.scheme']}://${host}${port}`;
}

const MAX_TEXT = 128;
export const clampText = (s: string): string => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isMs = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isOpt = (x: unknown, check: (y: unknown) => boolean) => x === undefined || check(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const OUTCOMES: readonly string[] = ['complete', 'stopped', 'interrupted', 'failed'];
/** Errors kinds are checked for shape only (a newer Tally may add kinds): short words. */
const isKind = (x: unknown) => isStr(x) && /^[A-Za-z]{1,32}$/.test(x);

function parseAttempt(x: unknown): AttemptMetric | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  const ok =
    isOpt(o['http.response.status_code'], isCount) &&
    isOpt(o['error.type'], isKind) &&
    isMs(o.waitMs) &&
    isMs(o.durationMs) &&
    isOpt(o.ttftMs, isMs);
  return ok ? (o as unknown as AttemptMetric) : undefined;
}

/** Validates one parsed line; undefined when it is not a version-1 request metric. */
export function parseRequestMetric(x: unknown): RequestMetric | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  const ok =
    o.v === METRIC_VERSION &&
    isStr(o.id) &&
    isCount(o.time) &&
    o['gen_ai.operation.name'] === 'chat' &&
    isStr(o['gen_ai.request.model']) &&
    isStr(o['url.scheme']) &&
    isStr(o['server.address']) &&
    isOpt(o['server.port'], isCount) &&
    isStr(o.outcome) &&
    OUTCOMES.includes(o.outcome) &&
    isOpt(o['error.type'], isKind) &&
    isOpt(o['http.response.status_code'], isCount) &&
    isCount(o.retries) &&
    isMs(o.waitMs) &&
    isMs(o.rateLimitWaitMs) &&
    isMs(o.durationMs) &&
    isOpt(o.ttftMs, isMs) &&
    isOpt(o.outputTokensPerS, isMs) &&
    isCount(o['gen_ai.usage.input_tokens']) &&
    isCount(o['gen_ai.usage.output_tokens']) &&
    isCount(o['gen_ai.usage.cache_read.input_tokens']) &&
    typeof o.usageEstimated === 'boolean' &&
    isOpt(o.costUsd, isMs) &&
    typeof o.cacheHit === 'boolean' &&
    isOpt(o.savedUsd, isMs) &&
    Array.isArray(o.attempts) &&
    o.attempts.length <= 64 &&
    o.attempts.every((a) => parseAttempt(a) !== undefined);
  return ok ? (o as unknown as RequestMetric) : undefined;
}

/** One line (without its newline); `v` first, so a record glued to a torn line can be found again. */
export function serializeRequestMetric(r: RequestMetric): string {
  const { v, id, ...rest } = r;
  return JSON.stringify({ v, id, ...rest });
}

/** Parses complete lines; a bad line is split at each record start, so a record glued to a torn one survives. */
export function parseMetricLines(text: string): { records: RequestMetric[]; skipped: number } {
  return parseJsonLines(text, parseRequestMetric);
}
