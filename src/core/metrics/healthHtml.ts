// The API health report page (pure: the same report gives the same HTML). A strict CSP: styles from the extension,
// one inline script allowed by its nonce, which only posts the picked period and model, and the export buttons, to
// the host. Every text is escaped. Native <select> and <button> controls (keyboard and screen readers work as
// everywhere), tables with captions and header scopes, and the chart's text alternative (its <desc> and a table).
// Every text is in the display language (l10n.t; numbers, shares and times through healthFormat.ts), <html lang> too.
// Ids for tests: #summary, #latency, #errors, #attempt-errors, #over-time, #slowest, #period, #model.
import * as l10n from '@vscode/l10n';
import { formatUsd } from '../../shared/format';
import { escapeXml as esc } from '../usage/usageChart';
import { reportPageStart } from '../usage/reportPage';
import { errorKindText, outcomeText } from './outcomeText';
import { overTimeChartSvg } from './healthChart';
import {
  bucketText,
  formatCount as int,
  formatDecimal,
  formatMs as ms,
  formatPercent as pct,
  formatTime,
  NONE,
} from './healthFormat';
import type { HealthReport, KindCount } from './healthStats';
import type { PercentileSummary } from './percentiles';
import { originText, type RequestMetric } from './requestMetric';

export interface HealthPage {
  cspSource: string;
  /** Stylesheets, in order (the usage report's, then the health report's own). */
  cssUris: readonly string[];
  nonce: string;
  /** The period picked (days up to today) and the choices offered. */
  days: number;
  dayChoices: readonly number[];
  /** The control to focus after a re-render (the one just changed). */
  focus?: 'period' | 'model';
}

const th = (h: string) => `<th scope="col">${esc(h)}</th>`;
const td = (text: string, cls = 'num') => `<td class="${cls}">${esc(text)}</td>`;
const periodName = (d: number) => (d === 1 ? l10n.t('Today') : l10n.t('Last {0} days', int(d)));

