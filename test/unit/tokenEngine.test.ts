// The shipped counting engine (gpt-tokenizer with the O(n log n) merge of long pieces) gives exactly the counts of
// js-tiktoken, the reference, for both encodings: on a corpus of the hard cases and on long runs without a split.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadEncoding } from '../../src/core/tokens/encodings';
import { LINEAR_MERGE_MIN_BYTES, mergeBytePairs, type RankOf } from '../../src/core/tokens/linearMerge';
import type { Encoding } from '../../src/core/tokens/models';
import type { TokenCounter } from '../../src/core/tokens/tokenCounter';
import { loadTiktokenReference } from '../support/tiktokenReference';

const ENCODINGS: Encoding[] = ['o200k_base', 'cl100k_base'];
const shipped = {} as Record<Encoding, TokenCounter>;
const reference = {} as Record<Encoding, TokenCounter>;
before(async () => {
  for (const e of ENCODINGS) {
    shipped[e] = await loadEncoding(e);
    reference[e] = await loadTiktokenReference(e);
  }
});

/** Deterministic pseudo-random numbers (LCG), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const CASES: Record<string, string> = {
  'special-token text': 'a <|endoftext|> b <|im_start|>user<|im_sep|>hi<|im_end|> <|fim_prefix|><|endofprompt|>',
  'emoji and ZWJ sequences': '👨‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 👍🏽 tone, 🧑‍💻 coder, ❤️‍🔥, 🇫🇷🇯🇵, 😀😀😀😀😀',
  CJK: '東京タワーの高さは333メートルです。お誕生日おめでとう！中文字符测试，한국어 텍스트입니다.',
  digits: '1234567890 3.14159 1e-9 0xFF 0001112223334445556667778889990 ١٢٣٤٥ 12,345,678.90',
  'whitespace runs': 'a  b   c\t\t\td \n\n\n e \r\n\r\n   \n    x' + ' '.repeat(40) + 'y\n' + '\t'.repeat(20),
  code: 'export function f(a: number): number {\n  return a ** 2; // square\n}\n<div class="x">{{ y }}</div>\n',
  'minified code': 'function(e,t){var n=e.length;for(var r=0;r<n;r++){if(t(e[r]))return r}return-1};a&&b||c?d:e;',
};

describe('shipped engine counts equal js-tiktoken (the reference)', () => {
  for (const encoding of ENCODINGS) {
    for (const [name, text] of Object.entries(CASES)) {
      it(`${encoding}: ${name}`, () => {
        assert.equal(shipped[encoding].count(text), reference[encoding].count(text));
      });
    }

    it(`${encoding}: 300 random mixed lines and their concatenation`, () => {
      const r = rng(encoding.length);
      const parts = Object.values(CASES);
      const lines: string[] = [];
      for (let i = 0; i < 300; i++) {
        const a = parts[Math.floor(r() * parts.length)];
        const from = Math.floor(r() * a.length);
        lines.push(a.slice(from, from + 1 + Math.floor(r() * 60)));
      }
      for (const line of lines) assert.equal(shipped[encoding].count(line), reference[encoding].count(line), line);
      const all = lines.join('\n');
      assert.equal(shipped[encoding].count(all), reference[encoding].count(all));
    });

    // Long runs are single regex pieces: above LINEAR_MERGE_MIN_BYTES they take the heap merge. Sizes stay small
    // because the reference's own merge is quadratic (the bench measures the 100,000-character runs).
    const runs: Array<[string, string]> = [
      ['spaces', ' '.repeat(700)],
      ['spaces then a word', ' '.repeat(500) + 'word'],
      ['tabs and newlines', '\t \n'.repeat(200)],
      ['letters', 'ab'.repeat(300)],
      ['one letter', 'x'.repeat(600)],
      ['mixed-case letters', 'AbcDefGhiJklMnoPqrStuVwxYz'.repeat(20)],
      ['CJK', '東京タワーの高さ'.repeat(10)],
      ['equals signs', '='.repeat(500)],
      ['punctuation', '.-_*'.repeat(120)],
      ['accented letters', 'éàüß'.repeat(60)],
    ];
    for (const [name, text] of runs) {
      it(`${encoding}: a run without split points (${name}, ${text.length} chars)`, () => {
        assert.ok(Buffer.byteLength(text) > LINEAR_MERGE_MIN_BYTES, 'long enough to take the heap merge');
        assert.equal(shipped[encoding].count(text), reference[encoding].count(text));
        const max = Math.floor(reference[encoding].count(text) / 2);
        assert.equal(shipped[encoding].truncate(text, max), reference[encoding].truncate(text, max));
      });
    }
  }
});

/** The reference loop (tiktoken's): merge the lowest-ranked adjacent pair, leftmost first, until none is a token. */
function scanMerge(piece: Uint8Array, rankOf: RankOf): number[] {
  const starts = Array.from({ length: piece.length + 1 }, (_, i) => i);
  const rank = (i: number): number =>
    i + 2 < starts.length ? (rankOf(piece.subarray(starts[i], starts[i + 2])) ?? Infinity) : Infinity;
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 2 < starts.length; i++) {
      const r = rank(i);
      if (r < bestRank) [best, bestRank] = [i, r];
    }
    if (best < 0) break;
    starts.splice(best + 1, 1);
  }
  return starts.slice(0, -1).map((s, i) => rankOf(piece.subarray(s, starts[i + 1])) as number);
}

