// The problems Fix This Problem sends (issue #13): each diagnostic under the cursor as a line the model can read
// (severity, where, source and code, message), and which lines of code around them go with it. These lines are part
// of the prompt the model reads, not UI, so they stay English (issue #15).

export type DiagnosticSeverityName = 'error' | 'warning' | 'information' | 'hint';

/** One diagnostic, as plain data (the host converts VS Code's). Lines and columns are 1-based. */
export interface DiagnosticInfo {
  message: string;
  severity: DiagnosticSeverityName;
  source?: string;
  code?: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** Lines of code sent before and after the problems. */
export const DIAGNOSTIC_CONTEXT_LINES = 15;
/** Most diagnostics sent with one Fix This Problem (the rest are counted, not listed). */
export const MAX_DIAGNOSTICS = 20;

/** "- error at line 3, column 7 (ts 2322): Type 'string' is not assignable…" with follow-on lines indented. */
export function formatDiagnostic(d: DiagnosticInfo): string {
  const where =
    d.startLine === d.endLine
      ? `line ${d.startLine}, column ${d.startColumn}`
      : `lines ${d.startLine}–${d.endLine}, from column ${d.startColumn}`;
  const origin = [d.source, d.code].filter((s) => s !== undefined && s !== '').join(' ');
  const message = d.message.trim().replace(/\r?\n/g, '\n  ');
  return `- ${d.severity} at ${where}${origin ? ` (${origin})` : ''}: ${message}`;
}

export function formatDiagnostics(list: readonly DiagnosticInfo[]): string {
  if (list.length === 0) return '(none)';
  const shown = list.slice(0, MAX_DIAGNOSTICS).map(formatDiagnostic);
  if (list.length > MAX_DIAGNOSTICS) shown.push(`- …and ${list.length - MAX_DIAGNOSTICS} more`);
  return shown.join('\n');
}

/** Errors and warnings only: what Fix This Problem is offered for. */
export function isFixable(d: Pick<DiagnosticInfo, 'severity'>): boolean {
  return d.severity === 'error' || d.severity === 'warning';
}

/** The 1-based line span to send with `list`: from the first problem's line to the last's, plus `pad` lines each
 *  side, within the document's `lineCount` lines. */
export function linesAround(
  list: readonly Pick<DiagnosticInfo, 'startLine' | 'endLine'>[],
  lineCount: number,
  pad = DIAGNOSTIC_CONTEXT_LINES,
): { startLine: number; endLine: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const d of list) {
    first = Math.min(first, d.startLine);
    last = Math.max(last, d.endLine);
  }
  if (!Number.isFinite(first)) return { startLine: 1, endLine: Math.max(1, lineCount) };
  return { startLine: Math.max(1, first - pad), endLine: Math.min(Math.max(1, lineCount), last + pad) };
}
