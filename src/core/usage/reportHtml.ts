// The usage report's page (pure: the same data gives the same HTML; no scripts, so no nonce, and every text escaped):
// totals, the per-day cost chart, a filter by surface (links to `command:tally.filterUsageReport`, the only command
// besides the CSV export that the page may run), and the per-surface, per-model and per-day tables.
// Ids for tests: `#surface-filter a` (aria-current on the chosen one), `#per-surface tbody tr`, `#per-model tbody tr`
// (first cell: the model id), `#per-day tbody tr`, `#totals`, `#usage-chart svg`.
import { PRICE_SOURCE } from '../tokens/models';
import type { ReportData } from './report';
import { surfaceLabel, USAGE_SURFACES, type UsageSurface } from './surfaces';
import type { UsageTotals } from './totals';
import { barChartSvg, escapeXml } from './usageChart';
import { formatTotalCost } from './usageText';
import { formatUsd } from '../../shared/format';

export const EXPORT_COMMAND = 'tally.exportUsageCsv';
export const FILTER_COMMAND = 'tally.filterUsageReport';

const esc = escapeXml;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The report page for `data` (limited to `data.surface` when set). */
export function reportHtml(data: ReportData, page: { cspSource: string; cssUri: string }): string {
  const csp = `default-src 'none'; style-src ${page.cspSource}; img-src ${page.cspSource} data:`;
  const t = data.total;
  const empty = t.requests === 0;
  const modelRows = data.perModel.map(({ model, totals }) =>
    row([
      cell(model, 'model'),
      num(totals.requests),
      num(totals.tokensIn),
      num(totals.cachedTokensIn),
      num(totals.tokensOut),
      cell(formatTotalCost(totals), 'cost'),
      cell(formatUsd(totals.savedUsd), 'saved'),
      num(totals.estimatedRequests),
    ]),
  );
  const dayRows = data.perDay
    .filter((d) => d.totals.requests > 0)
    .reverse()
    .map(({ day, totals }) =>
      row([
        cell(day, 'day'),
        num(totals.requests),
        num(totals.tokensIn),
        num(totals.tokensOut),
        cell(formatTotalCost(totals), 'cost'),
        cell(formatUsd(totals.savedUsd), 'saved'),
      ]),
    );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp.replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(page.cssUri)}">
<title>Tally Usage</title>
</head>
<body>
<main>
<h1>Tally usage</h1>
<p class="period">Last ${data.perDay.length} days: ${esc(data.fromDay)} to ${esc(data.toDay)}, all workspaces, ${esc(
    data.surface ? `${surfaceLabel(data.surface)} only` : 'all surfaces',
  )}.</p>
${surfaceFilter(data.surface)}
${totalsSection(t)}
<section id="usage-chart" aria-label="Cost per day">
<h2>Cost per day</h2>
${barChartSvg(data.perDay, { metric: 'cost', width: 720, height: 220, idPrefix: 'usage-chart' })}
</section>
${empty ? '<p class="empty">No usage recorded in this period.</p>' : ''}
${perSurfaceSection(data)}
<section aria-labelledby="per-model-title">
<h2 id="per-model-title">Per model</h2>
<table id="per-model">
<thead>${row(
    ['Model', 'Requests', 'Tokens in', 'Cached in', 'Tokens out', 'Cost', 'Cache savings', 'Estimated'].map(
      (h) => `<th scope="col">${esc(h)}</th>`,
    ),
  )}</thead>
<tbody>
${modelRows.join('\n')}
</tbody>
</table>
</section>
<section aria-labelledby="per-day-title">
<h2 id="per-day-title">Per day</h2>
<table id="per-day">
<thead>${row(['Date', 'Requests', 'Tokens in', 'Tokens out', 'Cost', 'Cache savings'].map((h) => `<th scope="col">${esc(h)}</th>`))}</thead>
<tbody>
${dayRows.join('\n')}
</tbody>
</table>
</section>
<footer>
<p>Surfaces: the Tally panel, its code actions, VS Code's Chat view (Ask and @tally), and Agent mode.</p>
<p>Estimated: replies that were stopped or failed before the API reported usage, counted with the local tokenizer.
A cost shown as ≥ leaves out requests whose model has no known price.</p>
<p>Prices: <a href="${esc(PRICE_SOURCE.url)}">${esc(PRICE_SOURCE.url)}</a> as of ${esc(PRICE_SOURCE.date)};
add or correct them in the <code>tally.models</code> setting.</p>
<p><a href="command:${EXPORT_COMMAND}">Export as CSV</a> (also in the Command Palette: <em>Tally: Export Usage as CSV</em>).</p>
</footer>
</main>
</body>
</html>
`;
}

function totalsSection(t: UsageTotals): string {
  const items: [string, string][] = [
    ['Cost', formatTotalCost(t)],
    ['Requests', int(t.requests)],
    ['Tokens in', `${int(t.tokensIn)}${t.cachedTokensIn > 0 ? ` (${int(t.cachedTokensIn)} cached)` : ''}`],
    ['Tokens out', int(t.tokensOut)],
    ['Cache savings', `${formatUsd(t.savedUsd)} (${int(t.cacheHits)} hit${t.cacheHits === 1 ? '' : 's'})`],
    ['Estimated requests', int(t.estimatedRequests)],
  ];
  if (t.unknownCostRequests > 0) {
    items.push(['Price unknown', `${int(t.unknownCostRequests)} request${t.unknownCostRequests === 1 ? '' : 's'}`]);
  }
  return `<section id="totals" aria-label="Totals"><dl>${items
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
    .join('')}</dl></section>`;
}

const row = (cells: string[]) => `<tr>${cells.join('')}</tr>`;
const cell = (text: string, cls: string) => `<td class="${cls}">${esc(text)}</td>`;
const num = (n: number) => `<td class="num">${esc(int(n))}</td>`;

/** The surface filter: one link per choice (keyboard: Tab and Enter), the chosen one marked with aria-current. */
function surfaceFilter(chosen: UsageSurface | undefined): string {
  const choices: [UsageSurface | 'all', string][] = [
    ['all', 'All surfaces'],
    ...USAGE_SURFACES.map((s): [UsageSurface, string] => [s, surfaceLabel(s)]),
  ];
  const links = choices.map(([value, label]) => {
    const href = `command:${FILTER_COMMAND}?${encodeURIComponent(JSON.stringify([value]))}`;
    const current = (chosen ?? 'all') === value ? ' aria-current="true"' : '';
    return `<li><a href="${esc(href)}"${current}>${esc(label)}</a></li>`;
  });
  return `<nav id="surface-filter" aria-label="Show usage of"><ul>${links.join('')}</ul></nav>`;
}

/** Every surface's totals over the whole period (what each filter would show), the chosen one marked. */
function perSurfaceSection(data: ReportData): string {
  const rows = data.perSurface.map(
    ({ surface, totals }) =>
      (surface === data.surface ? '<tr class="chosen" aria-current="true">' : '<tr>') +
      [
        cell(surfaceLabel(surface), 'surface'),
        num(totals.requests),
        num(totals.tokensIn),
        num(totals.tokensOut),
        cell(formatTotalCost(totals), 'cost'),
        cell(formatUsd(totals.savedUsd), 'saved'),
      ].join('') +
      '</tr>',
  );
  return `<section aria-labelledby="per-surface-title">
<h2 id="per-surface-title">Per surface</h2>
<table id="per-surface">
<thead>${row(['Surface', 'Requests', 'Tokens in', 'Tokens out', 'Cost', 'Cache savings'].map((h) => `<th scope="col">${esc(h)}</th>`))}</thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}
