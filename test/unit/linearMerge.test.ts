// The merge of long pieces (src/core/tokens/linearMerge.ts) gives exactly the tokens of tiktoken's own loop: on toy
// vocabularies built to clash, on every run length 1…400 bytes (and longer samples) of the characters that make long
// pieces in both real encodings, and on 100,000-byte runs; its work grows linearly (counted, not timed); and the
// guard leaves the library's merge in place when the library is not the one it was built against.
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import {
  installLinearMerge,
  mergeBytePairs,
  encodingRanks,
  rankLookup,
  type BytePairCoreInternals,
} from '../../src/core/tokens/linearMerge';
import type { Encoding } from '../../src/core/tokens/models';
import { PairRanks, type RankOf } from '../../src/core/tokens/pairRanks';
import { plainHeapMerge, scanMerge } from '../support/mergeReferences';
import { seededRandom } from '../support/seededRandom';

const ENCODINGS: Encoding[] = ['o200k_base', 'cl100k_base'];
const cores = {} as Record<Encoding, BytePairCoreInternals>;
/** gpt-tokenizer's own merge (tiktoken's loop; the prototype's, whatever is installed on the instance). */
let libraryMerge: (core: BytePairCoreInternals, piece: Uint8Array) => number[];

before(async () => {
  // @ts-expect-error -- subpath export without types under node10 resolution (see src/core/tokens/encodings.ts)
  const o200k: { default: object } = await import('gpt-tokenizer/encoding/o200k_base');
  // @ts-expect-error -- as above
  const cl100k: { default: object } = await import('gpt-tokenizer/encoding/cl100k_base');
  for (const [e, api] of [
    ['o200k_base', o200k.default],
    ['cl100k_base', cl100k.default],
  ] as const) {
    cores[e] = (api as { bytePairEncodingCoreProcessor: BytePairCoreInternals }).bytePairEncodingCoreProcessor;
  }
  const proto = Object.getPrototypeOf(cores.o200k_base) as BytePairCoreInternals;
  libraryMerge = (core, piece) => proto.bytePairMerge.call(core, piece);
});

/** A toy vocabulary: all single bytes, plus multi-byte tokens with the given ranks. */
function toyRanks(tokens: string[]): RankOf {
  const vocab = new Map<string, number>();
  for (let b = 0; b < 256; b++) vocab.set(String.fromCharCode(b), 1000 + b);
  tokens.forEach((t, i) => vocab.set(t, i));
  return (bytes) => vocab.get(String.fromCharCode(...bytes));
}
const CLASHING = ['ab', 'ba', 'aa', 'bb', 'aab', 'abab', 'aaaa', 'bbab', 'abba', 'aaaaaaaa', 'ababab', 'baab'];
/** Joins ranked below their parts ('abc' below 'ab'): the rank buckets must hand over to the heap. */
const INVERTED = ['abc', 'cab', 'aab', 'ab', 'ca', 'aa', 'cc', 'abca', 'bcab', 'ccab'];

const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);
const randomPiece = (r: () => number, alphabet: string, max: number): Uint8Array =>
  bytesOf(
    Array.from({ length: 1 + Math.floor(r() * max) }, () => alphabet[Math.floor(r() * alphabet.length)]).join(''),
  );

describe('merge of long pieces: same tokens as tiktoken’s loop', () => {
  it('on 300 random pieces of a clashing vocabulary', () => {
    const rankOf = toyRanks(CLASHING);
    const r = seededRandom(42);
    for (let k = 0; k < 300; k++) {
      const piece = randomPiece(r, 'ab', 200);
      assert.deepEqual(mergeBytePairs(piece, rankOf), scanMerge(piece, rankOf), Buffer.from(piece).toString());
    }
  });

  it('on 300 random pieces of a vocabulary whose joins rank below their parts (the heap takes over)', () => {
    const ranks = new PairRanks(toyRanks(INVERTED));
    const r = seededRandom(7);
    for (let k = 0; k < 300; k++) {
      const piece = randomPiece(r, 'abc', 120);
      assert.deepEqual(mergeBytePairs(piece, ranks.rankOf, ranks), scanMerge(piece, ranks.rankOf));
    }
    assert.ok(ranks.heapFallbacks > 50, `${ranks.heapFallbacks} merges finished by the heap`);
  });

  // Every run length of the characters that make long pieces, at the merge itself (the regex would cut digits and
  // mixes; the merge must be right on any bytes), against gpt-tokenizer's own loop over the same vocabulary.
  const RUNS: Record<string, string> = {
    space: ' ',
    tab: '\t',
    newline: '\n',
    'space-tab': ' \t',
    'space-newline': '  \n',
    letter: 'a',
    letters: 'ab',
    digit: '7',
    CJK: '東',
    emoji: '😀',
    equals: '=',
  };
  for (const encoding of ENCODINGS) {
    for (const [name, unit] of Object.entries(RUNS)) {
      it(`${encoding}: ${name} runs of every length up to 400 bytes, and samples up to 3,000`, () => {
        const core = cores[encoding];
        const ranks = encodingRanks(core);
        const lengths = [...Array.from({ length: 400 }, (_, i) => i + 1), 512, 777, 1024, 1500, 2048, 3000];
        for (const bytes of lengths) {
          const text = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
          const piece = bytesOf(text).subarray(0, bytes);
          if (piece.length !== bytes) continue;
          // Cut mid-character (CJK, emoji) the bytes are not UTF-8: the merge works on bytes all the same.
          assert.deepEqual(mergeBytePairs(piece, ranks.rankOf, ranks), libraryMerge(core, piece), `${bytes} bytes`);
        }
        assert.equal(ranks.heapFallbacks, 0, 'the rank buckets never needed the heap');
      });
    }
  }
});

