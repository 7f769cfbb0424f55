// Request metrics in VS Code: every finished request (panel, actions: whatever the chat service answers) becomes a
// record in the metrics store under global storage (shared by every window), the API health report and its
// command, the last request and today's error rate for the status bar's tooltip, and a degraded API pointed out
// once per day. Nothing here touches the disk at activation: the store is read on the first record or report, and
// old days are pruned after the first record of the session. Recording happens after the reply was shown, in the
// background: a failure is logged, never shown in the chat.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { degradedToNotify } from '../core/metrics/degraded';
import { makeRequestMetric, type FinishedRequest } from '../core/metrics/makeMetric';
import { MetricsStore } from '../core/metrics/metricsStore';
import { errorKindText, outcomeText } from '../core/metrics/outcomeText';
import { formatCount, formatPercent, formatSeconds } from '../core/metrics/healthFormat';
import { isError } from '../core/metrics/healthStats';
import type { RequestMetric } from '../core/metrics/requestMetric';
import { errorMessage } from '../core/errorMessage';
import type { Clock, Logger } from '../core/ports';
import { dayKey } from '../core/usage/periods';
import { registerCommand } from './commandRunner';
import { HealthReportPanel } from './healthReportPanel';
import type { Settings } from './settings';

export const SHOW_API_HEALTH_COMMAND = 'tally.showApiHealth';
/** globalState: the local day a degraded API was last pointed out (shared by windows, so once a day for all). */
const DEGRADED_DAY_KEY = 'tally.metrics.degradedNotifiedDay';

export interface MetricsFeature {
  /** The chat service's onRequestFinished. */
  record(finished: FinishedRequest): void;
  /** Resolves when every record so far has been written (and the degraded check made). */
  settled(): Promise<void>;
  store: MetricsStore;
  report: HealthReportPanel;
  /** The status bar tooltip's lines: the last request's latency and TTFT, today's error rate. */
  glance(): string[];
  disposables: vscode.Disposable[];
}

const localMidnight = (t: number) => new Date(t).setHours(0, 0, 0, 0);

export function createMetricsFeature(
  context: vscode.ExtensionContext,
  deps: {
    settings: Settings;
    logger: Logger;
    clock: Clock;
    onRecorded?: () => void;
    /** Each record as soon as it is made (the OTLP export, when configured). */
    onMetric?: (r: RequestMetric) => void;
  },
): MetricsFeature {
  const { logger, clock } = deps;
  const retentionDays = () => deps.settings.current.metrics.retentionDays;
  const store = new MetricsStore({
    dir: vscode.Uri.joinPath(context.globalStorageUri, 'metrics').fsPath,
    retentionDays,
    logger,
    clock,
  });
  const report = new HealthReportPanel({
    extensionUri: context.extensionUri,
    store,
    now: () => clock.now(),
    retentionDays,
  });
  let last: RequestMetric | undefined;
  let today = { start: 0, requests: 0, errors: 0 };
  let pruned = false;
  let pending: Promise<void> = Promise.resolve();

  const afterAppend = async (r: RequestMetric) => {
    if (!pruned) {
      pruned = true;
      await store.prune();
    }
    const now = clock.now();
    const todayStart = localMidnight(now);
    // The week before today is read only while the degraded check may still speak today.
    const notified = context.globalState.get<string>(DEGRADED_DAY_KEY);
    const d = new Date(now);
    const from =
      notified === dayKey(now) ? todayStart : new Date(d.getFullYear(), d.getMonth(), d.getDate() - 7).getTime();
    const recent = await store.records(from, now);
    const todays = recent.filter((x) => x.time >= todayStart && !x.cacheHit);
    today = { start: todayStart, requests: todays.length, errors: todays.filter(isError).length };
    last = r;
    deps.onRecorded?.();
    report.recorded();
    const degraded = degradedToNotify(recent, now, notified);
    if (!degraded) return;
    await context.globalState.update(DEGRADED_DAY_KEY, degraded.day);
    logger.warn(`metrics: ${degraded.message}`);
    const show = l10n.t('Show API Health');
    void vscode.window.showWarningMessage(degraded.message, show).then((pick) => {
      if (pick) void vscode.commands.executeCommand(SHOW_API_HEALTH_COMMAND);
    });
  };

  const record = (finished: FinishedRequest) => {
    let r: RequestMetric;
    try {
      r = makeRequestMetric(finished);
    } catch (e) {
      logger.error(`metrics: could not make the record of ${finished.requestId}: ${errorMessage(e)}`);
      return;
    }
    last = r;
    deps.onMetric?.(r);
    pending = pending
      .then(async () => {
        if (await store.append(r)) await afterAppend(r);
      })
      .catch((e: unknown) => logger.error(`metrics: recording ${r.id} failed: ${errorMessage(e)}`));
  };

  const glance = (): string[] => {
    if (!last) return [];
    const how = last.cacheHit
      ? l10n.t('from the cache')
      : last.outcome === 'complete'
        ? l10n.t({ message: 'ok', comment: ['The last request was answered.'] })
        : last['error.type']
          ? errorKindText(last['error.type'])
          : outcomeText(last.outcome);
    const lines = [
      l10n.t(
        'Last request: {0}, first token {1} ({2})',
        formatSeconds(last.durationMs),
        formatSeconds(last.ttftMs),
        how,
      ),
    ];
    if (today.requests > 0 && today.start === localMidnight(clock.now())) {
      lines.push(
        l10n.t(
          'API today: {0} errors ({1} of {2} requests)',
          formatPercent(today.errors / today.requests),
          formatCount(today.errors),
          formatCount(today.requests),
        ),
      );
    }
    return lines;
  };

  const disposables: vscode.Disposable[] = [
    report,
    // Opening the report also drops the days past the retention (it may have been lowered since the first record).
    registerCommand(
      SHOW_API_HEALTH_COMMAND,
      l10n.t('show the API health'),
      async () => {
        await store.prune();
        await report.show();
      },
      logger,
    ),
  ];
  return { record, settled: () => pending, store, report, glance, disposables };
}
