// The usage report's page (pure: the same data gives the same HTML; no scripts, so no nonce, and every text escaped):
// totals, the per-day cost chart, a filter by surface (links to `command:tally.filterUsageReport`, the only command
// besides the CSV export that the page may run), and the per-surface, per-model and per-day tables. Every text is in
// the display language (l10n.t; numbers, money and days through Intl with displayLocale(), `<html lang>` from it).
// Accessibility: one <main>, h1 then h2s, tables with <caption> and <th scope>, the chart's text alternative is its
// <desc> and the per-day table; every control is a link (Tab, Enter) with a visible focus ring (report.css).
// Ids for tests: `#surface-filter a` (aria-current on the chosen one), `#per-surface tbody tr`, `#per-model tbody tr`
// (first cell: the model id), `#per-day tbody tr`, `#totals`, `#usage-chart svg`, `#export-csv`.
import * as l10n from '@vscode/l10n';
import { formatUsd } from '../../shared/format';
import { PRICE_SOURCE } from '../tokens/models';
import type { ReportData } from './report';
import { reportPageStart } from './reportPage';
import { surfaceLabel, USAGE_SURFACES, type UsageSurface } from './surfaces';
import type { UsageTotals } from './totals';
import { barChartSvg, escapeXml as esc } from './usageChart';
import { formatCount as int, formatDay, formatTotalCost, requestsText } from './usageText';

export const EXPORT_COMMAND = 'tally.exportUsageCsv';
export const FILTER_COMMAND = 'tally.filterUsageReport';

/** The report page for `data` (limited to `data.surface` when set). */
export function reportHtml(data: ReportData, page: { cspSource: string; cssUri: string }): string {
  const csp = `default-src 'none'; style-src ${page.cspSource}; img-src ${page.cspSource} data:`;
  const t = data.total;
  const [from, to, days] = [formatDay(data.fromDay), formatDay(data.toDay), int(data.perDay.length)];
  const period = data.surface
    ? l10n.t('Last {0} days: {1} to {2}, all workspaces, {3} only.', days, from, to, surfaceLabel(data.surface))
    : l10n.t('Last {0} days: {1} to {2}, all workspaces, all surfaces.', days, from, to);
  const modelRows = data.perModel.map(({ model, totals }) => [
    cell(model, 'model'),
    num(totals.requests),
    num(totals.tokensIn),
    num(totals.cachedTokensIn),
    num(totals.tokensOut),
    cell(formatTotalCost(totals), 'cost'),
    cell(formatUsd(totals.savedUsd), 'saved'),
    num(totals.estimatedRequests),
  ]);
  const dayRows = data.perDay
    .filter((d) => d.totals.requests > 0)
    .reverse()
    .map(({ day, totals }) => [cell(formatDay(day), 'day'), ...common(totals)]);
  const surfaceRows = data.perSurface.map(({ surface, totals }) => ({
    chosen: surface === data.surface,
    cells: [cell(surfaceLabel(surface), 'surface'), ...common(totals)],
  }));
  const noUsage = l10n.t('No usage recorded in this period.');
  const [requests, tokensIn, tokensOut, cost, savings] = [
    l10n.t('Requests'),
    l10n.t('Tokens in'),
    l10n.t('Tokens out'),
    l10n.t('Cost'),
    l10n.t('Cache savings'),
  ];
  return `${reportPageStart({ csp, cssUris: [page.cssUri], title: l10n.t('Tally Usage') })}
<main>
<h1>${esc(l10n.t('Tally usage'))}</h1>
<p class="period">${esc(period)}</p>
${surfaceFilter(data.surface)}
${totalsSection(t)}
<section id="usage-chart" aria-labelledby="usage-chart-h">
<h2 id="usage-chart-h">${esc(l10n.t('Cost per day'))}</h2>
${barChartSvg(data.perDay, { metric: 'cost', width: 720, height: 220, idPrefix: 'usage-chart' })}
<p class="note">${esc(l10n.t('The same figures are in the table Per day below.'))}</p>
</section>
${t.requests === 0 ? `<p class="empty">${esc(noUsage)}</p>` : ''}
<section aria-labelledby="per-surface-title">
<h2 id="per-surface-title">${esc(l10n.t('Per surface'))}</h2>
${table(
  'per-surface',
  l10n.t('Usage per surface, {0} to {1} (what each filter shows)', from, to),
  [l10n.t('Surface'), requests, tokensIn, tokensOut, cost, savings],
  surfaceRows,
  noUsage,
)}
</section>
<section aria-labelledby="per-model-title">
<h2 id="per-model-title">${esc(l10n.t('Per model'))}</h2>
${table(
  'per-model',
  l10n.t('Usage per model, {0} to {1}, most expensive first', from, to),
  [l10n.t('Model'), requests, tokensIn, l10n.t('Cached in'), tokensOut, cost, savings, l10n.t('Estimated')],
  modelRows.map((cells) => ({ cells })),
  noUsage,
)}
</section>
<section aria-labelledby="per-day-title">
<h2 id="per-day-title">${esc(l10n.t('Per day'))}</h2>
${table(
  'per-day',
  l10n.t('Usage per day with requests, newest first'),
  [l10n.t('Date'), requests, tokensIn, tokensOut, cost, savings],
  dayRows.map((cells) => ({ cells })),
  noUsage,
)}
</section>
<footer>
<p>${esc(l10n.t("Surfaces: the Tally panel, its code actions, VS Code's Chat view (Ask and @tally), and Agent mode."))}</p>
<p>${esc(l10n.t('Estimated: replies that were stopped or failed before the API reported usage, counted with the local tokenizer.'))}
${esc(l10n.t('A cost shown as ≥ leaves out requests whose model has no known price.'))}</p>
<p>${withHtml(l10n.t('Prices: {0} as of {1}; add or correct them in the {2} setting.', slot(0), slot(1), slot(2)), [
    `<a href="${esc(PRICE_SOURCE.url)}">${esc(PRICE_SOURCE.url)}</a>`,
    esc(formatDay(PRICE_SOURCE.date)),
    '<code>tally.models</code>',
  ])}</p>
<p>${withHtml(l10n.t('{0} (also in the Command Palette: {1}).', slot(0), slot(1)), [
    `<a id="export-csv" href="command:${EXPORT_COMMAND}">${esc(l10n.t('Export as CSV'))}</a>`,
    `<em>${esc(l10n.t('Tally: Export Usage as CSV'))}</em>`,
  ])}</p>
</footer>
</main>
</body>
</html>
`;
}

