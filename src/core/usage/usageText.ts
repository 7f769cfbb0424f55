// The usage texts of the status bar and its tooltip, the cost of a total (shown there and in the report), and counts
// and days as the report shows them. Every sentence goes through l10n.t (issue #15); the numbers themselves are
// formatted by src/shared/format.ts in the display language (totals in cents; a cost that is not known is shown as
// "price unknown", never as $0.00; a cost below a cent as "<$0.01", never rounded away).
import * as l10n from '@vscode/l10n';
import { dateFormat, formatTokens, formatTokensShort, formatUsd } from '../../shared/format';
import { PRICE_SOURCE } from '../tokens/models';
import type { UsageTotals } from './totals';

/** A count (requests, hits) grouped in the display language: `1,234`; the same formatter as whole token counts. */
export const formatCount = (n: number): string => formatTokens(Math.round(n));

/** A local day `YYYY-MM-DD` as the display language writes it (`Jun 15, 2025`, `2025年6月15日`); others as given. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return dateFormat('day', { dateStyle: 'medium' }).format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** `1 request` / `12 requests`. */
export const requestsText = (n: number): string =>
  n === 1 ? l10n.t('{0} request', formatCount(n)) : l10n.t('{0} requests', formatCount(n));

/** The cost of a total: `$0.23`; `≥$0.23` when some requests had an unknown price; `price unknown` when all did. */
export function formatTotalCost(
  t: Pick<UsageTotals, 'requests' | 'costUsd' | 'unknownCostRequests' | 'cacheHits'>,
): string {
  if (t.unknownCostRequests === 0) return formatUsd(t.costUsd);
  if (t.costUsd === 0 && t.unknownCostRequests === t.requests) return formatUsd(undefined);
  return l10n.t({
    message: '≥{0}',
    args: [formatUsd(t.costUsd)],
    comment: ['At least this cost: some requests had a model with no known price.'],
  });
}

/** `12.4k tok`: a short token count. */
export const tokShort = (n: number): string =>
  l10n.t({ message: '{0} tok', args: [formatTokensShort(n)], comment: ['A short token count, e.g. "12.4k tok".'] });

/** Status bar text, e.g. `12.4k tok · $0.23 today` (the host adds the icon). */
export function statusBarText(totals: UsageTotals): string {
  return l10n.t({
    message: '{0} tok · {1} today',
    args: [formatTokensShort(totals.tokensIn + totals.tokensOut), formatTotalCost(totals)],
    comment: ['Status bar: tokens (short, e.g. 12.4k) and cost used today.'],
  });
}

/** One tooltip line: `Today: 12.4k tok (10.1k in, 4.1k cached; 2.3k out) · $0.23 · 12 requests`. */
export function totalsLine(label: string, t: UsageTotals): string {
  const [all, tin, cached, out] = [t.tokensIn + t.tokensOut, t.tokensIn, t.cachedTokensIn, t.tokensOut].map(
    formatTokensShort,
  );
  return t.cachedTokensIn > 0
    ? l10n.t(
        '{0}: {1} tok ({2} in, {3} cached; {4} out) · {5} · {6}',
        label,
        all,
        tin,
        cached,
        out,
        formatTotalCost(t),
        requestsText(t.requests),
      )
    : l10n.t(
        '{0}: {1} tok ({2} in; {3} out) · {4} · {5}',
        label,
        all,
        tin,
        out,
        formatTotalCost(t),
        requestsText(t.requests),
      );
}

export interface TooltipInput {
  session: UsageTotals;
  today: UsageTotals;
  month: UsageTotals;
  /** Per model, this month. */
  byModel: readonly { model: string; totals: UsageTotals }[];
  /** Models shown before the rest are summed into one line; default 5. */
  maxModels?: number;
}

/** Tooltip lines: this session, today, this month, per model, cache savings, estimates and unknown prices. */
export function tooltipLines(input: TooltipInput): string[] {
  const { session, today, month } = input;
  const lines = [
    totalsLine(l10n.t('This session'), session),
    totalsLine(l10n.t('Today'), today),
    totalsLine(l10n.t('This month'), month),
  ];
  if (input.byModel.length > 0) {
    const max = input.maxModels ?? 5;
    lines.push(l10n.t('By model (this month):'));
    for (const { model, totals } of input.byModel.slice(0, max)) {
      lines.push(
        `  ${l10n.t('{0}: {1} · {2}', model, tokShort(totals.tokensIn + totals.tokensOut), formatTotalCost(totals))}`,
      );
    }
    const rest = input.byModel.length - max;
    if (rest > 0) {
      lines.push(`  ${rest === 1 ? l10n.t('and 1 other model') : l10n.t('and {0} other models', formatCount(rest))}`);
    }
  }
  if (month.cacheHits > 0) {
    const saved = formatUsd(month.savedUsd);
    lines.push(
      month.cacheHits === 1
        ? l10n.t('Response cache this month: 1 hit, saved {0}', saved)
        : l10n.t('Response cache this month: {0} hits, saved {1}', formatCount(month.cacheHits), saved),
    );
  }
  if (month.estimatedRequests > 0) {
    lines.push(
      l10n.t(
        'Estimated this month: {0} (stopped or failed replies, counted locally)',
        requestsText(month.estimatedRequests),
      ),
    );
  }
  if (month.unknownCostRequests > 0) {
    lines.push(l10n.t('Price unknown this month: {0}, not in the cost', requestsText(month.unknownCostRequests)));
  }
  lines.push(l10n.t('Prices: {0} ({1}); add or fix them in {2}', PRICE_SOURCE.url, PRICE_SOURCE.date, 'tally.models'));
  return lines;
}
