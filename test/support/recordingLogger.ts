// A Logger that keeps every line with its level, for tests that assert what was logged (and how often).
import type { Logger } from '../../src/core/ports';

export interface RecordingLogger extends Logger {
  lines: Array<[level: string, message: string]>;
  /** The messages logged at `level`, in order. */
  at(level: string): string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: Array<[string, string]> = [];
  const log = (level: string) => (message: string | Error) => {
    lines.push([level, String(message)]);
  };
  return {
    lines,
    at: (level) => lines.filter(([l]) => l === level).map(([, m]) => m),
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}
