// The usage report: a static page (no scripts; strict CSP) rendered on the host from the ledger: totals of the last
// 30 days, a per-day cost chart (inline SVG), per-model and per-day tables, and where the prices come from. Every
// text is escaped. The only link that acts is `command:tally.exportUsageCsv` (command URIs are enabled for that
// command alone); the same export is in the Command Palette. Ids for tests: `#usage-chart svg`,
// `#per-model tbody tr` (first cell: the model id), `#per-day tbody tr`, `#totals`.
import * as vscode from 'vscode';
import { PRICE_SOURCE } from '../core/tokens/models';
import { dayKey } from '../core/usage/periods';
import type { UsageTotals } from '../core/usage/totals';
import type { UsageLedger } from '../core/usage/ledger';
import { reportData, type ReportData } from '../core/usage/report';
import { barChartSvg, escapeXml } from '../core/usage/usageChart';
import { toCsv } from '../core/usage/usageCsv';
import { formatTotalCost } from '../core/usage/usageText';
import { formatUsd } from '../shared/format';

export const REPORT_DAYS = 30;
const EXPORT_COMMAND = 'tally.exportUsageCsv';
const RERENDER_MS = 1000;

export interface UsageReportDeps {
  extensionUri: vscode.Uri;
  ledger: UsageLedger;
  now(): number;
  /** Fires when this window recorded a request (the open report re-renders, at most once a second). */
  onDidChange(listener: () => void): { dispose(): void };
}

export class UsageReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: { dispose(): void }[] = [];
  private rerender: NodeJS.Timeout | undefined;
  /** The HTML shown now (for tests); undefined when the report is closed. */
  html: string | undefined;

  constructor(private readonly deps: UsageReportDeps) {}

  /** Opens the report (or brings it to the front) with fresh totals. */
  async show(): Promise<void> {
    await this.deps.ledger.refresh();
    if (this.panel) {
      this.render();
      this.panel.reveal();
      return;
    }
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel('tally.usageReport', 'Tally Usage', vscode.ViewColumn.Active, {
      enableScripts: false,
      enableCommandUris: [EXPORT_COMMAND],
      localResourceRoots: [media],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'tally.svg');
    this.panel = panel;
    this.panelSubscriptions = [
      panel.onDidDispose(() => this.closed()),
      this.deps.onDidChange(() => this.scheduleRender()),
    ];
    this.render();
  }

  /** Writes all stored usage (per day and model) as CSV; asks where unless `target` is given. */
  async exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    await this.deps.ledger.refresh();
    const now = this.deps.now();
    const buckets = this.deps.ledger.buckets();
    const first = buckets[0]?.day;
    const days = first === undefined ? 1 : Math.ceil((now - localMidnight(first)) / 86_400_000) + 1;
    const rows = reportData(buckets, { now, days }).rows;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Tally usage as CSV',
        saveLabel: 'Export',
        defaultUri: defaultExportUri(`tally-usage-${dayKey(now)}.csv`),
        filters: { 'CSV files': ['csv'] },
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(toCsv(rows), 'utf8'));
    if (!target) {
      const open = await vscode.window.showInformationMessage(
        `Exported ${rows.length} row${rows.length === 1 ? '' : 's'} of usage to ${uri.fsPath}.`,
        'Open',
      );
      if (open) await vscode.window.showTextDocument(uri);
    }
    return uri;
  }

  private scheduleRender(): void {
    if (this.rerender || !this.panel) return;
    this.rerender = setTimeout(() => {
      this.rerender = undefined;
      this.render();
    }, RERENDER_MS);
  }

  private render(): void {
    if (!this.panel) return;
    const webview = this.panel.webview;
    const data = reportData(this.deps.ledger.buckets(), { now: this.deps.now(), days: REPORT_DAYS });
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'report.css')).toString();
    this.html = reportHtml(data, { cspSource: webview.cspSource, cssUri: css });
    webview.html = this.html;
  }

  private closed(): void {
    for (const s of this.panelSubscriptions) s.dispose();
    this.panelSubscriptions = [];
    if (this.rerender) clearTimeout(this.rerender);
    this.rerender = undefined;
    this.panel = undefined;
    this.html = undefined;
  }

  dispose(): void {
    const panel = this.panel;
    this.closed();
    panel?.dispose();
  }
}

const esc = escapeXml;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The report page (pure: the same data gives the same HTML). No scripts, so no nonce. */
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
<p class="period">Last ${data.perDay.length} days: ${esc(data.fromDay)} to ${esc(data.toDay)}, all workspaces.</p>
${totalsSection(t)}
<section id="usage-chart" aria-label="Cost per day">
<h2>Cost per day</h2>
${barChartSvg(data.perDay, { metric: 'cost', width: 720, height: 220, idPrefix: 'usage-chart' })}
</section>
${empty ? '<p class="empty">No usage recorded in this period.</p>' : ''}
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

/** Epoch ms of local midnight of a `YYYY-MM-DD` day. */
function localMidnight(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).getTime();
}

function defaultExportUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}
