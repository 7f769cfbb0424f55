// Memo of byte-pair ranks keyed by the two tokens being joined, for the heap merge (linearMerge.ts).
//
// Every part of a piece being merged is a token, and the bytes of "token a followed by token b" depend on a and b
// only, so the rank of their join is a function of (a, b). Asking the library instead means turning the byte span
// into a string (UTF-8 validation, TextDecoder) and hashing it, on every candidate pair: that was most of the time
// of a long run. Here the answer is looked up by two integers in an open-addressing table of typed arrays (no
// allocation per lookup), and the library is asked only on a miss. The table is bounded: it doubles up to
// MAX_BITS and is emptied when full, so it never holds more than a few MB.

/** Rank of a byte sequence in the encoding, or undefined when it is not a token. */
export type RankOf = (bytes: Uint8Array) => number | undefined;

const EMPTY = -1;
/** Returned for a pair whose join is not a token. */
export const NOT_A_TOKEN = -1;
const MAX_BITS = 18; // 262,144 slots × 12 bytes ≈ 3 MB

export class PairRanks {
  /** Lookups answered so far (hits and misses): the work count the tests assert on. */
  lookups = 0;
  /** Lookups the library had to answer (misses). */
  misses = 0;
  /** Merges that met a pair ranked below the one being merged and were finished by the general heap merge. */
  heapFallbacks = 0;
  private bits: number;
  private keysA: Int32Array;
  private keysB: Int32Array;
  private ranks: Int32Array;
  private size = 0;
  private readonly singleByte = new Int32Array(256).fill(EMPTY - 1);

  /**
   * @param rankOf the encoding's lookup by bytes.
   * @param joinOf optional faster lookup by the two tokens: the rank of their join, NOT_A_TOKEN, or undefined when
   *   it cannot tell (then `rankOf` is asked).
   */
  constructor(
    readonly rankOf: RankOf,
    private readonly joinOf?: (a: number, b: number) => number | undefined,
    initialBits = 12,
  ) {
    this.bits = Math.min(initialBits, MAX_BITS);
    this.keysA = new Int32Array(1 << this.bits).fill(EMPTY);
    this.keysB = new Int32Array(1 << this.bits);
    this.ranks = new Int32Array(1 << this.bits);
  }

  /** The token of each single byte, NOT_A_TOKEN where there is none (every byte is a token in the tiktoken
   *  encodings). */
  byteTokens(): Int32Array {
    if (this.singleByte[0] === EMPTY - 1)
      for (let b = 0; b < 256; b++) this.singleByte[b] = this.rankOf(Uint8Array.of(b)) ?? NOT_A_TOKEN;
    return this.singleByte;
  }

  /** Rank of the join of tokens `a` and `b`, whose bytes are `piece[start, end)`; NOT_A_TOKEN if it is none. */
  join(a: number, b: number, piece: Uint8Array, start: number, end: number): number {
    this.lookups++;
    const mask = (1 << this.bits) - 1;
    let i = hash(a, b) & mask;
    for (;;) {
      const k = this.keysA[i];
      if (k === EMPTY) break;
      if (k === a && this.keysB[i] === b) return this.ranks[i];
      i = (i + 1) & mask;
    }
    this.misses++;
    const rank = this.joinOf?.(a, b) ?? this.rankOf(piece.subarray(start, end)) ?? NOT_A_TOKEN;
    if (2 * (this.size + 1) > 1 << this.bits) {
      this.resize(this.bits < MAX_BITS ? this.bits + 1 : this.bits);
      return this.insert(a, b, rank);
    }
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.ranks[i] = rank;
    this.size++;
    return rank;
  }

  private insert(a: number, b: number, rank: number): number {
    const mask = (1 << this.bits) - 1;
    let i = hash(a, b) & mask;
    while (this.keysA[i] !== EMPTY) i = (i + 1) & mask;
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.ranks[i] = rank;
    this.size++;
    return rank;
  }

  /** Doubles the table, or empties it when it is at its largest (a memo: forgetting costs misses, not answers). */
  private resize(bits: number): void {
    const [keysA, keysB, ranks] = [this.keysA, this.keysB, this.ranks];
    const grow = bits > this.bits;
    this.bits = bits;
    this.keysA = new Int32Array(1 << bits).fill(EMPTY);
    this.keysB = new Int32Array(1 << bits);
    this.ranks = new Int32Array(1 << bits);
    this.size = 0;
    if (!grow) return;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== EMPTY) this.insert(keysA[i], keysB[i], ranks[i]);
  }
}

function hash(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  return h ^ (h >>> 15);
}
