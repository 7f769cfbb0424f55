// Counting and truncating large texts in slices that meet at safe cuts, so counts stay exact and a driver can let the
// event loop run between slices (at most ~4 ms of work each).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AsyncTokenCounter, TokenCounter, Truncation } from './tokenCounter';

// tiktoken first splits text with a regex into pieces and byte-pair-encodes each piece on its own, so
// count(a + b) === count(a) + count(b) whenever the cut is a piece boundary that both halves see the same way.
// Cutting anywhere is NOT exact: "x\n\ny" is 3 pieces, but "x\n" + "\ny" gives 4 ("\n\n" is one piece and one token),
// and " world" carries its leading space. A cut at p is safe for both o200k_base and cl100k_base when either
//   R1  text[p-1] is "\n" and text[p] is neither whitespace nor "/"  (only o200k's punctuation rule `[\r\n/]*` and the
//       all-whitespace rules can carry a piece past a newline), or
//   R2  text[p-1] is an ASCII letter and text[p] is ASCII but neither a letter nor an apostrophe (a piece holding a
//       letter is letters, an optional single leading non-letter, and an optional 's/'t/'re contraction).
// In both cases the piece before p is matched by a rule without lookahead that precedes `\s+(?!\S)` in the
// pattern, so the left half segments identically when p becomes its end of text; the right half restarts matching
// at p exactly as the whole text does (the patterns have no lookbehind). The rule only looks at text[p-1] and
// text[p], so it also holds for any text built by keeping both sides of a cut. Verified against one-shot counts in
// test/unit/tokens.test.ts on realistic and adversarial random texts. A text with no safe cut at all (one huge line
// of digits or symbols) is counted in one piece.

const WHITESPACE = /\s/;

export function isSafeCut(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return false;
  const a = text.charCodeAt(p - 1);
  const b = text.charCodeAt(p);
  if (a === 10) return b !== 47 && !WHITESPACE.test(text[p]);
  const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return isLetter(a) && b < 128 && !isLetter(b) && b !== 39;
}

/** A safe cut in (from, text.length): the last one at or before `target`, else the first after it; else the end. */
export function nextCut(text: string, from: number, target: number): number {
  if (target >= text.length) return text.length;
  for (let p = target; p > from; p--) if (isSafeCut(text, p)) return p;
  for (let p = target + 1; p < text.length; p++) if (isSafeCut(text, p)) return p;
  return text.length;
}

export interface SliceOptions {
  /** Target CPU time per slice; the length adapts to the measured speed. Default 4 ms: a quarter of the 16 ms
   *  limit, as the same work varies ~2x between runs on a busy machine (GC, other processes). */
  sliceMs?: number;
  /** The time source slices are measured with, in ms. Default `performance.now`; tests pass a simulated one. */
  now?: () => number;
}

/** Slice sizing: starts small (nothing measured yet), follows a slowdown at once (code, prose and CJK tokenize at
 *  different speeds) and a speedup by at most 25% per slice, so one fast stretch does not oversize the next slice. */
function sliceSizer({ sliceMs = 4, now = () => performance.now() }: SliceOptions): {
  next(): number;
  timed<T>(chars: number, f: () => T): T;
} {
  let charsPerMs = 250;
  return {
    next: () => Math.max(256, Math.round(charsPerMs * sliceMs)),
    timed(chars, f) {
      const t0 = now();
      const v = f();
      const rate = chars / Math.max(now() - t0, 0.05);
      if (chars >= 256) charsPerMs = Math.min(rate, charsPerMs * 1.25, 50_000);
      return v;
    },
  };
}

/** Counts `text` slice by slice; yields (void) between slices so a driver can let the event loop run. */
export function* countSteps(text: string, counter: TokenCounter, options: SliceOptions = {}): Generator<void, number> {
  const sizer = sliceSizer(options);
  let total = 0;
  for (let pos = 0; pos < text.length;) {
    if (pos > 0) yield;
    const end = nextCut(text, pos, pos + sizer.next());
    total += sizer.timed(end - pos, () => counter.count(text.slice(pos, end)));
    pos = end;
  }
  return total;
}

/**
 * Keeps the longest start of `text` such that `text' + suffix` has at most `maxTokens` tokens, in slices: full
 * slices are counted and kept while they fit; only the slice where the limit falls is cut at a token boundary.
 * Counts stay exact because slices meet at safe cuts (see above). Yields between slices.
 */
export function* truncateSteps(
  text: string,
  maxTokens: number,
  suffix: string,
  counter: TokenCounter,
  options: SliceOptions = {},
): Generator<void, Truncation> {
  const sizer = sliceSizer(options);
  const suffixTokens = counter.count(suffix);
  const starts: number[] = [];
  const ends: number[] = [];
  const usedBefore: number[] = [];
  let pos = 0;
  let used = 0;
  for (;;) {
    const end = nextCut(text, pos, pos + sizer.next());
    starts.push(pos);
    ends.push(end);
    usedBefore.push(used);
    if (end === text.length) {
      const last = text.slice(pos);
      const withSuffix = counter.count(last + suffix);
      if (used + withSuffix <= maxTokens) {
        yield;
        return { text, tokens: used + withSuffix, prefixTokens: used + counter.count(last), truncated: false };
      }
      break;
    }
    const n = sizer.timed(end - pos, () => counter.count(text.slice(pos, end)));
    if (used + n + suffixTokens > maxTokens) break;
    used += n;
    pos = end;
    yield;
  }
  // The limit falls in the slice starting at starts[i]. If not even its first token fits (or the suffix changes how
  // the end of the previous slice merges), step back a slice: the cut before an empty remainder is not a safe one.
  for (let i = starts.length - 1; i >= 0; i--) {
    const start = starts[i];
    const region = text.slice(start, ends[i]);
    const room = maxTokens - usedBefore[i];
    for (let limit = room - suffixTokens; limit > 0;) {
      yield;
      const kept = counter.truncate(region, limit);
      if (kept.length === 0) break;
      yield;
      const withSuffix = counter.count(kept + suffix);
      if (withSuffix <= room) {
        yield;
        return {
          text: text.slice(0, start) + kept,
          tokens: usedBefore[i] + withSuffix,
          prefixTokens: usedBefore[i] + counter.count(kept),
          truncated: true,
        };
      }
      limit -= withSuffix - room;
    }
  }
  return { text: '', tokens: suffixTokens, prefixTokens: 0, truncated: text.length > 0 };
}

/** Runs slice steps to completion on the spot (for worker threads, tests, and small inputs). */
export function runSteps<R>(steps: Generator<void, R>): R {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Runs slice steps, letting the event loop run between slices; stops with the signal's reason when aborted. */
export async function runStepsAsync<R>(steps: Generator<void, R>, signal?: AbortSignal): Promise<R> {
  signal?.throwIfAborted();
  let r = steps.next();
  while (!r.done) {
    await nextTurn();
    signal?.throwIfAborted();
    r = steps.next();
  }
  return r.value;
}

/** The non-blocking counter on this thread: large inputs are processed in ~4 ms slices. */
export function slicedCounter(counter: TokenCounter, options: SliceOptions = {}): AsyncTokenCounter {
  return {
    encoding: counter.encoding,
    count: (text, signal) => runStepsAsync(countSteps(text, counter, options), signal),
    truncate: (text, maxTokens, suffix = '', signal) =>
      runStepsAsync(truncateSteps(text, maxTokens, suffix, counter, options), signal),
  };
}