function table(id: string, caption: string, heads: string[], rows: string[][], empty: string): string {
  const body = rows.length
    ? rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')
    : `<tr><td colspan="${heads.length}" class="empty">${esc(empty)}</td></tr>`;
  return `<table id="${id}"><caption>${esc(caption)}</caption><thead><tr>${heads.map(th).join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const summaryRow = (name: string, s: PercentileSummary, unit: (n: number | undefined) => string) => [
  `<th scope="row">${esc(name)}</th>`,
  td(unit(s.p50)),
  td(unit(s.p95)),
  td(unit(s.p99)),
  td(int(s.count)),
];
const kindRows = (kinds: KindCount[], of: number) =>
  kinds.map((k) => [
    `<td class="kind" title="${esc(k.kind)}">${esc(errorKindText(k.kind))}</td>`,
    td(int(k.count)),
    td(pct(of ? k.count / of : undefined)),
  ]);

function slowRow(r: RequestMetric): string[] {
  const outcome = outcomeText(r.outcome);
  return [
    td(formatTime(r.time), 'time'),
    td(r['gen_ai.request.model'], 'model'),
    td(originText(r), 'origin'),
    td(r['error.type'] ? l10n.t('{0} ({1})', outcome, errorKindText(r['error.type'])) : outcome, 'outcome'),
    td(ms(r.durationMs)),
    td(ms(r.ttftMs)),
    td(int(r.retries)),
    td(r['http.response.status_code'] !== undefined ? String(r['http.response.status_code']) : NONE),
  ];
}

export function healthHtml(report: HealthReport, page: HealthPage): string {
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource}`,
    `img-src ${page.cspSource} data:`,
    `script-src 'nonce-${page.nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const r = report;
  const model = r.filter.model;
  const focus = (id: string) => (page.focus === id ? ' autofocus' : '');
  const dayOptions = page.dayChoices
    .map((d) => `<option value="${d}"${d === page.days ? ' selected' : ''}>${esc(periodName(d))}</option>`)
    .join('');
  const modelOptions = [
    `<option value=""${model === undefined ? ' selected' : ''}>${esc(l10n.t('All models'))}</option>`,
    ...[...new Set([...r.models, ...(model !== undefined ? [model] : [])])].map(
      (m) => `<option value="${esc(m)}"${m === model ? ' selected' : ''}>${esc(m)}</option>`,
    ),
  ].join('');
  const hits = r.cacheHits === 1 ? l10n.t('1 hit') : l10n.t('{0} hits', int(r.cacheHits));
  const retried =
    r.requestsRetried === 1
      ? l10n.t('{0} (1 request retried)', int(r.retries))
      : l10n.t('{0} ({1} requests retried)', int(r.retries), int(r.requestsRetried));
  const items: [string, string][] = [
    [l10n.t('Requests'), l10n.t('{0} ({1} to the API)', int(r.requests), int(r.apiRequests))],
    [l10n.t('Error rate'), l10n.t('{0} ({1} of {2})', pct(r.errorRate), int(r.errors), int(r.apiRequests))],
    [l10n.t('Retries'), retried],
    [l10n.t('Waiting before retries'), l10n.t('{0} (rate limits: {1})', ms(r.waitMs), ms(r.rateLimitWaitMs))],
    [l10n.t('Cache hit rate'), l10n.t('{0} ({1})', pct(r.cacheHitRate), hits)],
    [l10n.t('Money saved by the cache'), formatUsd(r.savedUsd)],
    [l10n.t('Cost'), formatUsd(r.costUsd)],
    [l10n.t('Stopped by you'), int(r.stopped)],
  ];
  const nonEmpty = r.overTime.filter((b) => b.ok + b.errors + b.cacheHits > 0);
  const range = l10n.t('{0} to {1}', formatTime(r.filter.fromMs), formatTime(r.filter.toMs));
  const periodText =
    model === undefined
      ? l10n.t('{0}: {1}, all models, all windows.', periodName(page.days), range)
      : l10n.t('{0}: {1}, {2}, all windows.', periodName(page.days), range, model);
  const [answered, failed, fromCache] = [l10n.t('answered'), l10n.t('failed'), l10n.t('from the cache')];
  return `${reportPageStart({ csp, cssUris: page.cssUris, title: l10n.t('Tally API Health') })}
<main>
<h1>${esc(l10n.t('Tally API health'))}</h1>
<div class="controls" role="group" aria-label="${esc(l10n.t('Period and model'))}">
<label for="period">${esc(l10n.t('Period'))}</label> <select id="period"${focus('period')}>${dayOptions}</select>
<label for="model">${esc(l10n.t('Model'))}</label> <select id="model"${focus('model')}>${modelOptions}</select>
<button type="button" id="export-csv">${esc(l10n.t('Export CSV…'))}</button>
<button type="button" id="export-json">${esc(l10n.t('Export JSON…'))}</button>
</div>
<p class="period" id="period-text">${esc(periodText)}</p>
<section id="summary" aria-label="${esc(l10n.t('Summary'))}"><dl>${items
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
    .join('')}</dl></section>
${r.requests === 0 ? `<p class="empty">${esc(l10n.t('No requests recorded in this period.'))}</p>` : ''}
${table(
  'latency',
  l10n.t('Latency, time to first token and output rate (API requests)'),
  [l10n.t('Measure'), 'p50', 'p95', 'p99', l10n.t('Requests')],
  [
    summaryRow(l10n.t('Latency'), r.latencyMs, ms),
    summaryRow(l10n.t('Time to first token'), r.ttftMs, ms),
    summaryRow(l10n.t('Output tokens/s'), r.outputTokensPerS, formatDecimal),
  ],
  '',
)}
${table(
  'errors',
  l10n.t('Failed requests by error kind'),
  [l10n.t('Kind'), l10n.t('Requests'), l10n.t('Share of API requests')],
  kindRows(r.errorsByKind, r.apiRequests),
  l10n.t('No failed requests.'),
)}
${table(
  'attempt-errors',
  l10n.t('Failed attempts that were retried, by kind'),
  [l10n.t('Kind'), l10n.t('Attempts'), l10n.t('Per API request')],
  kindRows(r.attemptErrorsByKind, r.apiRequests),
  l10n.t('No retried attempts.'),
)}
<section id="over-time" aria-labelledby="over-time-h">
<h2 id="over-time-h">${esc(l10n.t('Requests over time'))}</h2>
<p class="legend" aria-hidden="true"><span class="key ok"></span> ${esc(answered)} <span class="key err"></span> ${esc(failed)} <span class="key hit"></span> ${esc(fromCache)}</p>
${overTimeChartSvg(r.overTime)}
<details><summary>${esc(l10n.t('Requests over time as a table'))}</summary>
${table(
  'over-time-table',
  l10n.t('Requests per period'),
  [l10n.t('Period'), l10n.t('Answered'), l10n.t('Failed'), l10n.t('From the cache')],
  nonEmpty.map((b) => [td(bucketText(b), 'time'), td(int(b.ok)), td(int(b.errors)), td(int(b.cacheHits))]),
  l10n.t('No requests.'),
)}
</details>
</section>
${table(
  'slowest',
  l10n.t('Slowest requests'),
  [
    l10n.t('Started'),
    l10n.t('Model'),
    l10n.t('Endpoint'),
    l10n.t('Outcome'),
    l10n.t('Latency'),
    l10n.t('First token'),
    l10n.t('Retries'),
    l10n.t('Status'),
  ],
  r.slowest.map(slowRow),
  l10n.t('No API requests.'),
)}
<footer>
<p>${esc(l10n.t('Latency runs from sending to the last token, retries and waits included; requests you stopped are left out.'))}
${esc(l10n.t('Percentiles use the nearest-rank method.'))}
${esc(l10n.t('The error rate counts requests to the API (not cache hits) that failed or were interrupted.'))}
${esc(l10n.t('Recorded by every Tally window on this machine; kept for {0} days.', 'tally.metrics.retentionDays')).replace('tally.metrics.retentionDays', '<code>tally.metrics.retentionDays</code>')}
${esc(l10n.t('No message text is recorded.'))}</p>
</footer>
</main>
<script nonce="${esc(page.nonce)}">
(() => {
  const vscode = acquireVsCodeApi();
  const period = document.getElementById('period');
  const model = document.getElementById('model');
  // After a re-render the control just changed keeps the focus (autofocus alone is not honoured in every webview).
  document.querySelector('[autofocus]')?.focus();
  const filter = (focus) => vscode.postMessage({ type: 'filter', days: Number(period.value), model: model.value, focus });
  period.addEventListener('change', () => filter('period'));
  model.addEventListener('change', () => filter('model'));
  document.getElementById('export-csv').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  document.getElementById('export-json').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
})();
</script>
</body>
</html>
`;
}
