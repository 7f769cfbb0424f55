// Is the API degraded today? Today's error rate or p95 latency well above the last 7 days' (the baseline), with
// enough requests on both sides that a couple of unlucky requests do not raise it. Pointed out at most once per
// local day (the host keeps the day it last did), so the user is never nagged.
import * as l10n from '@vscode/l10n';
import { dayKey } from '../usage/periods';
import { formatPercent, formatSeconds } from './healthFormat';
import { isError } from './healthStats';
import { percentileOfSorted } from './percentiles';
import type { RequestMetric } from './requestMetric';

/** The thresholds, named. */
export const DEGRADED_THRESHOLDS = {
  /** Days before today that make the baseline. */
  baselineDays: 7,
  /** Fewest API requests today before anything is judged. */
  minTodayRequests: 5,
  /** Fewest API requests in the baseline before anything is judged. */
  minBaselineRequests: 20,
  /** Today's error rate must be at least this many times the baseline's… */
  errorRateFactor: 2,
  /** …and at least this much above it (absolute, 0.1 = 10 percentage points). */
  errorRateMargin: 0.1,
  /** Today's p95 latency must be at least this many times the baseline's… */
  p95Factor: 2,
  /** …and at least this many milliseconds above it. */
  p95MarginMs: 2000,
} as const;

export interface PeriodHealth {
  requests: number;
  errorRate: number;
  /** undefined: no completed request to measure. */
  p95Ms?: number;
}

export interface Degraded {
  day: string;
  errorRate: boolean;
  latency: boolean;
  today: PeriodHealth;
  baseline: PeriodHealth;
  /** One sentence for the user, in the display language. */
  message: string;
}

function periodHealth(rs: readonly RequestMetric[]): PeriodHealth {
  const api = rs.filter((r) => !r.cacheHit);
  const durations = api
    .filter((r) => r.outcome !== 'stopped')
    .map((r) => r.durationMs)
    .sort((a, b) => a - b);
  const p95Ms = percentileOfSorted(durations, 95);
  return {
    requests: api.length,
    errorRate: api.length ? api.filter(isError).length / api.length : 0,
    ...(p95Ms !== undefined ? { p95Ms } : {}),
  };
}

/** Local midnight of `now`'s day minus `days` days. */
function midnight(now: number, days = 0): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - days).getTime();
}

/** The degradation seen today against the last 7 days, or undefined when there is none (or too few requests). */
export function detectDegraded(records: readonly RequestMetric[], now: number): Degraded | undefined {
  const t = DEGRADED_THRESHOLDS;
  const todayStart = midnight(now);
  const baseStart = midnight(now, t.baselineDays);
  const today = periodHealth(records.filter((r) => r.time >= todayStart && r.time <= now));
  const baseline = periodHealth(records.filter((r) => r.time >= baseStart && r.time < todayStart));
  if (today.requests < t.minTodayRequests || baseline.requests < t.minBaselineRequests) return undefined;
  const errorRate =
    today.errorRate >= baseline.errorRate * t.errorRateFactor &&
    today.errorRate >= baseline.errorRate + t.errorRateMargin;
  const latency =
    today.p95Ms !== undefined &&
    baseline.p95Ms !== undefined &&
    today.p95Ms >= baseline.p95Ms * t.p95Factor &&
    today.p95Ms >= baseline.p95Ms + t.p95MarginMs;
  if (!errorRate && !latency) return undefined;
  const pct = (x: number) => formatPercent(x, 0);
  const sec = (ms: number | undefined) => formatSeconds(ms ?? 0);
  const failing = l10n.t('{0} of requests failed (last 7 days: {1})', pct(today.errorRate), pct(baseline.errorRate));
  const slow = l10n.t('p95 latency is {0} (last 7 days: {1})', sec(today.p95Ms), sec(baseline.p95Ms));
  const message =
    errorRate && latency
      ? l10n.t('The API looks degraded today: {0}; {1}.', failing, slow)
      : l10n.t('The API looks degraded today: {0}.', errorRate ? failing : slow);
  return {
    day: dayKey(now),
    errorRate,
    latency,
    today,
    baseline,
    message,
  };
}

/** The degradation to point out now: only when there is one and it was not pointed out today already. */
export function degradedToNotify(
  records: readonly RequestMetric[],
  now: number,
  lastNotifiedDay: string | undefined,
): Degraded | undefined {
  if (lastNotifiedDay === dayKey(now)) return undefined;
  return detectDegraded(records, now);
}
