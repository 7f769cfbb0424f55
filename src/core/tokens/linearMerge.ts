// Byte-pair merging of one long regex piece in O(n log n) instead of the O(n²) of the reference loop.
//
// tiktoken (and every JS port, gpt-tokenizer included) merges a piece by scanning all pairs for the lowest rank,
// merging it, and scanning again: n merges × n pairs. A piece is normally a few bytes, but a run with no split point
// in the regex (10,000 spaces, a long run of letters or CJK, a line of `=====`) is one piece, and 100,000 such
// characters took gpt-tokenizer ~30-60 s and js-tiktoken far longer. Here the same merges happen in the same order:
// the reference loop merges the lowest rank and, among equal ranks, the leftmost pair; so do the rank buckets below
// (and the heap keyed by (rank, start) that takes over in the one case the buckets do not handle), and a pair that
// changed since it was ranked is recognised as stale and skipped. So the tokens are identical (checked against the
// reference loop and a plain heap merge in test/unit/linearMerge.test.ts, against js-tiktoken in tokenEngine.test.ts),
// only the cost differs. Nothing is split: the whole piece is merged at once, so no cut has to be proven safe.
//
// Constant factors (a 100,000-character run must cost at most 10× as much prose, issue #12): each part is tracked
// by its token, so the rank of a pair is looked up by two integers in a memo (pairRanks.ts) rather than by turning
// bytes into a string; the parts live in typed arrays; pairs wait in one bucket per rank, not one heap entry each.
import { NOT_A_TOKEN, PairRanks, type RankOf } from './pairRanks';

export type { RankOf } from './pairRanks';

/** Heap keys pack (rank, start) into one number: rank × 2^32 + start stays below 2^53 for any rank < 2^21. */
const SHIFT = 2 ** 32;

/** The parts of a piece being merged, linked by their start offsets. */
interface Parts {
  piece: Uint8Array;
  n: number;
  /** next[s]: start of the part after the one starting at s (n: none); prev[s]: the one before (-1: none). */
  next: Int32Array;
  prev: Int32Array;
  /** The token of the part starting at s. */
  token: Int32Array;
  /** Rank of (part at s) + (the part after it); NOT_A_TOKEN if none, or if s no longer starts a part. */
  pairRank: Int32Array;
  ranks: PairRanks;
}

/** Re-ranks the pair starting at s after a merge changed it. */
function rerank(p: Parts, s: number): number {
  const m = p.next[s];
  const r = m < p.n ? p.ranks.join(p.token[s], p.token[m], p.piece, s, p.next[m]) : NOT_A_TOKEN;
  p.pairRank[s] = r;
  return r;
}

/** Merges the pair starting at s (rank r) into one part. */
function mergeAt(p: Parts, s: number, r: number): void {
  const gone = p.next[s];
  p.pairRank[gone] = NOT_A_TOKEN;
  p.token[s] = r;
  p.next[s] = p.next[gone];
  p.prev[p.next[gone]] = s;
}

/**
 * The merges in rank buckets: every pair waits in the bucket of its rank, ranks are taken lowest first (a heap of
 * the distinct ranks, far fewer than the pairs), and a bucket is sorted by start when its turn comes, so its pairs
 * merge leftmost first. A merge at s creates new pairs only at s and at the part before it, both left of every pair
 * still waiting in the bucket: a new pair of the current rank goes on a stack that is emptied (leftmost on top)
 * before the bucket continues; one of a higher rank joins its own bucket. If a merge creates a pair of a LOWER rank
 * than the current one (never seen in the tiktoken encodings, but not excluded), this returns false and the heap
 * merge finishes from the current state, which is always complete.
 */
function mergeByRank(p: Parts): boolean {
  const buckets = new Map<number, number[]>();
  const rankHeap: number[] = [];
  const add = (r: number, s: number): void => {
    const bucket = buckets.get(r);
    if (bucket) bucket.push(s);
    else {
      buckets.set(r, [s]);
      heapPush(rankHeap, r);
    }
  };
  for (let s = 0; s < p.n - 1; s++) {
    const r = rerank(p, s);
    if (r !== NOT_A_TOKEN) add(r, s);
  }
  const stack: number[] = [];
  while (rankHeap.length > 0) {
    const r = heapPop(rankHeap);
    const starts = Int32Array.from(buckets.get(r) ?? []).sort();
    buckets.delete(r);
    for (let k = 0; k < starts.length || stack.length > 0;) {
      const s = stack.length > 0 ? (stack.pop() as number) : starts[k++];
      if (p.pairRank[s] !== r) continue; // stale: this part changed (or was merged away) since it was ranked
      mergeAt(p, s, r);
      // The pair at s first, then the one before it: the stack then has the leftmost on top.
      for (let t = s, i = 0; i < 2 && t >= 0; t = p.prev[s], i++) {
        const rt = rerank(p, t);
        if (rt === NOT_A_TOKEN) continue;
        if (rt < r) return false;
        if (rt === r) stack.push(t);
        else add(rt, t);
      }
    }
  }
  return true;
}

/** The general merge: a min-heap of (rank, start) over the pairs of the current state, stale entries skipped. */
function mergeWithHeap(p: Parts): void {
  const heap: number[] = [];
  for (let s = 0; s < p.n; s = p.next[s]) if (p.pairRank[s] !== NOT_A_TOKEN) heapPush(heap, p.pairRank[s] * SHIFT + s);
  while (heap.length > 0) {
    const key = heapPop(heap);
    const r = Math.floor(key / SHIFT);
    const s = key - r * SHIFT;
    if (p.pairRank[s] !== r) continue;
    mergeAt(p, s, r);
    for (let t = s, i = 0; i < 2 && t >= 0; t = p.prev[s], i++) {
      const rt = rerank(p, t);
      if (rt !== NOT_A_TOKEN) heapPush(heap, rt * SHIFT + t);
    }
  }
}

