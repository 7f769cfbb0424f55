// The figures of the API health report for a period and (optionally) one model, from request metrics. Pure and
// linear in the records (one sort per percentile summary and one for the slowest). Definitions:
// - API requests are those not served from Tally's cache; latency, time to first token, output rate, error rate,
//   retries and waits are about them only (a cache hit says nothing about the API).
// - Latency (durationMs) percentiles leave out replies the user stopped (their end is the user's, not the API's).
// - Error rate = API requests that failed or were interrupted ÷ API requests; by kind of their final error.
//   Failed attempts that a retry then recovered are counted apart (attemptErrorsByKind).
// - Cache hit rate = cache hits ÷ all requests; money saved = what the cached replies' original requests cost.
import { dayKey } from '../usage/periods';
import { summarize, type PercentileSummary } from './percentiles';
import type { RequestMetric } from './requestMetric';

export interface HealthFilter {
  fromMs: number;
  toMs: number;
  model?: string;
}

export interface TimeBucket {
  /** Epoch ms of the bucket's start, and its label (local `YYYY-MM-DD` or `YYYY-MM-DD HH:00`). */
  start: number;
  label: string;
  ok: number;
  errors: number;
  cacheHits: number;
}

export interface KindCount {
  kind: string;
  count: number;
}

export interface HealthReport {
  filter: HealthFilter;
  /** Every model seen in the period (for the model picker), sorted. */
  models: string[];
  requests: number;
  apiRequests: number;
  cacheHits: number;
  /** undefined: no requests. */
  cacheHitRate?: number;
  savedUsd: number;
  costUsd: number;
  stopped: number;
  latencyMs: PercentileSummary;
  ttftMs: PercentileSummary;
  outputTokensPerS: PercentileSummary;
  errors: number;
  /** undefined: no API requests. */
  errorRate?: number;
  errorsByKind: KindCount[];
  attemptErrorsByKind: KindCount[];
  retries: number;
  requestsRetried: number;
  waitMs: number;
  rateLimitWaitMs: number;
  /** Hourly buckets for a period of up to two days, else daily. */
  overTime: TimeBucket[];
  /** The slowest API requests, slowest first. */
  slowest: RequestMetric[];
}

export const SLOWEST_SHOWN = 10;
const HOUR_MS = 3_600_000;
/** Up to this many hours, requests over time are counted per hour. */
const HOURLY_UP_TO_MS = 48 * HOUR_MS;
const MAX_BUCKETS = 3660;

export const isError = (r: RequestMetric) => r.outcome === 'failed' || r.outcome === 'interrupted';

/** The report for `filter` from `records` (any order; records outside the period or model are ignored). */
export function healthReport(records: readonly RequestMetric[], filter: HealthFilter): HealthReport {
  const inPeriod = records.filter((r) => r.time >= filter.fromMs && r.time <= filter.toMs);
  const models = [...new Set(inPeriod.map((r) => r['gen_ai.request.model']))].sort();
  const rs = filter.model === undefined ? inPeriod : inPeriod.filter((r) => r['gen_ai.request.model'] === filter.model);
  const api = rs.filter((r) => !r.cacheHit);
  const hits = rs.length - api.length;
  const errors = api.filter(isError);
  const attemptKinds: string[] = [];
  for (const r of api) for (const a of r.attempts.slice(0, -1)) if (a['error.type']) attemptKinds.push(a['error.type']);
  const report: HealthReport = {
    filter,
    models,
    requests: rs.length,
    apiRequests: api.length,
    cacheHits: hits,
    savedUsd: sum(rs, (r) => r.savedUsd ?? 0),
    costUsd: sum(rs, (r) => r.costUsd ?? 0),
    stopped: rs.filter((r) => r.outcome === 'stopped').length,
    latencyMs: summarize(api.filter((r) => r.outcome !== 'stopped').map((r) => r.durationMs)),
    ttftMs: summarize(api.flatMap((r) => (r.ttftMs !== undefined ? [r.ttftMs] : []))),
    outputTokensPerS: summarize(api.flatMap((r) => (r.outputTokensPerS !== undefined ? [r.outputTokensPerS] : []))),
    errors: errors.length,
    errorsByKind: countKinds(errors.map((r) => r['error.type'] ?? 'unknown')),
    attemptErrorsByKind: countKinds(attemptKinds),
    retries: sum(api, (r) => r.retries),
    requestsRetried: api.filter((r) => r.retries > 0).length,
    waitMs: sum(api, (r) => r.waitMs),
    rateLimitWaitMs: sum(api, (r) => r.rateLimitWaitMs),
    overTime: overTime(rs, filter),
    slowest: [...api].sort((a, b) => b.durationMs - a.durationMs || a.time - b.time).slice(0, SLOWEST_SHOWN),
  };
  if (rs.length > 0) report.cacheHitRate = hits / rs.length;
  if (api.length > 0) report.errorRate = errors.length / api.length;
  return report;
}

function sum(rs: readonly RequestMetric[], f: (r: RequestMetric) => number): number {
  let n = 0;
  for (const r of rs) n += f(r);
  return n;
}

function countKinds(kinds: readonly string[]): KindCount[] {
  const m = new Map<string, number>();
  for (const k of kinds) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m]
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Every bucket of the period (empty ones too), hourly up to two days, else per local day. */
function overTime(rs: readonly RequestMetric[], filter: HealthFilter): TimeBucket[] {
  const hourly = filter.toMs - filter.fromMs <= HOURLY_UP_TO_MS;
  const buckets: TimeBucket[] = [];
  const index = new Map<string, TimeBucket>();
  const keyOf = (t: number) => {
    const d = new Date(t);
    return hourly ? `${dayKey(t)} ${pad(d.getHours())}:00` : dayKey(t);
  };
  // At most ~10 years of days: a period from the epoch starts its buckets there, not in 1970.
  const first = new Date(Math.max(filter.fromMs, filter.toMs - MAX_BUCKETS * 86_400_000));
  let t = hourly
    ? new Date(first.getFullYear(), first.getMonth(), first.getDate(), first.getHours()).getTime()
    : new Date(first.getFullYear(), first.getMonth(), first.getDate()).getTime();
  for (let n = 0; t <= filter.toMs && n <= MAX_BUCKETS; n++) {
    const label = keyOf(t);
    if (!index.has(label)) {
      const b: TimeBucket = { start: t, label, ok: 0, errors: 0, cacheHits: 0 };
      buckets.push(b);
      index.set(label, b);
    }
    const d = new Date(t);
    t = hourly
      ? new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours() + 1).getTime()
      : new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  }
  for (const r of rs) {
    const b = index.get(keyOf(r.time));
    if (!b) continue;
    if (r.cacheHit) b.cacheHits++;
    else if (isError(r)) b.errors++;
    else b.ok++;
  }
  return buckets;
}