/** Requests, tokens in and out, cost and savings: the cells the per-surface and per-day tables share. */
const common = (totals: UsageTotals) => [
  num(totals.requests),
  num(totals.tokensIn),
  num(totals.tokensOut),
  cell(formatTotalCost(totals), 'cost'),
  cell(formatUsd(totals.savedUsd), 'saved'),
];

function totalsSection(t: UsageTotals): string {
  const tokensIn =
    t.cachedTokensIn > 0 ? l10n.t('{0} ({1} cached)', int(t.tokensIn), int(t.cachedTokensIn)) : int(t.tokensIn);
  const hits = t.cacheHits === 1 ? l10n.t('1 hit') : l10n.t('{0} hits', int(t.cacheHits));
  const items: [string, string][] = [
    [l10n.t('Cost'), formatTotalCost(t)],
    [l10n.t('Requests'), int(t.requests)],
    [l10n.t('Tokens in'), tokensIn],
    [l10n.t('Tokens out'), int(t.tokensOut)],
    [l10n.t('Cache savings'), l10n.t('{0} ({1})', formatUsd(t.savedUsd), hits)],
    [l10n.t('Estimated requests'), int(t.estimatedRequests)],
  ];
  if (t.unknownCostRequests > 0) items.push([l10n.t('Price unknown'), requestsText(t.unknownCostRequests)]);
  return `<section id="totals" aria-label="${esc(l10n.t('Totals'))}"><dl>${items
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
    .join('')}</dl></section>`;
}

/** A placeholder for markup in a translated sentence (private-use characters: no translation or text holds them). */
const slot = (i: number) => `\uE000${i}\uE001`;
/** The sentence escaped, then its slots replaced by markup (so a translation can never inject markup). */
const withHtml = (text: string, parts: readonly string[]) =>
  esc(text).replace(/\uE000(\d+)\uE001/g, (_, i: string) => parts[Number(i)] ?? '');

const cell = (text: string, cls: string) => `<td class="${cls}">${esc(text)}</td>`;
const num = (n: number) => `<td class="num">${esc(int(n))}</td>`;

function table(
  id: string,
  caption: string,
  heads: string[],
  rows: { cells: string[]; chosen?: boolean }[],
  empty: string,
): string {
  const body = rows.length
    ? rows
        .map((r) => `${r.chosen ? '<tr class="chosen" aria-current="true">' : '<tr>'}${r.cells.join('')}</tr>`)
        .join('\n')
    : `<tr><td colspan="${heads.length}" class="empty">${esc(empty)}</td></tr>`;
  return `<table id="${id}">
<caption>${esc(caption)}</caption>
<thead><tr>${heads.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

/** The surface filter: one link per choice (keyboard: Tab and Enter), the chosen one marked with aria-current. */
function surfaceFilter(chosen: UsageSurface | undefined): string {
  const choices: [UsageSurface | 'all', string][] = [
    ['all', l10n.t('All surfaces')],
    ...USAGE_SURFACES.map((s): [UsageSurface, string] => [s, surfaceLabel(s)]),
  ];
  const links = choices.map(([value, label]) => {
    const href = `command:${FILTER_COMMAND}?${encodeURIComponent(JSON.stringify([value]))}`;
    const current = (chosen ?? 'all') === value ? ' aria-current="true"' : '';
    return `<li><a href="${esc(href)}"${current}>${esc(label)}</a></li>`;
  });
  return `<nav id="surface-filter" aria-label="${esc(l10n.t('Show usage of'))}"><ul>${links.join('')}</ul></nav>`;
}