/** The tokens of one piece (its UTF-8 bytes), merged exactly as tiktoken merges them. `ranks` may be shared between
 *  calls with the same encoding (it is a memo); by default a fresh one over `rankOf`. */
export function mergeBytePairs(piece: Uint8Array, rankOf: RankOf, ranks = new PairRanks(rankOf)): number[] {
  const n = piece.length;
  const p: Parts = {
    piece,
    n,
    next: new Int32Array(n + 1),
    prev: new Int32Array(n + 1),
    token: new Int32Array(n + 1),
    pairRank: new Int32Array(n + 1).fill(NOT_A_TOKEN),
    ranks,
  };
  const byteTokens = ranks.byteTokens();
  for (let s = 0; s < n; s++) {
    p.next[s] = s + 1;
    p.prev[s] = s - 1;
    p.token[s] = byteTokens[piece[s]];
    if (p.token[s] === NOT_A_TOKEN) throw new Error('byte-pair merge: a byte is not a token');
  }
  if (!mergeByRank(p)) {
    ranks.heapFallbacks++;
    mergeWithHeap(p);
  }
  const tokens: number[] = [];
  for (let s = 0; s < n; s = p.next[s]) tokens.push(p.token[s]);
  return tokens;
}

/** Binary min-heap of numbers in a plain array. */
function heapPush(a: number[], v: number): void {
  let i = a.push(v) - 1;
  while (i > 0) {
    const q = (i - 1) >> 1;
    if (a[q] <= v) break;
    a[i] = a[q];
    i = q;
  }
  a[i] = v;
}

function heapPop(a: number[]): number {
  const top = a[0];
  const last = a.pop() as number;
  const size = a.length;
  if (size === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const c = l + 1 < size && a[l + 1] < a[l] ? l + 1 : l;
    if (a[c] >= last) break;
    a[i] = a[c];
    i = c;
  }
  a[i] = last;
  return top;
}

/** Pieces up to this many bytes keep the library's own merge (faster when short); longer ones use the heap. */
export const LINEAR_MERGE_MIN_BYTES = 128;

export interface BytePairCoreInternals {
  bytePairMerge(piece: Uint8Array): number[];
  getBpeRankFromBytes(bytes: Uint8Array): number | undefined;
  getBpeRankFromString(text: string): number | undefined;
}

/** The library's rank lookup by bytes, with a shortcut for ASCII bytes (the string is the bytes; the library would
 *  validate them as UTF-8 and run a TextDecoder first). */
export function rankLookup(core: BytePairCoreInternals): RankOf {
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return core.getBpeRankFromBytes(bytes);
    return core.getBpeRankFromString(String.fromCharCode.apply(null, bytes as unknown as number[]));
  };
}

/** The pair memo for one encoding. A miss is answered from the two tokens' text when both are text (most are: the
 *  join of two UTF-8 strings is the UTF-8 of their concatenation, which is what the library looks up), else from
 *  the bytes. */
export function encodingRanks(core: BytePairCoreInternals): PairRanks {
  const text = (core as { bytePairRankDecoder?: unknown }).bytePairRankDecoder;
  const decoder = Array.isArray(text) ? (text as unknown[]) : [];
  return new PairRanks(rankLookup(core), (a, b) => {
    const x = decoder[a];
    const y = decoder[b];
    return typeof x === 'string' && typeof y === 'string'
      ? (core.getBpeRankFromString(x + y) ?? NOT_A_TOKEN)
      : undefined;
  });
}

/** Pieces the heap merge must merge exactly as the library does before it replaces the library's merge. */
const SELF_CHECK = [' '.repeat(300), '\t \n'.repeat(60), 'ab'.repeat(150), 'Tally '.repeat(40), '東京'.repeat(50)];

const installed = new WeakSet<object>();

/**
 * Makes a gpt-tokenizer encoding merge long pieces with `mergeBytePairs`, by replacing one private method of its
 * pinned version (package.json pins it exactly). Guarded: if the internals are not the expected ones, or the heap
 * merge disagrees with the library's own merge on a few long pieces, nothing is replaced and the library's merge
 * (correct, only slower on long runs) stays. Returns whether the heap merge is in place; the unit tests require it.
 */
export function installLinearMerge(encoding: object, minBytes = LINEAR_MERGE_MIN_BYTES): boolean {
  const core = (encoding as { bytePairEncodingCoreProcessor?: Partial<BytePairCoreInternals> })
    .bytePairEncodingCoreProcessor;
  if (!hasInternals(core)) return false;
  if (installed.has(core)) return true;
  const original = core.bytePairMerge.bind(core);
  const ranks = encodingRanks(core);
  const agree = (text: string): boolean => {
    const bytes = new TextEncoder().encode(text);
    try {
      return sameTokens(mergeBytePairs(bytes, ranks.rankOf, ranks), original(bytes));
    } catch {
      return false;
    }
  };
  if (!SELF_CHECK.every(agree)) return false;
  core.bytePairMerge = (piece) =>
    piece.length > minBytes ? mergeBytePairs(piece, ranks.rankOf, ranks) : original(piece);
  installed.add(core);
  return true;
}

function hasInternals(core: Partial<BytePairCoreInternals> | undefined): core is BytePairCoreInternals {
  return (
    !!core &&
    typeof core.bytePairMerge === 'function' &&
    typeof core.getBpeRankFromBytes === 'function' &&
    typeof core.getBpeRankFromString === 'function'
  );
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
