// How complex a request is, from what can be measured of its input: prompt tokens, lines, the nesting depth and
// branch count of the code (one bounded linear scan: braces and indentation, branch keywords and operators), files
// and diagnostics. Each signal has two thresholds (medium, complex; inclusive); the request is as complex as its
// most complex signal. Deterministic: the same input always gives the same answer, so the routing is explainable.
import type { Complexity, RouteSignals } from './taskTypes';

/** Inclusive lower bounds: a signal at or above `medium` makes the request at least medium, at or above `complex`
 *  complex. Chosen so that a function or two of ordinary code is simple, a long function or a small file medium,
 *  and a large file, deep nesting or many diagnostics complex. */
export const COMPLEXITY_THRESHOLDS = {
  promptTokens: { medium: 1_500, complex: 6_000 },
  lines: { medium: 40, complex: 150 },
  nesting: { medium: 4, complex: 7 },
  branches: { medium: 8, complex: 20 },
  files: { medium: 2, complex: 4 },
  diagnostics: { medium: 2, complex: 5 },
} as const;

export type ComplexitySignal = keyof typeof COMPLEXITY_THRESHOLDS;

/** Characters of code the scan reads at most: beyond this the input is large enough to be complex by its tokens and
 *  lines anyway, and the scan stays cheap whatever is selected. */
export const MAX_SCAN_CHARS = 200_000;

/** Columns a tab counts as when measuring indentation. */
const TAB_COLUMNS = 4;
/** The smallest indentation step counted as one level (a 1-column step is alignment, not nesting). */
const MIN_INDENT_STEP = 2;

export interface CodeShape {
  /** Deepest nesting: the larger of the brace depth and the indentation depth (relative to the least indented line). */
  nesting: number;
  /** Branch points: if/elif/for/foreach/while/case/catch/except keywords, `&&`, `||` and the ternary `?`. */
  branches: number;
  /** Lines of the code (a final newline does not start another). */
  lines: number;
}

const BRANCH_WORDS = new Set(['if', 'elif', 'for', 'foreach', 'while', 'case', 'catch', 'except']);
const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;

/** Measures the first MAX_SCAN_CHARS characters of `code` in one pass (strings and comments are not told apart:
 *  an estimate, not a parser). */
export function measureCode(code: string, maxChars = MAX_SCAN_CHARS): CodeShape {
  const end = Math.min(code.length, maxChars);
  let braces = 0;
  let maxBraces = 0;
  let branches = 0;
  let lines = end > 0 ? 1 : 0;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < end; i++) {
    const c = code.charCodeAt(i);
    if (c === 10) {
      lines++;
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 9) {
        indent += c === 9 ? TAB_COLUMNS : 1;
        continue;
      }
      if (c === 13) continue;
      lineStart = false;
      indents.push(indent);
    }
    if (c === 123) maxBraces = Math.max(maxBraces, ++braces);
    else if (c === 125) braces = Math.max(0, braces - 1);
    else if ((c === 38 || c === 124) && code.charCodeAt(i + 1) === c) {
      branches++;
      i++;
    } else if (c === 63) {
      const next = code.charCodeAt(i + 1);
      if (next === 63 || next === 46 || next === 58)
        i++; // `??`, `?.`, `?:` are not branches
      else branches++;
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (j < end && isWordChar(code.charCodeAt(j))) j++;
      if (j - i <= 7 && (i === 0 || !isWordChar(code.charCodeAt(i - 1))) && BRANCH_WORDS.has(code.slice(i, j)))
        branches++;
      i = j - 1;
    }
  }
  if (end > 0 && code.charCodeAt(end - 1) === 10) lines--; // a final newline ends the last line, it adds none
  return { nesting: Math.max(maxBraces, indentDepth(indents)), branches, lines };
}

/** Levels of indentation below the least indented line, the step being the smallest indentation difference. */
function indentDepth(indents: readonly number[]): number {
  if (indents.length === 0) return 0;
  let min = Infinity;
  for (const n of indents) min = Math.min(min, n);
  let step = Infinity;
  let max = 0;
  for (const n of indents) {
    const d = n - min;
    if (d >= MIN_INDENT_STEP) step = Math.min(step, d);
    max = Math.max(max, d);
  }
  return step === Infinity ? 0 : Math.floor(max / step);
}

/** The measured values the estimate used (absent: not measured). */
export interface MeasuredSignals {
  promptTokens: number;
  lines?: number;
  nesting?: number;
  branches?: number;
  files?: number;
  diagnostics?: number;
}

export interface ComplexityEstimate {
  complexity: Complexity;
  measured: MeasuredSignals;
  /** The signals that reached the estimate's level (empty for simple). */
  drivenBy: ComplexitySignal[];
}

/** The level one signal's value reaches. */
export function levelOf(signal: ComplexitySignal, value: number): Complexity {
  const t = COMPLEXITY_THRESHOLDS[signal];
  return value >= t.complex ? 'complex' : value >= t.medium ? 'medium' : 'simple';
}

const RANK: Record<Complexity, number> = { simple: 0, medium: 1, complex: 2 };

/** The request's complexity: the highest level any of its signals reaches. */
export function estimateComplexity(signals: RouteSignals): ComplexityEstimate {
  const shape = signals.code !== undefined ? measureCode(signals.code) : undefined;
  const measured: MeasuredSignals = { promptTokens: signals.promptTokens };
  const lines = signals.lines ?? shape?.lines;
  if (lines !== undefined) measured.lines = lines;
  const nesting = signals.nesting ?? shape?.nesting;
  if (nesting !== undefined) measured.nesting = nesting;
  const branches = signals.branches ?? shape?.branches;
  if (branches !== undefined) measured.branches = branches;
  if (signals.files !== undefined) measured.files = signals.files;
  if (signals.diagnostics !== undefined) measured.diagnostics = signals.diagnostics;
  let complexity: Complexity = 'simple';
  let drivenBy: ComplexitySignal[] = [];
  for (const key of Object.keys(COMPLEXITY_THRESHOLDS) as ComplexitySignal[]) {
    const value = measured[key];
    if (value === undefined) continue;
    const level = levelOf(key, value);
    if (RANK[level] > RANK[complexity]) {
      complexity = level;
      drivenBy = [key];
    } else if (level === complexity && level !== 'simple') drivenBy.push(key);
  }
  return { complexity, measured, drivenBy };
}
