// For teams: when tally.telemetry.otlpEndpoint is set (user settings only), every request metric is also sent to
// that OpenTelemetry collector as a span (core/metrics/otlpSwitch.ts and otlpExporter.ts). Empty, the default:
// nothing is created, loaded or sent. A settings change reconfigures; deactivation sends what is queued and stops.
import type * as vscode from 'vscode';
import { OtlpSwitch } from '../core/metrics/otlpSwitch';
import type { Logger } from '../core/ports';
import type { Settings } from './settings';

export function createOtlpExport(deps: {
  settings: Settings;
  logger: Logger;
  serviceVersion: string;
}): OtlpSwitch & { disposables: vscode.Disposable[] } {
  const otlp = new OtlpSwitch({ serviceVersion: deps.serviceVersion, logger: deps.logger });
  otlp.configure(deps.settings.current.otlp);
  return Object.assign(otlp, {
    disposables: [deps.settings.onDidChange(() => otlp.configure(deps.settings.current.otlp))],
  });
}
