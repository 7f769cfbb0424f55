// Usage periods: local calendar days (`YYYY-MM-DD`) and months (`YYYY-MM`) of a time, and the filters over day ×
// model × workspace × surface that pick today's, this month's, one workspace's or one surface's usage.
import type { UsageSurface } from './surfaces';

/** Inclusive day range (local `YYYY-MM-DD`), and optionally one workspace, model or surface. */
export interface UsageFilter {
  fromDay?: string;
  toDay?: string;
  workspace?: string;
  model?: string;
  surface?: UsageSurface;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local calendar day of an epoch-ms time, `YYYY-MM-DD`. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local calendar month of an epoch-ms time, `YYYY-MM`. */
export function monthKey(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}`;
}

/** The local month before `ms`'s month, `YYYY-MM`. */
export function previousMonthKey(ms: number): string {
  const d = new Date(ms);
  return monthKey(new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime());
}

/** Filter for the local day of `now`. */
export function todayFilter(now: number, workspace?: string): UsageFilter {
  const day = dayKey(now);
  return withWorkspace({ fromDay: day, toDay: day }, workspace);
}

/** Filter for the local month of `now` (day keys compare as strings: `-01` to `-31` covers any month). */
export function monthFilter(now: number, workspace?: string): UsageFilter {
  const m = monthKey(now);
  return withWorkspace({ fromDay: `${m}-01`, toDay: `${m}-31` }, workspace);
}

function withWorkspace(f: UsageFilter, workspace: string | undefined): UsageFilter {
  return workspace === undefined ? f : { ...f, workspace };
}

export function matchesFilter(
  b: { day: string; model: string; workspace: string; surface?: UsageSurface },
  f: UsageFilter = {},
): boolean {
  return (
    (f.fromDay === undefined || b.day >= f.fromDay) &&
    (f.toDay === undefined || b.day <= f.toDay) &&
    (f.workspace === undefined || b.workspace === f.workspace) &&
    (f.model === undefined || b.model === f.model) &&
    (f.surface === undefined || b.surface === f.surface)
  );
}
