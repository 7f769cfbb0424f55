// The usage report: a static page (no scripts; strict CSP) rendered on the host from the ledger (the page itself is
// core/usage/reportHtml.ts): totals of the last 30 days, optionally of one surface. The only links that act are
// `command:tally.exportUsageCsv` and `command:tally.filterUsageReport` (command URIs are enabled for those two
// alone); the export is also in the Command Palette. The filter lasts while the report is open. Titles, dialogs and
// messages are in the display language (l10n.t); the CSV keeps English column names (data, see usageCsv.ts).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { dayKey } from '../core/usage/periods';
import type { UsageLedger } from '../core/usage/ledger';
import { reportData } from '../core/usage/report';
import type { UsageSurface } from '../core/usage/surfaces';
import { toCsv } from '../core/usage/usageCsv';
import { formatCount } from '../core/usage/usageText';
import { EXPORT_COMMAND, FILTER_COMMAND, reportHtml } from '../core/usage/reportHtml';

export const REPORT_DAYS = 30;
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
  /** The surface the report is limited to (the page's filter); undefined: all. */
  surface: UsageSurface | undefined;

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
    const panel = vscode.window.createWebviewPanel(
      'tally.usageReport',
      l10n.t('Tally Usage'),
      vscode.ViewColumn.Active,
      {
        enableScripts: false,
        enableCommandUris: [EXPORT_COMMAND, FILTER_COMMAND],
        localResourceRoots: [media],
      },
    );
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
        title: l10n.t('Export Tally usage as CSV'),
        saveLabel: l10n.t('Export'),
        defaultUri: defaultExportUri(`tally-usage-${dayKey(now)}.csv`),
        filters: { [l10n.t('CSV files')]: ['csv'] },
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(toCsv(rows), 'utf8'));
    if (!target) {
      const openLabel = l10n.t('Open');
      const open = await vscode.window.showInformationMessage(
        rows.length === 1
          ? l10n.t('Exported 1 row of usage to {0}.', uri.fsPath)
          : l10n.t('Exported {0} rows of usage to {1}.', formatCount(rows.length), uri.fsPath),
        openLabel,
      );
      if (open) await vscode.window.showTextDocument(uri);
    }
    return uri;
  }

  /** Limits the open report to one surface (undefined: all) and re-renders it; the CSV still exports everything. */
  filter(surface: UsageSurface | undefined): void {
    this.surface = surface;
    this.render();
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
    const data = reportData(this.deps.ledger.buckets(), {
      now: this.deps.now(),
      days: REPORT_DAYS,
      ...(this.surface ? { surface: this.surface } : {}),
    });
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
    this.surface = undefined;
  }

  dispose(): void {
    const panel = this.panel;
    this.closed();
    panel?.dispose();
  }
}

/** Epoch ms of local midnight of a `YYYY-MM-DD` day. */
function localMidnight(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).getTime();
}

function defaultExportUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}