/** A toy vocabulary: all single bytes, plus a few multi-byte tokens with deliberately clashing ranks. */
function toyRanks(): RankOf {
  const vocab = new Map<string, number>();
  for (let b = 0; b < 256; b++) vocab.set(String.fromCharCode(b), 1000 + b);
  ['ab', 'ba', 'aa', 'bb', 'aab', 'abab', 'aaaa', 'bbab', 'abba', 'aaaaaaaa', 'ababab', 'baab'].forEach((t, i) =>
    vocab.set(t, i),
  );
  return (bytes) => vocab.get(String.fromCharCode(...bytes));
}

describe('heap merge (linearMerge.ts)', () => {
  it('merges exactly like the reference loop on 300 random pieces of a clashing vocabulary', () => {
    const rankOf = toyRanks();
    const r = rng(42);
    for (let k = 0; k < 300; k++) {
      const piece = new Uint8Array(1 + Math.floor(r() * 200)).map(() => (r() < 0.5 ? 97 : 98));
      assert.deepEqual(mergeBytePairs(piece, rankOf), scanMerge(piece, rankOf), Buffer.from(piece).toString());
    }
  });

  it('does O(n) rank lookups on a long run (20,000 and 80,000 bytes), where the scan would do O(n²)', () => {
    const rankOf = toyRanks();
    const lookups = (n: number): number => {
      let calls = 0;
      mergeBytePairs(new Uint8Array(n).fill(97), (b) => (calls++, rankOf(b)));
      return calls;
    };
    const small = lookups(20_000);
    const large = lookups(80_000);
    assert.ok(small <= 4 * 20_000, `${small} lookups for 20,000 bytes`);
    assert.ok(large <= 4 * 80_000, `${large} lookups for 80,000 bytes`);
    assert.ok(large / small < 4.5, `4× the input costs ${(large / small).toFixed(2)}× the lookups`);
  });
});

describe('loading', () => {
  it('importing the token modules loads no tokenizer library (each encoding loads on first use)', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        ['tokenizers', 'encodings', 'linearMerge', 'chatFormat', 'slicing', 'contextFit', 'tokenCountWorker']
          .map((m) => `require('./src/core/tokens/${m}');`)
          .join(' ') +
          'console.log(Object.keys(require.cache).filter((k) => /gpt-tokenizer|js-tiktoken/.test(k)).length)',
      ],
      { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' },
    );
    assert.equal(out.trim(), '0');
  });
});
