// The usage texts of the status bar and its tooltip, and the cost of a total (shown there and in the report). The
// numbers themselves are formatted by src/shared/format.ts (totals in cents; a cost that is not known is shown as
// "price unknown", never as $0.00; a cost below a cent as "<$0.01", never rounded away).
import { formatTokensShort, formatUsd } from '../../shared/format';
import { PRICE_SOURCE } from '../tokens/models';
import type { UsageTotals } from './totals';

/** The cost of a total: `$0.23`; `≥$0.23` when some requests had an unknown price; `price unknown` when all did. */
export function formatTotalCost(
  t: Pick<UsageTotals, 'requests' | 'costUsd' | 'unknownCostRequests' | 'cacheHits'>,
): string {
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
  return (
    `${label}: ${formatTokensShort(t.tokensIn + t.tokensOut)} tok (${formatTokensShort(t.tokensIn)} in${cached}; ` +
    `${formatTokensShort(t.tokensOut)} out) · ${formatTotalCost(t)} · ${plural(t.requests, 'request')}`
  );
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
      lines.push(
        `  ${model}: ${formatTokensShort(totals.tokensIn + totals.tokensOut)} tok · ${formatTotalCost(totals)}`,
      );
    }
    const rest = input.byModel.length - max;
    if (rest > 0) lines.push(`  and ${plural(rest, 'other model')}`);
  }
  if (month.cacheHits > 0) {
    lines.push(`Response cache this month: ${plural(month.cacheHits, 'hit')}, saved ${formatUsd(month.savedUsd)}`);
  }
  if (month.estimatedRequests > 0) {
    lines.push(
      `Estimated this month: ${plural(month.estimatedRequests, 'request')} (stopped or failed replies, ` +
        'counted locally)',
    );
  }
  if (month.unknownCostRequests > 0) {
    lines.push(`Price unknown this month: ${plural(month.unknownCostRequests, 'request')}, not in the cost`);
  }
  lines.push(`Prices: ${PRICE_SOURCE.url} (${PRICE_SOURCE.date}); add or fix them in tally.models`);
  return lines;
}
