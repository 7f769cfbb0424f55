// js-tiktoken vs gpt-tokenizer, both o200k_base, side by side in one run: load time, memory, throughput, and
// whether they agree. Each library is measured in its own child process (`--child <lib>`) so that load time and
// memory are not disturbed by the other one.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Lib = 'js-tiktoken' | 'gpt-tokenizer';
export const LIBS: readonly Lib[] = ['js-tiktoken', 'gpt-tokenizer'];

/** Deterministic pseudo-random numbers (LCG). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const CODE = [
  'export function fitContext(options: FitOptions): FitResult {\n  const budget = options.budgetTokens;\n',
  '  for (let i = history.length - 1; i >= 0; i--) {\n    if (total + counts[i] > budget) break;\n  }\n',
  'def num_tokens(messages, model="gpt-4o"):\n    enc = tiktoken.encoding_for_model(model)\n    return sum(len(enc.encode(m)) for m in messages)\n',
  '<div class="panel" data-id="42"><span>{{ message.content }}</span></div>\n',
  'SELECT u.id, COUNT(*) AS n FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id HAVING n > 3;\n',
  '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,"max_tokens":512}\n',
];
const PROSE = [
  'The quick brown fox jumps over the lazy dog, and then it rests for a while under the old oak tree. ',
  "It's not that the budget was exceeded; it's that nobody could see it happening until the invoice arrived. ",
  'Tokens are not words: a long identifier may cost five of them, while a common word costs one. ',
  '\n\n## Notes\n\n- First point.\n- Second point, with `inline code` and a [link](https://example.com/a?b=1).\n\n',
];
const UNICODE = [
  'Größenänderung für naïve Café-Besucher. ',
  '東京タワーの高さは333メートルです。',
  'お誕生日おめでとう！🎉🎂 ',
  'Привет, как дела? ',
  'مرحبا بالعالم ',
  'नमस्ते दुनिया ',
  '😀👍🏽🚀 ',
  'Ελληνικά γράμματα ',
  '한국어 텍스트 ',
];

/** ~`bytes` of UTF-8: about half code, a third prose, the rest other scripts and emoji. */
export function mixedCorpus(bytes = 1_000_000, seed = 2024): string {
  const r = rng(seed);
  const out: string[] = [];
  let size = 0;
  while (size < bytes) {
    const x = r();
    const pool = x < 0.5 ? CODE : x < 0.83 ? PROSE : UNICODE;
    const piece = pool[Math.floor(r() * pool.length)];
    out.push(piece);
    size += Buffer.byteLength(piece);
  }
  return out.join('');
}

export interface TokenizerResult {
  lib: Lib;
  version: string;
  loadMs: number;
  heapMB: number;
  rssMB: number;
  mbPerSec: number;
  corpusMB: number;
  total: number;
  /** Counts of ~100 consecutive chunks, to compare the libraries piece by piece. */
  chunks: number[];
}

function version(lib: Lib): string {
  // Read from disk: js-tiktoken's "exports" does not expose package.json.
  const pkg: unknown = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../node_modules', lib, 'package.json'), 'utf8'),
  );
  return (pkg as { version: string }).version;
}

type CountFn = (text: string) => number;

async function load(
  lib: Lib,
  loadEncoding: typeof import('../src/core/tokens/encodings').loadEncoding,
): Promise<CountFn> {
  if (lib === 'js-tiktoken') {
    const counter = await loadEncoding('o200k_base'); // Tally's loader: js-tiktoken/lite + the o200k_base ranks
    return (t) => counter.count(t);
  }
  // Loaded here, not at the top, so that its load is what gets timed. Its "./encoding/*" subpath has no types under
  // node10 resolution and its typed "./cjs/*" subpath is require-only, hence require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const g = require('gpt-tokenizer/cjs/encoding/o200k_base') as typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
  return (t) => g.countTokens(t);
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (n: number): number => n / 1e6;

/** Child side: measure one library and print its result as JSON. */
async function child(lib: Lib): Promise<void> {
  const corpus = mixedCorpus();
  const corpusMB = mb(Buffer.byteLength(corpus));
  const { loadEncoding } = await import('../src/core/tokens/encodings'); // compiled by tsx before timing; loads no tokenizer
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const count = await load(lib, loadEncoding);
  count('warm'); // some libraries finish initialising on first use
  const loadMs = performance.now() - t0;
  gc();
  const after = process.memoryUsage();

  const runs: number[] = [];
  let total = 0;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    total = count(corpus);
    runs.push(performance.now() - s);
  }
  runs.sort((a, b) => a - b);
  const step = Math.ceil(corpus.length / 100);
  const chunks: number[] = [];
  for (let i = 0; i < corpus.length; i += step) chunks.push(count(corpus.slice(i, i + step)));
  const result: TokenizerResult = {
    lib,
    version: version(lib),
    loadMs,
    heapMB: mb(after.heapUsed - before.heapUsed),
    rssMB: mb(after.rss - before.rss),
    mbPerSec: corpusMB / (runs[1] / 1000),
    corpusMB,
    total,
    chunks,
  };
  process.stdout.write(JSON.stringify(result));
}

/** Parent side: run both children one after the other. */
export function benchTokenizers(): TokenizerResult[] {
  return LIBS.map((lib) => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', lib], {
      cwd: path.resolve(__dirname, '..'),
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(out) as TokenizerResult;
  });
}

const fmt = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function tokenizerTable(results: TokenizerResult[]): string {
  const [a, b] = results;
  const same =
    a.total === b.total && a.chunks.length === b.chunks.length && a.chunks.every((n, i) => n === b.chunks[i]);
  const lines = [
    `### Tokenizers: o200k_base on a ${fmt(a.corpusMB, 2)} MB mixed corpus (code, prose, other scripts, emoji)`,
    '',
    '| library | load (ms) | heap Δ after load (MB) | RSS Δ after load (MB) | throughput (MB/s) | tokens |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.lib} ${r.version} | ${fmt(r.loadMs, 0)} | ${fmt(r.heapMB)} | ${fmt(r.rssMB)} | ${fmt(r.mbPerSec, 2)} | ${r.total.toLocaleString('en-US')} |`,
    ),
    '',
    `Counts identical: ${same ? 'yes' : 'NO'} (whole corpus and ${a.chunks.length} chunks compared). ` +
      `gpt-tokenizer / js-tiktoken throughput: ${fmt(b.mbPerSec / a.mbPerSec)}×; load time ratio js-tiktoken / gpt-tokenizer: ${fmt(a.loadMs / b.loadMs)}×.`,
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    void child(process.argv[i + 1] as Lib);
  } else {
    console.log(tokenizerTable(benchTokenizers()));
  }
}
