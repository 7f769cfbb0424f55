// Money and token formatting for the status bar, its tooltip, budget messages and the report. A cost that is not
// known is shown as "price unknown", never as $0.00; a cost below a cent as "<$0.01", never rounded away.
import type { BudgetSpent } from './budgets';
import { PRICE_SOURCE } from '../tokens/models';
import {
  monthFilter, todayFilter, totalsByModel, totalsOf, type UsageBucket, type UsageFilter, type UsageTotals,
} from './records';

const USD = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `$0.23`, `$1,234.50`, `<$0.01` for any cost below a cent (but above zero), `price unknown` for undefined. */
export function formatUsd(usd: number | undefined): string {
  if (usd === undefined || Number.isNaN(usd)) return 'price unknown';
  if (usd < 0) return `-${formatUsd(-usd)}`;
  if (usd > 0 && usd < 0.01) return '<$0.01';
  return `$${USD.format(usd)}`;
}

const UNITS: readonly [string, number][] = [['k', 1e3], ['M', 1e6], ['B', 1e9]];

/** `950`, `12.4k`, `123k`, `1.2M`: one decimal below 100 of a unit, none above; `.0` dropped. */
export function formatTokensShort(tokens: number): string {
  if (!Number.isFinite(tokens)) return '?';
  if (tokens < 0) return `-${formatTokensShort(-tokens)}`;
  const n = Math.round(tokens);
  if (n < 1000) return String(n);
  for (let i = 0; i < UNITS.length; i++) {
    const [suffix, size] = UNITS[i];
    const v = n / size;
    const digits = v < 100 ? 1 : 0;
    const rounded = Number(v.toFixed(digits));
    if (rounded >= 1000 && i < UNITS.length - 1) continue;
    return `${rounded}${suffix}`;
  }
  return String(n);
}

/** The cost of a total: `$0.23`; `≥$0.23` when some requests had an unknown price; `price unknown` when all did. */
export function formatTotalCost(t: Pick<UsageTotals, 'requests' | 'costUsd' | 'unknownCostRequests' | 'cacheHits'>): string {
  if (t.unknownCostRequests === 0) return formatUsd(t.costUsd);
  if (t.costUsd === 0 && t.unknownCostRequests === t.requests) return formatUsd(undefined);
  return `≥${formatUsd(t.costUsd)}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Status bar text, e.g. `12.4k tok · $0.23 today` (the host adds the icon). */
export function statusBarText(totals: UsageTotals, period = 'today'): string {
  return `${formatTokensShort(totals.tokensIn + totals.tokensOut)} tok · ${formatTotalCost(totals)} ${period}`;
}

/** One tooltip line: `Today: 12.4k tok (10.1k in, 4.1k cached; 2.3k out) · $0.23 · 12 requests`. */
export function totalsLine(label: string, t: UsageTotals): string {
  const cached = t.cachedTokensIn > 0 ? `, ${formatTokensShort(t.cachedTokensIn)} cached` : '';
  return `${label}: ${formatTokensShort(t.tokensIn + t.tokensOut)} tok (${formatTokensShort(t.tokensIn)} in${cached}; `
    + `${formatTokensShort(t.tokensOut)} out) · ${formatTotalCost(t)} · ${plural(t.requests, 'request')}`;
}

export interface TooltipInput {
  session: UsageTotals;
  today: UsageTotals;
  month: UsageTotals;
  /** Per model, for the period named by `byModelPeriod` (e.g. this month). */
  byModel: readonly { model: string; totals: UsageTotals }[];
  byModelPeriod?: string;
  /** Models shown before the rest are summed into one line; default 5. */
  maxModels?: number;
}

/** Tooltip lines: this session, today, this month, per model, cache savings, estimates and unknown prices. */
export function tooltipLines(input: TooltipInput): string[] {
  const { session, today, month } = input;
  const lines = [totalsLine('This session', session), totalsLine('Today', today), totalsLine('This month', month)];
  if (input.byModel.length > 0) {
    const max = input.maxModels ?? 5;
    lines.push(`By model (${input.byModelPeriod ?? 'this month'}):`);
    for (const { model, totals } of input.byModel.slice(0, max)) {
      lines.push(`  ${model}: ${formatTokensShort(totals.tokensIn + totals.tokensOut)} tok · ${formatTotalCost(totals)}`);
    }
    const rest = input.byModel.length - max;
    if (rest > 0) lines.push(`  and ${plural(rest, 'other model')}`);
  }
  if (month.cacheHits > 0) {
    lines.push(`Response cache this month: ${plural(month.cacheHits, 'hit')}, saved ${formatUsd(month.savedUsd)}`);
  }
  if (month.estimatedRequests > 0) {
    lines.push(`Estimated this month: ${plural(month.estimatedRequests, 'request')} (stopped or failed replies, `
      + 'counted locally)');
  }
  if (month.unknownCostRequests > 0) {
    lines.push(`Price unknown this month: ${plural(month.unknownCostRequests, 'request')}, not in the cost`);
  }
  lines.push(`Prices: ${PRICE_SOURCE.url} (${PRICE_SOURCE.date}); add or fix them in tally.models`);
  return lines;
}

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

export function usageSnapshot(buckets: readonly UsageBucket[],
  input: { now: number; workspace?: string; session: UsageTotals }): UsageSnapshot {
  const { now, workspace } = input;
  const today = totalsOf(buckets, todayFilter(now));
  const month = totalsOf(buckets, monthFilter(now));
  const ws = (f: UsageFilter) => (workspace === undefined ? 0 : totalsOf(buckets, f).costUsd);
  return {
    session: { ...input.session }, today, month,
    todayByModel: totalsByModel(buckets, todayFilter(now)), monthByModel: totalsByModel(buckets, monthFilter(now)),
    spent: { globalToday: today.costUsd, globalMonth: month.costUsd,
      workspaceToday: ws(todayFilter(now, workspace)), workspaceMonth: ws(monthFilter(now, workspace)) },
  };
}
