// Byte-pair merging of one long regex piece in O(n log n) instead of the O(n²) of the reference loop.
//
// tiktoken (and every JS port, gpt-tokenizer included) merges a piece by scanning all pairs for the lowest rank,
// merging it, and scanning again: n merges × n pairs. A piece is normally a few bytes, but a run with no split point
// in the regex (10,000 spaces, a long run of letters or CJK, a line of `=====`) is one piece, and 100,000 such
// characters took gpt-tokenizer ~30-60 s and js-tiktoken far longer. Here the same merges happen in the same order
// with a min-heap keyed by (rank, start): the reference loop merges the lowest rank and, among equal ranks, the
// leftmost pair; the heap pops exactly that pair, because entries are ordered by rank then start, and an entry
// whose pair changed since it was pushed is recognised as stale and skipped. So the tokens are identical (checked
// against js-tiktoken in test/unit/tokenEngine.test.ts), only the cost differs.

/** Rank of a byte sequence in the encoding, or undefined when it is not a token. */
export type RankOf = (bytes: Uint8Array) => number | undefined;

const NONE = Number.POSITIVE_INFINITY;
/** Keys pack (rank, start) into one number: rank × 2^32 + start stays below 2^53 for any rank < 2^21. */
const SHIFT = 2 ** 32;

/** Binary min-heap of numbers. */
class MinHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(v: number): void {
    const a = this.a;
    let i = a.push(v) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1] < a[l] ? l + 1 : l;
        if (a[c] >= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** The tokens of one piece (its UTF-8 bytes), merged exactly as tiktoken merges them. */
export function mergeBytePairs(piece: Uint8Array, rankOf: RankOf): number[] {
  const n = piece.length;
  // Parts are linked by their start offsets: next[s] is the start of the part after the one starting at s (n: none).
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  const pairRank = new Float64Array(n + 1).fill(NONE); // rank of (part at s) + (the part after it)
  const alive = new Uint8Array(n + 1);
  for (let s = 0; s <= n; s++) {
    next[s] = s + 1;
    prev[s] = s - 1;
    alive[s] = 1;
  }
  const heap = new MinHeap();
  const rankPair = (s: number): void => {
    const end = next[s] < n ? next[next[s]] : n + 1;
    const r = end <= n ? (rankOf(piece.subarray(s, end)) ?? NONE) : NONE;
    pairRank[s] = r;
    if (r !== NONE) heap.push(r * SHIFT + s);
  };
  for (let s = 0; s < n - 1; s++) rankPair(s);

  while (heap.size > 0) {
    const key = heap.pop();
    const s = key % SHIFT;
    const r = (key - s) / SHIFT;
    if (!alive[s] || pairRank[s] !== r) continue; // stale: this part changed since the entry was pushed
    const gone = next[s];
    alive[gone] = 0;
    next[s] = next[gone];
    prev[next[gone]] = s;
    rankPair(s);
    if (prev[s] >= 0) rankPair(prev[s]);
  }

  const tokens: number[] = [];
  for (let s = 0; s < n; s = next[s]) {
    const r = rankOf(piece.subarray(s, next[s]));
    if (r === undefined) throw new Error('byte-pair merge: a part is not a token');
    tokens.push(r);
  }
  return tokens;
}

/** Pieces up to this many bytes keep the library's own merge (faster when short); longer ones use the heap. */
export const LINEAR_MERGE_MIN_BYTES = 128;

interface BytePairCoreInternals {
  bytePairMerge(piece: Uint8Array): number[];
  getBpeRankFromBytes(bytes: Uint8Array): number | undefined;
}

/** Makes a gpt-tokenizer encoding merge long pieces with `mergeBytePairs`. It replaces one private method of its
 *  pinned version (package.json pins it exactly; the check below and the unit tests fail loudly if it changes). */
const installed = new WeakSet<object>();

export function installLinearMerge(encoding: object, minBytes = LINEAR_MERGE_MIN_BYTES): void {
  if (installed.has(encoding)) return;
  const core = (encoding as { bytePairEncodingCoreProcessor?: Partial<BytePairCoreInternals> })
    .bytePairEncodingCoreProcessor;
  if (!core || typeof core.bytePairMerge !== 'function' || typeof core.getBpeRankFromBytes !== 'function')
    throw new Error('gpt-tokenizer: its byte-pair core is not the one this version of Tally was built against');
  const original = core.bytePairMerge.bind(core);
  const rankOf = core.getBpeRankFromBytes.bind(core);
  core.bytePairMerge = (piece) => (piece.length > minBytes ? mergeBytePairs(piece, rankOf) : original(piece));
  installed.add(encoding);
}