describe('merge of 100,000-byte runs', () => {
  const r = seededRandom(99);
  const pick = (alphabet: string[], n: number): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
  const CASES: Record<string, () => string> = {
    'spaces and tabs': () => pick([' ', ' ', ' ', ' ', '\t'], 100_000),
    'whitespace with newlines': () => pick([' ', ' ', '\n', '\t', '\r\n'], 100_000),
    'random letters': () => pick([...'abcdefghijklmnopqrstuvwxyz'], 100_000),
    'one letter': () => 'x'.repeat(100_000),
    digits: () => pick([...'0123456789'], 100_000),
    CJK: () => pick([...'東京タワーの高さは中文字符测试한국어'], 34_000),
    emoji: () => pick(['😀', '🎉', '👍🏽', '🧑‍💻'], 20_000),
  };
  for (const encoding of ENCODINGS) {
    for (const [name, make] of Object.entries(CASES)) {
      it(`${encoding}: ${name}: same tokens as the plain heap merge; no adjacent pair left that is a token`, () => {
        const core = cores[encoding];
        const rankOf = rankLookup(core);
        const piece = bytesOf(make());
        assert.ok(piece.length >= 80_000);
        const tokens = mergeBytePairs(piece, rankOf, encodingRanks(core));
        assert.deepEqual(
          tokens,
          plainHeapMerge(piece, (b) => core.getBpeRankFromBytes(b)),
        );
        // tiktoken's loop stops only when no adjacent pair joins into a token.
        const lengths = tokens.map((t) => (decodeBytes(core, t) ?? new Uint8Array()).length);
        let at = 0;
        for (let i = 0; i + 1 < tokens.length; i++) {
          const end = at + lengths[i] + lengths[i + 1];
          assert.equal(rankOf(piece.subarray(at, end)), undefined, `tokens ${i} and ${i + 1} still join`);
          at += lengths[i];
        }
        assert.equal(at + lengths[lengths.length - 1], piece.length, 'the tokens cover the piece');
      });
    }
  }
});

/** The bytes of one token. */
function decodeBytes(core: BytePairCoreInternals, token: number): Uint8Array | undefined {
  const value = (core as unknown as { tryDecodeToken(t: number): string | Uint8Array | undefined }).tryDecodeToken(
    token,
  );
  return typeof value === 'string' ? bytesOf(value) : value;
}

describe('work grows linearly (counted)', () => {
  it('rank lookups and library lookups per byte stay flat from 20,000 to 80,000 bytes', () => {
    const rankOf = toyRanks(CLASHING);
    const work = (n: number): { lookups: number; misses: number } => {
      const ranks = new PairRanks(rankOf);
      const r = seededRandom(n);
      mergeBytePairs(
        new Uint8Array(n).map(() => (r() < 0.5 ? 97 : 98)),
        rankOf,
        ranks,
      );
      return ranks;
    };
    const small = work(20_000);
    const large = work(80_000);
    assert.ok(small.lookups <= 4 * 20_000, `${small.lookups} lookups for 20,000 bytes`);
    assert.ok(large.lookups <= 4 * 80_000, `${large.lookups} lookups for 80,000 bytes`);
    assert.ok(large.lookups / small.lookups < 4.5, `4× the input costs ${(large.lookups / small.lookups).toFixed(2)}×`);
    assert.ok(large.misses <= 200, `${large.misses} library lookups: the memo answers repeated pairs`);
  });
});

describe('the guard around the library', () => {
  it('installs on the pinned gpt-tokenizer, both encodings', () => {
    for (const encoding of ENCODINGS) {
      const api = { bytePairEncodingCoreProcessor: cores[encoding] };
      assert.equal(installLinearMerge(api), true, encoding);
      const merge = cores[encoding].bytePairMerge;
      assert.notEqual(merge, Object.getPrototypeOf(cores[encoding]).bytePairMerge, 'replaced on the instance');
      // Another wrapper object over the same core does not wrap the merge a second time.
      assert.equal(installLinearMerge({ bytePairEncodingCoreProcessor: cores[encoding] }), true);
      assert.equal(cores[encoding].bytePairMerge, merge);
    }
  });

  it('leaves an encoding alone when the internals it replaces are missing', () => {
    const merge = (): number[] => [1];
    const core = { bytePairMerge: merge };
    assert.equal(installLinearMerge({ bytePairEncodingCoreProcessor: core }), false);
    assert.equal(installLinearMerge({}), false);
    assert.equal(core.bytePairMerge, merge);
  });

  it('leaves the library’s merge in place when the heap merge would disagree with it', () => {
    const real = cores.o200k_base;
    const merge = (piece: Uint8Array): number[] => libraryMerge(real, piece);
    const core = {
      bytePairMerge: merge,
      getBpeRankFromString: (s: string) => real.getBpeRankFromString(s),
      // A lookup that no longer matches the library's merge (as if the vocabulary had changed under it).
      getBpeRankFromBytes: (b: Uint8Array) => (b.length > 1 ? undefined : real.getBpeRankFromBytes(b)),
    };
    assert.equal(installLinearMerge({ bytePairEncodingCoreProcessor: core }), false);
    assert.equal(core.bytePairMerge, merge);
  });
});
