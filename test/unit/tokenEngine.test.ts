// The shipped counting engine (gpt-tokenizer with the O(n log n) merge of long pieces) gives exactly the counts of
// js-tiktoken, the reference, for both encodings: on a corpus of the hard cases and on long runs without a split.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadEncoding } from '../../src/core/tokens/encodings';
import { LINEAR_MERGE_MIN_BYTES } from '../../src/core/tokens/linearMerge';
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
    // The same runs inside text: the regex cuts around them, and the pieces either side carry their edges.
    runs.push(
      ['spaces between words', 'word' + ' '.repeat(200) + 'next ' + ' '.repeat(180) + '\n'],
      ['tabs between lines', 'x\n' + '\t'.repeat(150) + '\ny' + '\t \n'.repeat(60) + 'z'],
      ['letters between spaces', 'foo ' + 'q'.repeat(160) + ' bar ' + 'Zy'.repeat(90) + '.'],
      ['CJK in a sentence', 'See: ' + '中文字符测试'.repeat(12) + ' (done)'],
      ['digits and equals', 'v=' + '1234567890'.repeat(20) + ' ' + '='.repeat(150) + ' end'],
    );
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
