// Independent merges the shipped one (src/core/tokens/linearMerge.ts) is checked against, over the same rank lookup:
// tiktoken's own loop (scan for the lowest-ranked pair, leftmost first, merge, repeat: O(n²)), and the plain heap
// merge Tally shipped before the pair memo and rank buckets (O(n log n), byte spans looked up as they are), which is
// fast enough to check 100,000-byte runs that the loop and js-tiktoken cannot.
import type { RankOf } from '../../src/core/tokens/pairRanks';

/** tiktoken's loop: merge the lowest-ranked adjacent pair, leftmost first, until no pair is a token. */
export function scanMerge(piece: Uint8Array, rankOf: RankOf): number[] {
  const starts = Array.from({ length: piece.length + 1 }, (_, i) => i);
  const rank = (i: number): number =>
    i + 2 < starts.length ? (rankOf(piece.subarray(starts[i], starts[i + 2])) ?? Infinity) : Infinity;
  const ranks = starts.map((_, i) => rank(i));
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 2 < starts.length; i++) if (ranks[i] < bestRank) [best, bestRank] = [i, ranks[i]];
    if (best < 0) break;
    starts.splice(best + 1, 1);
    ranks.splice(best + 1, 1);
    ranks[best] = rank(best);
    if (best > 0) ranks[best - 1] = rank(best - 1);
  }
  return starts.slice(0, -1).map((s, i) => rankOf(piece.subarray(s, starts[i + 1])) as number);
}

/** The plain heap merge: entries (rank, start) in a min-heap, stale ones skipped, every pair looked up by bytes. */
export function plainHeapMerge(piece: Uint8Array, rankOf: RankOf): number[] {
  const n = piece.length;
  const next = Array.from({ length: n + 1 }, (_, s) => s + 1);
  const prev = Array.from({ length: n + 1 }, (_, s) => s - 1);
  const pairRank = new Array<number>(n + 1).fill(Infinity);
  const alive = new Array<boolean>(n + 1).fill(true);
  const heap: Array<[number, number]> = [];
  const less = (a: [number, number], b: [number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const push = (e: [number, number]): void => {
    let i = heap.push(e) - 1;
    while (i > 0 && less(heap[i], heap[(i - 1) >> 1])) {
      [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1], heap[i]];
      i = (i - 1) >> 1;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0];
    const last = heap.pop() as [number, number];
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const c = l + 1 < heap.length && less(heap[l + 1], heap[l]) ? l + 1 : l;
        if (l >= heap.length || !less(heap[c], heap[i])) break;
        [heap[i], heap[c]] = [heap[c], heap[i]];
        i = c;
      }
    }
    return top;
  };
  const rankPair = (s: number): void => {
    const end = next[s] < n ? next[next[s]] : n + 1;
    pairRank[s] = end <= n ? (rankOf(piece.subarray(s, end)) ?? Infinity) : Infinity;
    if (pairRank[s] !== Infinity) push([pairRank[s], s]);
  };
  for (let s = 0; s < n - 1; s++) rankPair(s);
  while (heap.length > 0) {
    const [r, s] = pop();
    if (!alive[s] || pairRank[s] !== r) continue;
    const gone = next[s];
    alive[gone] = false;
    next[s] = next[gone];
    prev[next[gone]] = s;
    rankPair(s);
    if (prev[s] >= 0) rankPair(prev[s]);
  }
  const tokens: number[] = [];
  for (let s = 0; s < n; s = next[s]) tokens.push(rankOf(piece.subarray(s, next[s])) as number);
  return tokens;
}
