// Usage in VS Code: the ledger under global storage (shared by every window), the accountant ChatService asks
// before and after each request, the status bar item, the usage report and its CSV export, and the budget settings.
// Nothing here blocks activation: the ledger loads (and compacts closed months) in the background, and the
// accountant's calls queue behind that load.
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { Clock, Logger } from '../core/ports';
import type { Tokenizers } from '../core/tokens/tokenizers';
import { todayFilter } from '../core/usage/periods';
import type { UsageTotals } from '../core/usage/totals';
import { UsageAccountant } from '../core/usage/accountant';
import { UsageLedger } from '../core/usage/ledger';
import { isUsageSurface } from '../core/usage/surfaces';
import { registerCommand } from './commandRunner';
import { UsageStatusBar } from './usageStatusBar';
import { UsageReportPanel } from './usageReportPanel';
import { FILTER_COMMAND } from '../core/usage/reportHtml';
import type { Settings } from './settings';

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
  /** Writes the usage CSV to `target`, else where the user picks in a save dialog. */
  exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined>;
  totals(): Promise<{ today: UsageTotals; all: UsageTotals; byModel: { model: string; totals: UsageTotals }[] }>;
  disposables: vscode.Disposable[];
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

export function createUsageFeature(
  context: vscode.ExtensionContext,
  deps: { settings: Settings; tokenizers: Tokenizers; logger: Logger; clock: Clock; newId: (prefix: string) => string },
): UsageFeature {
  const { logger, clock } = deps;
  const ledgerDir = vscode.Uri.joinPath(context.globalStorageUri, 'usage').fsPath;
  const ledger = new UsageLedger({ dir: ledgerDir, logger, clock });
  const accountant = new UsageAccountant({
    ledger,
    tokenizers: deps.tokenizers,
    clock,
    logger,
    newId: deps.newId,
    workspace: workspaceId(),
    budgets: () => deps.settings.current.budgets,
    modelOverrides: () => deps.settings.current.modelOverrides,
  });
  const statusBar = new UsageStatusBar({ ledger, accountant, command: SHOW_USAGE_COMMAND });
  const report = new UsageReportPanel({
    extensionUri: context.extensionUri,
    ledger,
    now: () => clock.now(),
    onDidChange: (listener) => accountant.onDidChange(listener),
  });

  const loaded = ledger.load().then(
    () => {
      statusBar.schedule();
      const stats = ledger.stats();
      logger.info(
        `usage ledger: ${ledgerDir} (${stats.detailMonths.length} open, ${stats.summaryMonths.length} compacted months)`,
      );
      // Closed months become summaries; off the activation path, after the first read.
      void ledger.compact().then((months) => {
        if (months.length) statusBar.schedule();
      });
    },
    (e: unknown) => {
      logger.error(`usage ledger: loading failed: ${String(e)}`);
    },
  );

  const disposables: vscode.Disposable[] = [
    statusBar,
    report,
    registerCommand(
      SHOW_USAGE_COMMAND,
      l10n.t('show the usage report'),
      async () => {
        await loaded;
        await report.show();
      },
      logger,
    ),
    // Always asks where to write (arguments are ignored: no link may write a file anywhere); returns where it wrote.
    registerCommand(EXPORT_USAGE_COMMAND, l10n.t('export the usage'), () => exportCsv(), logger),
    // The report's filter links: a surface id, anything else shows all surfaces.
    registerCommand(
      FILTER_COMMAND,
      l10n.t('filter the usage report'),
      (surface: unknown) => report.filter(isUsageSurface(surface) ? surface : undefined),
      logger,
    ),
  ];
  /** The CSV export; `target` (tests, through the test API) skips the save dialog. */
  const exportCsv = async (target?: vscode.Uri) => {
    await loaded;
    return report.exportCsv(target);
  };
  const totals = async () => {
    await loaded;
    await ledger.refresh();
    return { today: ledger.totals(todayFilter(clock.now())), all: ledger.totals(), byModel: ledger.totalsByModel() };
  };
  return { accountant, ledger, statusBar, report, ledgerDir, loaded, totals, exportCsv, disposables };
}
