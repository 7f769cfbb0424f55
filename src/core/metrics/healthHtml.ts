// The API health report page (pure: the same report gives the same HTML). A strict CSP: styles from the extension,
// one inline script allowed by its nonce, which only posts the picked period and model, and the export buttons, to
// the host. Every text is escaped. Native <select> and <button> controls (keyboard and screen readers work as
// everywhere), tables with captions and header scopes, and the chart's text alternative (its <desc> and a table).
// Ids for tests: #summary, #latency, #errors, #attempt-errors, #over-time, #slowest, #period, #model.
import { formatUsd } from '../../shared/format';
import { escapeXml as esc } from '../usage/usageChart';
import { overTimeChartSvg } from './healthChart';
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

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number | undefined) => (n === undefined ? '–' : `${int(n)} ms`);
const pct = (x: number | undefined) => (x === undefined ? '–' : `${(Math.round(x * 1000) / 10).toString()}%`);
const pad = (n: number) => String(n).padStart(2, '0');
const localTime = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
const th = (h: string) => `<th scope="col">${esc(h)}</th>`;
const td = (text: string, cls = 'num') => `<td class="${cls}">${esc(text)}</td>`;
const periodName = (d: number) => (d === 1 ? 'Today' : `Last ${d} days`);

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
  kinds.map((k) => [td(k.kind, 'kind'), td(int(k.count)), td(pct(of ? k.count / of : undefined))]);

function slowRow(r: RequestMetric): string[] {
  return [
    td(localTime(r.time), 'time'),
    td(r['gen_ai.request.model'], 'model'),
    td(originText(r), 'origin'),
    td(r['error.type'] ? `${r.outcome} (${r['error.type']})` : r.outcome, 'outcome'),
    td(ms(r.durationMs)),
    td(ms(r.ttftMs)),
    td(int(r.retries)),
    td(r['http.response.status_code'] !== undefined ? String(r['http.response.status_code']) : '–'),
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
    `<option value=""${model === undefined ? ' selected' : ''}>All models</option>`,
    ...[...new Set([...r.models, ...(model !== undefined ? [model] : [])])].map(
      (m) => `<option value="${esc(m)}"${m === model ? ' selected' : ''}>${esc(m)}</option>`,
    ),
  ].join('');
  const items: [string, string][] = [
    ['Requests', `${int(r.requests)} (${int(r.apiRequests)} to the API)`],
    ['Error rate', `${pct(r.errorRate)} (${int(r.errors)} of ${int(r.apiRequests)})`],
    ['Retries', `${int(r.retries)} (${int(r.requestsRetried)} request${r.requestsRetried === 1 ? '' : 's'} retried)`],
    ['Waiting before retries', `${ms(r.waitMs)} (rate limits: ${ms(r.rateLimitWaitMs)})`],
    ['Cache hit rate', `${pct(r.cacheHitRate)} (${int(r.cacheHits)} hit${r.cacheHits === 1 ? '' : 's'})`],
    ['Money saved by the cache', formatUsd(r.savedUsd)],
    ['Cost', formatUsd(r.costUsd)],
    ['Stopped by you', int(r.stopped)],
  ];
  const nonEmpty = r.overTime.filter((b) => b.ok + b.errors + b.cacheHits > 0);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp.replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.cssUris.map((u) => `<link rel="stylesheet" href="${esc(u)}">`).join('\n')}
<title>Tally API Health</title>
</head>
<body>
<main>
<h1>Tally API health</h1>
<div class="controls" role="group" aria-label="Period and model">
<label for="period">Period</label> <select id="period"${focus('period')}>${dayOptions}</select>
<label for="model">Model</label> <select id="model"${focus('model')}>${modelOptions}</select>
<button type="button" id="export-csv">Export CSV…</button>
<button type="button" id="export-json">Export JSON…</button>
</div>
<p class="period" id="period-text">${esc(periodName(page.days))}: ${esc(localTime(r.filter.fromMs))} to ${esc(localTime(r.filter.toMs))}, ${esc(model ?? 'all models')}, all windows.</p>
<section id="summary" aria-label="Summary"><dl>${items
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
    .join('')}</dl></section>
${r.requests === 0 ? '<p class="empty">No requests recorded in this period.</p>' : ''}
${table(
  'latency',
  'Latency, time to first token and output rate (API requests)',
  ['', 'p50', 'p95', 'p99', 'Requests'],
  [
    summaryRow('Latency', r.latencyMs, ms),
    summaryRow('Time to first token', r.ttftMs, ms),
    summaryRow('Output tokens/s', r.outputTokensPerS, (n) =>
      n === undefined ? '–' : (Math.round(n * 10) / 10).toString(),
    ),
  ],
  '',
)}
${table('errors', 'Failed requests by error kind', ['Kind', 'Requests', 'Share of API requests'], kindRows(r.errorsByKind, r.apiRequests), 'No failed requests.')}
${table('attempt-errors', 'Failed attempts that were retried, by kind', ['Kind', 'Attempts', 'Per API request'], kindRows(r.attemptErrorsByKind, r.apiRequests), 'No retried attempts.')}
<section id="over-time" aria-labelledby="over-time-h">
<h2 id="over-time-h">Requests over time</h2>
<p class="legend"><span class="key ok"></span> answered <span class="key err"></span> failed <span class="key hit"></span> from the cache</p>
${overTimeChartSvg(r.overTime)}
<details><summary>Requests over time as a table</summary>
${table(
  'over-time-table',
  'Requests per period',
  ['Period', 'Answered', 'Failed', 'From the cache'],
  nonEmpty.map((b) => [td(b.label, 'time'), td(int(b.ok)), td(int(b.errors)), td(int(b.cacheHits))]),
  'No requests.',
)}
</details>
</section>
${table('slowest', 'Slowest requests', ['Started', 'Model', 'Endpoint', 'Outcome', 'Latency', 'First token', 'Retries', 'Status'], r.slowest.map(slowRow), 'No API requests.')}
<footer>
<p>Latency runs from sending to the last token, retries and waits included; requests you stopped are left out.
Percentiles use the nearest-rank method. The error rate counts requests to the API (not cache hits) that failed or
were interrupted. Recorded by every Tally window on this machine; kept for <code>tally.metrics.retentionDays</code> days.
No message text is recorded.</p>
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
