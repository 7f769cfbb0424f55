// Token counting: a lazily loaded tokenizer per encoding, the chat-format rule with a per-message cache, and
// counting/truncating large texts in slices so the extension host is never blocked for more than ~16 ms at a time.
//
// js-tiktoken is imported on first use only (never at activation); the specifiers below are literal so that the
// bundler maps each to its own lazily loaded file (esbuild.js: LAZY). Loading o200k_base costs ~0.5-1 s of CPU
// and ~130 MB, once per encoding; counting runs at ~1 MB/s. To keep even the load off the host thread, use the
// worker counter (tokenCountWorker.ts); the sliced counter here is the default and needs no extra file.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Tiktoken, TiktokenBPE } from 'js-tiktoken/lite';
import type { Encoding } from './models';

export interface TokenCounter {
  readonly encoding: Encoding;
  count(text: string): number;
  /** Longest prefix of `text`, cut at a token boundary, whose own count is at most `maxTokens`. */
  truncate(text: string, maxTokens: number): string;
}

/** The same operations without blocking: sliced on this thread, or in a worker thread. */
export interface AsyncTokenCounter {
  readonly encoding: Encoding;
  count(text: string, signal?: AbortSignal): Promise<number>;
  truncate(text: string, maxTokens: number, suffix?: string, signal?: AbortSignal): Promise<Truncation>;
}

/** Result of fitting `text + suffix` into a token limit: the kept start of the text (all of it when it fits),
 *  the exact tokens of `text + suffix` (within the limit unless even the bare suffix is not) and of `text` alone. */
export interface Truncation {
  text: string;
  tokens: number;
  prefixTokens: number;
  truncated: boolean;
}

// ---- Loading ---------------------------------------------------------------------------------------------------

function isRanks(v: unknown): v is TiktokenBPE {
  const r = v as Partial<TiktokenBPE> | null;
  return !!r && typeof r.pat_str === 'string' && typeof r.bpe_ranks === 'string' && typeof r.special_tokens === 'object';
}

async function importRanks(encoding: Encoding): Promise<TiktokenBPE> {
  let mod: { default?: unknown };
  // tsconfig's node10 resolution does not read package "exports", so these subpaths have no visible types (Node
  // and esbuild resolve them); the shape is checked at run time instead.
  switch (encoding) {
    // @ts-expect-error -- subpath export, see above
    case 'o200k_base': mod = await import('js-tiktoken/ranks/o200k_base'); break;
    // @ts-expect-error -- subpath export, see above
    case 'cl100k_base': mod = await import('js-tiktoken/ranks/cl100k_base'); break;
  }
  const ranks = mod.default ?? mod;
  if (!isRanks(ranks)) throw new Error(`js-tiktoken ranks for ${encoding} have an unexpected shape`);
  return ranks;
}

/** A TokenCounter over a js-tiktoken instance. Special-token text such as `<|endoftext|>` in user content is
 *  counted as ordinary text (the API does the same) instead of throwing. */
export function tiktokenCounter(encoding: Encoding, tiktoken: Pick<Tiktoken, 'encode' | 'decode'>): TokenCounter {
  const encode = (text: string): number[] => tiktoken.encode(text, [], []);
  return {
    encoding,
    count: (text) => (text.length === 0 ? 0 : encode(text).length),
    truncate(text, maxTokens) {
      const tokens = encode(text);
      if (tokens.length <= maxTokens) return text;
      // Decoding a token prefix can split a UTF-8 sequence, and re-encoding a cut piece can merge differently:
      // step back until the result is a real prefix of `text` that re-counts within the limit.
      for (let k = Math.max(0, maxTokens); k > 0; k--) {
        const prefix = tiktoken.decode(tokens.slice(0, k));
        if (text.startsWith(prefix) && encode(prefix).length <= maxTokens) return prefix;
      }
      return '';
    },
  };
}

/** Loads one encoding (js-tiktoken/lite + that encoding's ranks only). */
export async function loadEncoding(encoding: Encoding): Promise<TokenCounter> {
  const [{ Tiktoken: TiktokenClass }, ranks] = await Promise.all([import('js-tiktoken/lite'), importRanks(encoding)]);
  return tiktokenCounter(encoding, new TiktokenClass(ranks));
}

export interface TokenizersOptions {
  /** Loads an encoding; default `loadEncoding` (tests pass a spy). */
  load?: (encoding: Encoding) => Promise<TokenCounter>;
  /** Makes the non-blocking counter for an encoding, e.g. `(encoding) => createWorkerCounter({ workerPath,
   *  encoding })`; default: sliced counting on this thread over `get(encoding)`. */
  asyncCounter?: (encoding: Encoding) => AsyncTokenCounter & { dispose?(): Promise<void> };
}

/** Registry of tokenizers: each encoding is loaded on first use and shared afterwards. Pass one instance around
 *  (in the host's deps object) instead of a module-level singleton. */
export class Tokenizers {
  private readonly loads = new Map<Encoding, Promise<TokenCounter>>();
  private readonly asyncCounters = new Map<Encoding, AsyncTokenCounter & { dispose?(): Promise<void> }>();

  constructor(private readonly options: TokenizersOptions = {}) {}

  /** The synchronous counter (loads the encoding on this thread on first use). */
  get(encoding: Encoding): Promise<TokenCounter> {
    let p = this.loads.get(encoding);
    if (!p) {
      p = (this.options.load ?? loadEncoding)(encoding);
      this.loads.set(encoding, p);
      p.catch(() => this.loads.delete(encoding)); // a failed load may be retried
    }
    return p;
  }

