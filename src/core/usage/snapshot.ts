// The usage snapshot: what the status bar, its tooltip and the budget check need, computed from the ledger's
// buckets for the local today and month of a time.
import type { BudgetSpent } from './budgets';
import { monthFilter, todayFilter, type UsageFilter } from './periods';
import { totalsByModel, totalsOf, type UsageBucket, type UsageTotals } from './totals';

/** What the status bar, its tooltip and the budget check show: totals for the local today and month of `now`. */
export interface UsageSnapshot {
  session: UsageTotals;
  today: UsageTotals;
  month: UsageTotals;
  todayByModel: { model: string; totals: UsageTotals }[];
  monthByModel: { model: string; totals: UsageTotals }[];
  /** Spent with known prices; the workspace amounts are 0 when no workspace is given. */
  spent: BudgetSpent;
}

export function usageSnapshot(
  buckets: readonly UsageBucket[],
  input: { now: number; workspace?: string; session: UsageTotals },
): UsageSnapshot {
  const { now, workspace } = input;
  const today = totalsOf(buckets, todayFilter(now));
  const month = totalsOf(buckets, monthFilter(now));
  const ws = (f: UsageFilter) => (workspace === undefined ? 0 : totalsOf(buckets, f).costUsd);
  return {
    session: { ...input.session },
    today,
    month,
    todayByModel: totalsByModel(buckets, todayFilter(now)),
    monthByModel: totalsByModel(buckets, monthFilter(now)),
    spent: {
      globalToday: today.costUsd,
      globalMonth: month.costUsd,
      workspaceToday: ws(todayFilter(now, workspace)),
      workspaceMonth: ws(monthFilter(now, workspace)),
    },
  };
}
