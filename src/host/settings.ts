// Typed reads of Tally's configuration: the one place that knows the setting names.
import * as vscode from 'vscode';
import type { RetryPolicy } from '../core/api/retry';
import type { StreamTimeouts } from '../core/api/streamWatchdog';

export interface TallySettings {
  baseUrl: string;
  model: string;
  systemPrompt: string;
  maxReplyTokens: number;
  temperature?: number;
  /** `tally.models` as the user wrote it (validated by core/models.ts parseModelOverrides). */
  modelOverrides: unknown;
  retryPolicy: RetryPolicy;
  timeouts: StreamTimeouts;
}

const SECTION = 'tally';

export function readSettings(): TallySettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const seconds = (key: string, fallback: number) => {
    const v = c.get<number>(key, fallback);
    return Math.round((Number.isFinite(v) && v >= 0 ? v : fallback) * 1000);
  };
  return {
    baseUrl: c.get<string>('baseUrl', '').trim(),
    model: c.get<string>('model', 'gpt-4o-mini').trim() || 'gpt-4o-mini',
    systemPrompt: c.get<string>('systemPrompt', ''),
    maxReplyTokens: Math.max(1, Math.floor(c.get<number>('maxReplyTokens', 4096)) || 4096),
    modelOverrides: c.get<unknown>('models', {}),
    ...temperature(c.get<number | null>('temperature', null)),
    retryPolicy: {
      maxRetries: Math.max(0, Math.floor(c.get<number>('retry.maxRetries', 3))),
      baseDelayMs: seconds('retry.initialDelaySeconds', 1),
      maxDelayMs: seconds('retry.maxDelaySeconds', 20),
      maxRetryAfterMs: seconds('retry.maxRetryAfterSeconds', 120),
    },
    timeouts: { firstByteMs: seconds('timeout.firstByteSeconds', 60), idleMs: seconds('timeout.idleSeconds', 90) },
  };
}

/** Calls `listener` whenever a `tally.*` setting changes. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}

function temperature(v: number | null | undefined): { temperature?: number } {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 2 ? { temperature: v } : {};
}
