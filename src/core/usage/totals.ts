// Usage totals: the sums of records (requests, tokens, known costs, cache savings, estimates), per local day × model ×
// workspace × surface bucket. The ledger, its compacted summaries, the budgets and the report all work on these buckets, so a
// compacted month (stored as buckets only) adds up exactly like detail.
import { dayKey, matchesFilter, type UsageFilter } from './periods';
import type { UsageRecord } from './records';
import { surfaceOf, USAGE_SURFACES, type UsageSurface } from './surfaces';

export interface UsageTotals {
  requests: number;
  /** Billed prompt tokens (cached prompt tokens included); cache hits are not billed and not counted. */
  tokensIn: number;
  cachedTokensIn: number;
  tokensOut: number;
  /** Sum of the known costs; requests of unknown price are counted in `unknownCostRequests` instead. */
  costUsd: number;
  unknownCostRequests: number;
  cacheHits: number;
  savedUsd: number;
  estimatedRequests: number;
}

/** Totals of one local day, model, workspace and surface: the unit the ledger, its summaries and reports share. */
export interface UsageBucket {
  /** Local date `YYYY-MM-DD`. */
  day: string;
  model: string;
  workspace: string;
  /** Where its requests came from (`panel` for records and summaries written before surfaces existed). */
  surface: UsageSurface;
  totals: UsageTotals;
}

const TOTAL_KEYS = [
  'requests',
  'tokensIn',
  'cachedTokensIn',
  'tokensOut',
  'costUsd',
  'unknownCostRequests',
  'cacheHits',
  'savedUsd',
  'estimatedRequests',
] as const satisfies readonly (keyof UsageTotals)[];

export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    tokensIn: 0,
    cachedTokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    unknownCostRequests: 0,
    cacheHits: 0,
    savedUsd: 0,
    estimatedRequests: 0,
  };
}

/** Adds `from` into `into` (mutates and returns `into`). */
export function addTotals(into: UsageTotals, from: Readonly<UsageTotals>): UsageTotals {
  for (const k of TOTAL_KEYS) into[k] += from[k];
  return into;
}

/** Adds one record into `into` (mutates and returns `into`). */
export function addRecord(into: UsageTotals, r: Readonly<UsageRecord>): UsageTotals {
  into.requests++;
  if (r.cacheHit) {
    into.cacheHits++;
    into.savedUsd += r.savedUsd ?? 0;
  } else {
    into.tokensIn += r.promptTokens;
    into.cachedTokensIn += r.cachedPromptTokens;
    into.tokensOut += r.completionTokens;
  }
  if (r.costUsd === undefined) into.unknownCostRequests++;
  else into.costUsd += r.costUsd;
  if (r.estimated) into.estimatedRequests++;
  return into;
}

/** Buckets keyed by day × model × workspace × surface. */
export class UsageBuckets {
  private readonly map = new Map<string, UsageBucket>();

  private bucket(day: string, model: string, workspace: string, surface: UsageSurface): UsageBucket {
    const key = JSON.stringify([day, model, workspace, surface]);
    let b = this.map.get(key);
    if (!b) this.map.set(key, (b = { day, model, workspace, surface, totals: emptyTotals() }));
    return b;
  }

  addRecord(r: Readonly<UsageRecord>): void {
    addRecord(this.bucket(dayKey(r.at), r.model, r.workspace, surfaceOf(r.surface)).totals, r);
  }

  addBucket(b: Readonly<UsageBucket>): void {
    addTotals(this.bucket(b.day, b.model, b.workspace, b.surface).totals, b.totals);
  }

  get size(): number {
    return this.map.size;
  }

  /** The buckets themselves (no copies): read, don't change. */
  values(): IterableIterator<Readonly<UsageBucket>> {
    return this.map.values();
  }

  /** Copies of the matching buckets, sorted by day, model, workspace, surface (stable output for summaries, reports). */
  list(filter?: UsageFilter): UsageBucket[] {
    const out: UsageBucket[] = [];
    for (const b of this.map.values()) if (matchesFilter(b, filter)) out.push({ ...b, totals: { ...b.totals } });
    return out.sort(compareBuckets);
  }
}

export function compareBuckets(a: UsageBucket, b: UsageBucket): number {
  return (
    cmp(a.day, b.day) ||
    cmp(a.model, b.model) ||
    cmp(a.workspace, b.workspace) ||
    USAGE_SURFACES.indexOf(a.surface) - USAGE_SURFACES.indexOf(b.surface)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sum of the buckets matching `filter`. */
export function totalsOf(buckets: Iterable<UsageBucket>, filter?: UsageFilter): UsageTotals {
  const t = emptyTotals();
  for (const b of buckets) if (matchesFilter(b, filter)) addTotals(t, b.totals);
  return t;
}

/** Totals per model of the buckets matching `filter`, most expensive first (then by name). */
export function totalsByModel(
  buckets: Iterable<UsageBucket>,
  filter?: UsageFilter,
): { model: string; totals: UsageTotals }[] {
  const by = new Map<string, UsageTotals>();
  for (const b of buckets) {
    if (!matchesFilter(b, filter)) continue;
    let t = by.get(b.model);
    if (!t) by.set(b.model, (t = emptyTotals()));
    addTotals(t, b.totals);
  }
  return [...by]
    .map(([model, totals]) => ({ model, totals }))
    .sort((a, b) => b.totals.costUsd - a.totals.costUsd || cmp(a.model, b.model));
}

/** Totals per surface of the buckets matching `filter`: every surface, in a fixed order (panel, action, chat view, agent). */
export function totalsBySurface(
  buckets: Iterable<UsageBucket>,
  filter?: UsageFilter,
): { surface: UsageSurface; totals: UsageTotals }[] {
  const by = new Map(USAGE_SURFACES.map((s) => [s, emptyTotals()]));
  for (const b of buckets) {
    const t = by.get(b.surface);
    if (t && matchesFilter(b, filter)) addTotals(t, b.totals);
  }
  return [...by].map(([surface, totals]) => ({ surface, totals }));
}

const isUsd = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

/** Validates stored totals (from a summary file). */
export function parseTotals(x: unknown): UsageTotals | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  const t = emptyTotals();
  for (const k of TOTAL_KEYS) {
    const value = o[k];
    if (!isUsd(value)) return undefined;
    t[k] = value;
  }
  return t;
}
