// The usage status bar item: `$(pulse) 12.4k tok · $0.23 today`, live while a reply streams (at most 4 updates a
// second), a tooltip with this session, today, this month, per model and cache savings, and a click that opens the
// usage report. It follows the accountant (this window's requests), and picks up other windows' records on a 30 s
// refresh of the ledger and whenever this window gains focus.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { addTotals, type UsageTotals } from '../core/usage/totals';
import type { UsageAccountant } from '../core/usage/accountant';
import { formatTotalCost, statusBarText, tooltipLines } from '../core/usage/usageText';
import { formatTokensShort } from '../shared/format';
import type { UsageLedger } from '../core/usage/ledger';

/** `text` with Markdown's punctuation escaped (for a translated link text). */
const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

const MIN_UPDATE_MS = 250;
const REFRESH_MS = 30_000;
/** The API health report (metricsFeature.ts), linked from the tooltip. */
const HEALTH_COMMAND = 'tally.showApiHealth';

export interface UsageStatusBarDeps {
  ledger: UsageLedger;
  accountant: Pick<UsageAccountant, 'liveExtra' | 'onDidChange'>;
  /** The command a click runs (the usage report). */
  command: string;
}

export class UsageStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly refreshTimer: NodeJS.Timeout;
  private throttle: NodeJS.Timeout | undefined;
  private dirty = false;
  private disposed = false;
  /** Lines about the API's health for the tooltip (the metrics feature sets it): last request, today's errors. */
  healthLines: () => readonly string[] = () => [];

  constructor(private readonly deps: UsageStatusBarDeps) {
    this.item = vscode.window.createStatusBarItem('tally.usage', vscode.StatusBarAlignment.Right, 100);
    this.item.name = l10n.t('Tally Usage');
    this.item.command = { command: deps.command, title: l10n.t('Show Usage Report') };
    this.item.text = '$(pulse) Tally';
    this.item.show();
    this.subscriptions.push(
      deps.accountant.onDidChange(() => this.schedule()),
      vscode.window.onDidChangeWindowState((s) => {
        if (s.focused) this.refresh();
      }),
    );
    this.refreshTimer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  /** The text shown now (for tests), e.g. `$(pulse) 12.4k tok · $0.23 today`. */
  get text(): string {
    return this.item.text;
  }

  /** The tooltip's Markdown now (for tests). */
  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  /** Reads what other windows appended, then updates. */
  refresh(): void {
    void this.deps.ledger.refresh().then(() => this.schedule());
  }

  /** Updates now unless it updated less than 250 ms ago; then once when that time is up. */
  schedule(): void {
    if (this.disposed) return;
    if (this.throttle) {
      this.dirty = true;
      return;
    }
    this.update();
    this.throttle = setTimeout(() => {
      this.throttle = undefined;
      if (this.dirty) {
        this.dirty = false;
        this.schedule();
      }
    }, MIN_UPDATE_MS);
  }

  private update(): void {
    const snapshot = this.deps.ledger.snapshot();
    const live = this.deps.accountant.liveExtra();
    const plus = (t: UsageTotals) => (live.requests > 0 ? addTotals({ ...t }, live) : t);
    const today = plus(snapshot.today);
    const month = plus(snapshot.month);
    this.item.text = `$(pulse) ${statusBarText(today)}`;
    this.item.accessibilityInformation = {
      label: l10n.t(
        'Tally usage today: {0} tokens, {1}',
        formatTokensShort(today.tokensIn + today.tokensOut),
        formatTotalCost(today),
      ),
      role: 'button',
    };
    const lines = tooltipLines({ session: plus(snapshot.session), today, month, byModel: snapshot.monthByModel });
    const tooltip = new vscode.MarkdownString(`**${escapeMarkdown(l10n.t('Tally usage'))}**`, true);
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(lines.join('\n'));
    if (live.requests > 0) {
      tooltip.appendMarkdown('\n\n_');
      tooltip.appendText(l10n.t('Includes the reply arriving now (estimated).'));
      tooltip.appendMarkdown('_');
    }
    const health = this.healthLines();
    if (health.length) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(health.join('\n'));
      // The link text is escaped: a translation cannot add markup or another command link.
      tooltip.appendMarkdown(`\n\n[${escapeMarkdown(l10n.t('API health'))}](command:${HEALTH_COMMAND})`);
      tooltip.isTrusted = { enabledCommands: [HEALTH_COMMAND] };
    }
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(l10n.t('Click for the usage report.'));
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.refreshTimer);
    if (this.throttle) clearTimeout(this.throttle);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