  /** True once `encoding` has been requested on this thread (for the "nothing loaded at activation" check). */
  isLoaded(encoding: Encoding): boolean {
    return this.loads.has(encoding);
  }

  /** The non-blocking counter for `encoding` (worker-backed when configured, else sliced); nothing loads until
   *  its first call. */
  asyncCounter(encoding: Encoding): AsyncTokenCounter {
    let c = this.asyncCounters.get(encoding);
    if (!c) {
      const sliced = async (): Promise<AsyncTokenCounter> => slicedCounter(await this.get(encoding));
      c = this.options.asyncCounter?.(encoding) ?? {
        encoding,
        count: async (text, signal) => (await sliced()).count(text, signal),
        truncate: async (text, maxTokens, suffix, signal) => (await sliced()).truncate(text, maxTokens, suffix, signal),
      };
      this.asyncCounters.set(encoding, c);
    }
    return c;
  }

  /** Counts `text` without blocking this thread for more than a slice at a time. */
  countAsync(text: string, encoding: Encoding, signal?: AbortSignal): Promise<number> {
    return this.asyncCounter(encoding).count(text, signal);
  }

  /** Stops worker-backed counters. */
  async dispose(): Promise<void> {
    const counters = [...this.asyncCounters.values()];
    this.asyncCounters.clear();
    await Promise.all(counters.map((c) => c.dispose?.()));
  }
}

// ---- Chat format -----------------------------------------------------------------------------------------------
// OpenAI's chat format (cookbook "How to count tokens with tiktoken"): every message costs 3 tokens of framing plus
// its role and content, a `name` costs its tokens plus 1, and the reply is primed with 3 more tokens. With these the
// estimate equals the API's `usage.prompt_tokens` for gpt-3.5-turbo-0613 and later, gpt-4, gpt-4o and newer.
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

export interface CountableMessage {
  role: string;
  content: string;
  name?: string;
  /** Cache: tokens of this message in the chat format (framing + role + content + name), per encoding. Stored with
   *  the message so a long history is never recounted; delete it if the content is ever edited. */
  tokenCounts?: Partial<Record<Encoding, number>>;
}

/** These roles are one token in both o200k_base and cl100k_base (asserted in test/unit/tokens.test.ts), so counting a
 *  message costs one tokenizer call for its content. */
const SINGLE_TOKEN_ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant', 'developer', 'tool']);

/** Counts one message as steps: yields each text to count, receives its count, returns the message's tokens. A
 *  cached count is returned without any step; a computed one is stored on the message. Shared by the synchronous
 *  `countMessageTokens` and the sync/async drivers in context.ts, so the rule exists once. */
export function* messageTokenSteps(msg: CountableMessage, encoding: Encoding): Generator<string, number, number> {
  const cached = msg.tokenCounts?.[encoding];
  if (cached !== undefined) return cached;
  const overhead = yield* overheadSteps(msg);
  const total = overhead + (msg.content.length === 0 ? 0 : yield msg.content);
  (msg.tokenCounts ??= {})[encoding] = total;
  return total;
}

/** Framing + role + name tokens of a message (everything but the content). */
export function* overheadSteps(msg: Pick<CountableMessage, 'role' | 'name'>): Generator<string, number, number> {
  const role = SINGLE_TOKEN_ROLES.has(msg.role) ? 1 : yield msg.role;
  const name = msg.name === undefined ? 0 : (yield msg.name) + TOKENS_PER_NAME;
  return TOKENS_PER_MESSAGE + role + name;
}

function runCounting<R>(steps: Generator<string, R, number>, counter: TokenCounter): R {
  let r = steps.next();
  while (!r.done) r = steps.next(counter.count(r.value));
  return r.value;
}

/** Tokens of one message in the chat format, from its cache when present (else counted and cached). */
export function countMessageTokens(msg: CountableMessage, counter: TokenCounter): number {
  return runCounting(messageTokenSteps(msg, counter.encoding), counter);
}

/** Prompt tokens of a whole request: every message plus the reply priming (= the API's `usage.prompt_tokens`). */
export function countChatTokens(messages: readonly CountableMessage[], counter: TokenCounter): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const m of messages) total += countMessageTokens(m, counter);
  return total;
}

// ---- Slicing ---------------------------------------------------------------------------------------------------
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
}

/** Slice sizing: starts small (nothing measured yet), follows a slowdown at once (code, prose and CJK tokenize at
 *  different speeds) and a speedup by at most 25% per slice, so one fast stretch does not oversize the next slice. */
function sliceSizer(sliceMs = 4): { next(): number; timed<T>(chars: number, f: () => T): T } {
  let charsPerMs = 250;
  return {
    next: () => Math.max(256, Math.round(charsPerMs * sliceMs)),
    timed(chars, f) {
      const t0 = performance.now();
      const v = f();
      const rate = chars / Math.max(performance.now() - t0, 0.05);
      if (chars >= 256) charsPerMs = Math.min(rate, charsPerMs * 1.25, 50_000);
      return v;
    },
  };
}

/** Counts `text` slice by slice; yields (void) between slices so a driver can let the event loop run. */
export function* countSteps(text: string, counter: TokenCounter, options: SliceOptions = {}): Generator<void, number> {
  const sizer = sliceSizer(options.sliceMs);
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
export function* truncateSteps(text: string, maxTokens: number, suffix: string, counter: TokenCounter,
  options: SliceOptions = {}): Generator<void, Truncation> {
  const sizer = sliceSizer(options.sliceMs);
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
        return { text: text.slice(0, start) + kept, tokens: usedBefore[i] + withSuffix,
          prefixTokens: usedBefore[i] + counter.count(kept), truncated: true };
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
