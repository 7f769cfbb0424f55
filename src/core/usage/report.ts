// Data of the usage report: totals per local day × model × surface over the last N days, per model, per surface and
// per day (every day of the range, empty ones included, for the chart), optionally of one surface only. Its CSV is
// usageCsv.ts, its chart usageChart.ts.
import { dayKey } from './periods';
import type { UsageRecord } from './records';
import type { UsageSurface } from './surfaces';
import {
  addTotals,
  emptyTotals,
  totalsByModel,
  totalsBySurface,
  type UsageBucket,
  UsageBuckets,
  type UsageTotals,
} from './totals';

export interface ReportRow {
  /** Local date `YYYY-MM-DD`. */
  day: string;
  model: string;
  surface: UsageSurface;
  totals: UsageTotals;
}

export interface DayTotals {
  day: string;
  totals: UsageTotals;
}

export interface ReportData {
  fromDay: string;
  toDay: string;
  /** The surface the report is limited to; undefined: all. */
  surface?: UsageSurface;
  /** Rows with at least one request, by day, model, then surface. */
  rows: ReportRow[];
  /** Every day of the range, oldest first, zeros included. */
  perDay: DayTotals[];
  /** Most expensive first. */
  perModel: { model: string; totals: UsageTotals }[];
  /** Every surface, in a fixed order, over the whole range whatever `surface` is (what a filter would pick). */
  perSurface: { surface: UsageSurface; totals: UsageTotals }[];
  total: UsageTotals;
}

export interface ReportOptions {
  /** Days up to and including today; default 30, at most 3660. */
  days?: number;
  /** Epoch ms of "today" (the clock's now). */
  now: number;
  /** Only this workspace; default all. */
  workspace?: string;
  /** Only requests from this surface (rows, days, models, totals); default all. */
  surface?: UsageSurface;
}

/** Builds the report from ledger buckets (detail and compacted months alike) or from records. */
export function reportData(input: Iterable<UsageBucket | UsageRecord>, options: ReportOptions): ReportData {
  const n = Math.min(3660, Math.max(1, Math.floor(Number.isFinite(options.days) ? (options.days ?? 30) : 30)));
  const today = new Date(options.now);
  const days: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    days.push(dayKey(new Date(today.getFullYear(), today.getMonth(), today.getDate() - i).getTime()));
  }
  const fromDay = days[0];
  const toDay = days[days.length - 1];
  const merged = new UsageBuckets();
  for (const x of input) {
    const b = 'totals' in x ? x : undefined;
    const ws = b ? b.workspace : (x as UsageRecord).workspace;
    if (options.workspace !== undefined && ws !== options.workspace) continue;
    // Workspaces are summed: the report's rows are day × model × surface.
    if (b) merged.addBucket({ ...b, workspace: '' });
    else merged.addRecord({ ...(x as UsageRecord), workspace: '' });
  }
  const perSurface = totalsBySurface(merged.values(), { fromDay, toDay });
  const surface = options.surface;
  const inRange = merged.list({ fromDay, toDay, ...(surface ? { surface } : {}) });
  const rows = inRange.map(({ day, model, surface: s, totals }) => ({ day, model, surface: s, totals }));
  const byDay = new Map(days.map((day) => [day, emptyTotals()]));
  const total = emptyTotals();
  for (const r of rows) {
    const t = byDay.get(r.day);
    if (t) addTotals(t, r.totals);
    addTotals(total, r.totals);
  }
  return {
    fromDay,
    toDay,
    ...(surface ? { surface } : {}),
    rows,
    perDay: days.map((day) => ({ day, totals: byDay.get(day) ?? emptyTotals() })),
    perModel: totalsByModel(inRange),
    perSurface,
    total,
  };
}
