// The API health report (Tally: Show API Health): a webview tab rendered on the host from the metrics store for a
// chosen period and model (core/metrics/healthHtml.ts draws it). Its one script, allowed by a per-render nonce, only
// posts the period and model picked and the export buttons; every message is checked here before it is used. The
// open report re-renders (at most once a second) when this window records a request. Exports ask where to write.
// Titles, dialogs and messages are in the display language (l10n.t); the exports' field names stay English (data).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { healthCsv, healthJson } from '../core/metrics/healthExport';
import { healthHtml } from '../core/metrics/healthHtml';
import { healthReport, type HealthReport } from '../core/metrics/healthStats';
import type { MetricsStore } from '../core/metrics/metricsStore';
import type { RequestMetric } from '../core/metrics/requestMetric';
import { dayKey } from '../core/usage/periods';
import { formatCount } from '../core/usage/usageText';
import { newNonce } from './webviewHtml';

export const DEFAULT_HEALTH_DAYS = 7;
const DAY_CHOICES = [1, 7, 30, 90];
const RERENDER_MS = 1000;

export interface HealthReportDeps {
  extensionUri: vscode.Uri;
  store: MetricsStore;
  now(): number;
  retentionDays(): number;
}

export interface HealthView {
  days: number;
  model?: string;
}

/** The periods offered: the usual ones within the retention, and the retention itself. */
export function dayChoices(retentionDays: number): number[] {
  return [...new Set([...DAY_CHOICES.filter((d) => d < retentionDays), retentionDays])].sort((a, b) => a - b);
}

export class HealthReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private rerender: NodeJS.Timeout | undefined;
  private view: HealthView = { days: DEFAULT_HEALTH_DAYS };
  /** The HTML shown now and the figures it shows (for tests); undefined when the report is closed. */
  html: string | undefined;
  shown: HealthReport | undefined;

  constructor(private readonly deps: HealthReportDeps) {}

  /** Opens the report (or brings it to the front) for `view` (default: the last one, first the last 7 days). */
  async show(view?: HealthView): Promise<void> {
    if (view) this.view = this.checked(view);
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
      const panel = vscode.window.createWebviewPanel(
        'tally.apiHealth',
        l10n.t('Tally API Health'),
        vscode.ViewColumn.Active,
        {
          enableScripts: true,
          localResourceRoots: [media],
        },
      );
      panel.iconPath = vscode.Uri.joinPath(media, 'tally.svg');
      this.panel = panel;
      this.subscriptions = [
        panel.onDidDispose(() => this.closed()),
        panel.webview.onDidReceiveMessage((m: unknown) => void this.received(m)),
      ];
    } else this.panel.reveal();
    await this.render();
  }

  /** A request was recorded: the open report re-renders, at most once a second. */
  recorded(): void {
    if (this.rerender || !this.panel) return;
    this.rerender = setTimeout(() => {
      this.rerender = undefined;
      void this.render();
    }, RERENDER_MS);
  }

  /** The figures and records of `view` (default: the one shown). */
  async data(view: HealthView = this.view): Promise<{ report: HealthReport; records: RequestMetric[] }> {
    const { days, model } = this.checked(view);
    const now = this.deps.now();
    const d = new Date(now);
    const fromMs = new Date(d.getFullYear(), d.getMonth(), d.getDate() - (days - 1)).getTime();
    const all = await this.deps.store.records(fromMs, now);
    const report = healthReport(all, { fromMs, toMs: now, ...(model !== undefined ? { model } : {}) });
    const records = model === undefined ? all : all.filter((r) => r['gen_ai.request.model'] === model);
    return { report, records };
  }

  /** Writes the shown period's records as CSV or JSON; asks where unless `target` is given. */
  async export(format: 'csv' | 'json', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const { report, records } = await this.data();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const name = `tally-api-health-${dayKey(this.deps.now())}.${format}`;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: format === 'csv' ? l10n.t('Export Tally API health as CSV') : l10n.t('Export Tally API health as JSON'),
        saveLabel: l10n.t('Export'),
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder.uri, name) } : {}),
        filters: format === 'csv' ? { [l10n.t('CSV files')]: ['csv'] } : { [l10n.t('JSON files')]: ['json'] },
      }));
    if (!uri) return undefined;
    const text = format === 'csv' ? healthCsv(records) : healthJson(report, records);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    if (!target)
      void vscode.window.showInformationMessage(
        records.length === 1
          ? l10n.t('Exported 1 request to {0}.', uri.fsPath)
          : l10n.t('Exported {0} requests to {1}.', formatCount(records.length), uri.fsPath),
      );
    return uri;
  }

  private checked(view: HealthView): HealthView {
    const choices = dayChoices(this.deps.retentionDays());
    const days = choices.includes(view.days) ? view.days : Math.min(DEFAULT_HEALTH_DAYS, choices[choices.length - 1]);
    const model = typeof view.model === 'string' && view.model !== '' ? view.model.slice(0, 128) : undefined;
    return { days, ...(model !== undefined ? { model } : {}) };
  }

  /** A message from the report's script; anything unexpected is ignored. */
  private async received(m: unknown): Promise<void> {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as Record<string, unknown>;
    if (
      msg.type === 'filter' &&
      typeof msg.days === 'number' &&
      (msg.model === undefined || typeof msg.model === 'string')
    ) {
      this.view = this.checked({ days: msg.days, ...(typeof msg.model === 'string' ? { model: msg.model } : {}) });
      await this.render(msg.focus === 'model' ? 'model' : 'period');
    } else if (msg.type === 'export' && (msg.format === 'csv' || msg.format === 'json')) {
      await this.export(msg.format).catch((e: unknown) => {
        void vscode.window.showErrorMessage(l10n.t('Tally could not export the API health: {0}', String(e)));
      });
    }
  }

  private async render(focus?: 'period' | 'model'): Promise<void> {
    if (!this.panel) return;
    const { report } = await this.data();
    if (!this.panel) return;
    const webview = this.panel.webview;
    const css = (name: string) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', name)).toString();
    this.shown = report;
    this.html = healthHtml(report, {
      cspSource: webview.cspSource,
      cssUris: [css('report.css'), css('health.css')],
      nonce: newNonce(),
      days: this.view.days,
      dayChoices: dayChoices(this.deps.retentionDays()),
      ...(focus ? { focus } : {}),
    });
    webview.html = this.html;
  }

  private closed(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
    if (this.rerender) clearTimeout(this.rerender);
    this.rerender = undefined;
    this.panel = undefined;
    this.html = undefined;
    this.shown = undefined;
  }

  dispose(): void {
    const panel = this.panel;
    this.closed();
    panel?.dispose();
  }
}
