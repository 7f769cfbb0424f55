// Usage in VS Code: the ledger under global storage (shared by every window), the accountant ChatService asks
// before and after each request, the status bar item, the usage report and its CSV export, and the budget settings.
// Nothing here blocks activation: the ledger loads (and compacts closed months) in the background, and the
// accountant's calls queue behind that load.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { Clock, Logger } from '../core/ports';
import type { Tokenizers } from '../core/tokens/tokenizers';
import { todayFilter, type UsageTotals } from '../core/usage/records';
import { UsageAccountant } from '../core/usage/accountant';
import { UsageLedger } from '../core/usage/ledger';
import { UsageStatusBar } from './usageStatusBar';
import { UsageReportPanel } from './usageReportPanel';

export const SHOW_USAGE_COMMAND = 'tally.showUsage';
export const EXPORT_USAGE_COMMAND = 'tally.exportUsageCsv';

export interface UsageFeature {
  accountant: UsageAccountant;
  ledger: UsageLedger;
  statusBar: UsageStatusBar;
  report: UsageReportPanel;
  /** The ledger folder: `<globalStorage>/usage`. */
  ledgerDir: string;
  /** Resolves once the ledger has been read at startup (never rejects). */
  loaded: Promise<void>;
  /** Stored totals after reading what other windows appended: today, all time, and all time per model. */
  totals(): Promise<{ today: UsageTotals; all: UsageTotals; byModel: { model: string; totals: UsageTotals }[] }>;
  disposables: vscode.Disposable[];
}

/** The raw `tally.budget` settings, as the accountant validates them (null/absent: no limit). */
function readBudgetSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('tally.budget');
  return {
    dailyUsd: c.get<unknown>('dailyUsd'),
    monthlyUsd: c.get<unknown>('monthlyUsd'),
    workspaceDailyUsd: c.get<unknown>('workspaceDailyUsd'),
    workspaceMonthlyUsd: c.get<unknown>('workspaceMonthlyUsd'),
    warnAtPercent: c.get<unknown>('warnAtPercent'),
  };
}

/**
 * A stable id of the open workspace: a hash of the saved multi-root workspace file, else of the first folder's URI;
 * '' when no folder is open. Hashed so the ledger holds no paths.
 */
export function workspaceId(): string {
  const file = vscode.workspace.workspaceFile;
  const uri = file && file.scheme !== 'untitled' ? file : vscode.workspace.workspaceFolders?.[0]?.uri;
  return uri ? createHash('sha256').update(uri.toString()).digest('base64url').slice(0, 16) : '';
}

export function createUsageFeature(context: vscode.ExtensionContext,
  deps: { tokenizers: Tokenizers; logger: Logger; clock: Clock; newId: (prefix: string) => string }): UsageFeature {
  const { logger, clock } = deps;
  const ledgerDir = vscode.Uri.joinPath(context.globalStorageUri, 'usage').fsPath;
  const ledger = new UsageLedger({ dir: ledgerDir, logger, clock });
  const accountant = new UsageAccountant({
    ledger, tokenizers: deps.tokenizers, clock, logger, newId: deps.newId, workspace: workspaceId(),
    budgets: readBudgetSettings,
    modelOverrides: () => vscode.workspace.getConfiguration('tally').get<unknown>('models', {}),
  });
  const statusBar = new UsageStatusBar({ ledger, accountant, command: SHOW_USAGE_COMMAND });
  const report = new UsageReportPanel({ extensionUri: context.extensionUri, ledger, now: () => clock.now(),
    onDidChange: (listener) => accountant.onDidChange(listener) });

  const loaded = ledger.load().then(() => {
    statusBar.schedule();
    const stats = ledger.stats();
    logger.info(`usage ledger: ${ledgerDir} (${stats.detailMonths.length} open, ${stats.summaryMonths.length} compacted months)`);
    // Closed months become summaries; off the activation path, after the first read.
    void ledger.compact().then((months) => { if (months.length) statusBar.schedule(); });
  }, (e: unknown) => { logger.error(`usage ledger: loading failed: ${String(e)}`); });

  const run = (what: string, f: () => Promise<unknown>) => async () => {
    try {
      await f();
    } catch (e) {
      logger.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
      void vscode.window.showErrorMessage(`Tally could not ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const disposables: vscode.Disposable[] = [
    statusBar,
    report,
    vscode.commands.registerCommand(SHOW_USAGE_COMMAND, run('show the usage report', async () => {
      await loaded;
      await report.show();
    })),
    // An optional target (Uri or path) skips the save dialog (tests, scripts); returns where it wrote, if anywhere.
    vscode.commands.registerCommand(EXPORT_USAGE_COMMAND, async (target?: unknown) => {
      let written: vscode.Uri | undefined;
      await run('export the usage', async () => {
        await loaded;
        written = await report.exportCsv(target instanceof vscode.Uri ? target
          : typeof target === 'string' && target !== '' ? vscode.Uri.file(target) : undefined);
      })();
      return written;
    }),
  ];
  const totals = async () => {
    await loaded;
    await ledger.refresh();
    return { today: ledger.totals(todayFilter(clock.now())), all: ledger.totals(), byModel: ledger.totalsByModel() };
  };
  return { accountant, ledger, statusBar, report, ledgerDir, loaded, totals, disposables };
}
