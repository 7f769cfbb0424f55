// Counting engines side by side in one process (issue #12 item 1): js-tiktoken (the reference) and gpt-tokenizer
// (what ships) on the main thread, and the shipped path itself, the token-count worker. Every iteration counts
// fresh text (new seed, or letters rotated so no piece repeats: gpt-tokenizer caches merged pieces), the engines
// take turns within each iteration, every case takes a turn in each run, and each figure is the median over RUNS with
// its spread (min–max).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformSync } from 'esbuild';
import { loadEncoding } from '../src/core/tokens/encodings';
import { createWorkerCounter, type WorkerTokenCounter } from '../src/core/tokens/tokenCountWorker';
import type { TokenCounter } from '../src/core/tokens/tokenCounter';
import { loadTiktokenReference } from '../test/support/tiktokenReference';
import { CASES, mixedCorpus } from './tokenizerCorpus';

const RUNS = 5;
type Engine = 'js-tiktoken' | 'gpt-tokenizer' | 'worker';
const ENGINES: Engine[] = ['js-tiktoken', 'gpt-tokenizer', 'worker'];

export interface CaseResult {
  name: string;
  chars: number;
  /** ms per run, per engine; absent when the engine was not run on this case (see `skipped`). */
  ms: Partial<Record<Engine, number[]>>;
  tokens: Partial<Record<Engine, number>>;
  skipped?: string;
}

export interface HostThread {
  /** Longest gap between ticks of a 1 ms timer (includes the OS running other processes on a busy machine). */
  longestGapMs: number;
  gapCase: string;
  /** Longest synchronous step of a count on this thread (posting the text to the worker), wall clock. */
  longestPostMs: number;
  postCase: string;
  /** The same step's longest CPU time: what it costs, without the OS's turns for other processes. */
  longestPostCpuMs: number;
}

export interface TokenizerBench {
  versions: Record<'js-tiktoken' | 'gpt-tokenizer', string>;
  loadMs: Record<'js-tiktoken' | 'gpt-tokenizer', number>;
  cases: CaseResult[];
  identical: boolean;
  /** This thread while the worker counted every case and 1 MB of mixed text. */
  host: HostThread;
  workerPath: string;
}

function version(lib: string): string {
  const pkg: unknown = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../node_modules', lib, 'package.json'), 'utf8'),
  );
  return (pkg as { version: string }).version;
}

/** A minified bundle (markdown-it minified by esbuild), ~100 KB. */
function minifiedBundle(): string {
  const src = fs.readFileSync(path.resolve(__dirname, '../node_modules/markdown-it/dist/markdown-it.cjs.js'), 'utf8');
  return transformSync(src, { minify: true, loader: 'js' }).code.slice(0, 100_000);
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
}

/** The shipped worker: the bundle when built (npm run bench builds dist/ first), else the source under tsx. */
function shippedWorker(): { counter: WorkerTokenCounter; workerPath: string } {
  const bundle = path.resolve(__dirname, '../dist/lazy/tokenCountWorker.js');
  if (fs.existsSync(bundle))
    return {
      counter: createWorkerCounter({ workerPath: bundle, encoding: 'o200k_base' }),
      workerPath: 'dist/lazy/tokenCountWorker.js',
    };
  const source = path.resolve(__dirname, '../src/core/tokens/tokenCountWorker.ts');
  return {
    counter: createWorkerCounter({ workerPath: source, encoding: 'o200k_base', preload: 'tsx/cjs' }),
    workerPath: 'src/core/tokens/tokenCountWorker.ts (tsx)',
  };
}

/** Longest gap between ticks of a 1 ms timer on this thread while `work` runs. */
async function longestGap(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

export async function benchTokenizers(): Promise<TokenizerBench> {
  const [tiktoken, tiktokenLoad] = await timed(() => loadTiktokenReference('o200k_base'));
  const [gpt, gptLoad] = await timed(() => loadEncoding('o200k_base'));
  const { counter: worker, workerPath } = shippedWorker();
  const minified = minifiedBundle();
  const sync: Record<'js-tiktoken' | 'gpt-tokenizer', TokenCounter> = { 'js-tiktoken': tiktoken, 'gpt-tokenizer': gpt };
  try {
    await worker.count('warm up'); // loads the encoding in the worker
    const cases = CASES(minified);
    const results: CaseResult[] = cases.map((c) => ({
      name: c.name,
      chars: c.text(0).length,
      ms: {},
      tokens: {},
      skipped: c.skipReference,
    }));
    let identical = true;
    // Runs outermost: every case (and every engine within it) takes a turn in each run, so a machine that slows down
    // mid-bench slows every case alike, and the ratio of a case to prose can be taken run by run.
    for (let run = 0; run < RUNS; run++) {
      for (const [i, c] of cases.entries()) {
        const result = results[i];
        const text = c.text(run + 1);
        const counts: number[] = [];
        for (const engine of ENGINES) {
          if (engine === 'js-tiktoken' && c.skipReference) continue;
          const [n, ms] = await timed(() => (engine === 'worker' ? worker.count(text) : sync[engine].count(text)));
          (result.ms[engine] ??= []).push(ms);
          result.tokens[engine] = n;
          counts.push(n);
        }
        if (counts.some((n) => n !== counts[0])) identical = false;
      }
      console.error(`  tokenizers: run ${run + 1} of ${RUNS} done`);
    }
    // The host thread while the worker counts: each case once more (fresh text), and 1 MB of mixed text, with a 1 ms
    // timer watching for gaps, and the host's own synchronous share of a count (posting the text) timed directly.
    const host: HostThread = { longestGapMs: 0, gapCase: '', longestPostMs: 0, postCase: '', longestPostCpuMs: 0 };
    for (const [name, text] of [
      ...cases.map((c) => [c.name, c.text(RUNS + 1)] as const),
      ['mixed 1 MB', mixedCorpus(1_000_000, 99)] as const,
    ]) {
      let postMs = 0;
      let postCpuMs = 0;
      const gap = await longestGap(() => {
        // The worker is idle here (counts are awaited one by one), so the process's CPU time is this thread's.
        const [t0, cpu0] = [performance.now(), process.cpuUsage()];
        const pending = worker.count(text);
        const cpu = process.cpuUsage(cpu0);
        postMs = performance.now() - t0;
        postCpuMs = (cpu.user + cpu.system) / 1000;
        return pending;
      });
      if (gap > host.longestGapMs) [host.longestGapMs, host.gapCase] = [gap, name];
      if (postMs > host.longestPostMs) [host.longestPostMs, host.postCase] = [postMs, name];
      host.longestPostCpuMs = Math.max(host.longestPostCpuMs, postCpuMs);
    }
    return {
      versions: { 'js-tiktoken': version('js-tiktoken'), 'gpt-tokenizer': version('gpt-tokenizer') },
      loadMs: { 'js-tiktoken': tiktokenLoad, 'gpt-tokenizer': gptLoad },
      cases: results,
      identical,
      host,
      workerPath,
    };
  } finally {
    await worker.dispose();
  }
}

const fmt = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs: number[]): string => `${fmt(Math.min(...xs), 0)}–${fmt(Math.max(...xs), 0)}`;

function cell(r: CaseResult, e: Engine): string {
  const ms = r.ms[e];
  if (!ms) return 'not run';
  const mbps = r.chars / 1e6 / (median(ms) / 1000);
  return `${fmt(median(ms), 0)} ms (${spread(ms)}), ${fmt(mbps, 2)} Mchar/s`;
}

export function tokenizerTable(b: TokenizerBench): string {
  const byName = new Map(b.cases.map((c) => [c.name, c]));
  const ratio = (name: string, num: Engine, den: Engine): number =>
    median(byName.get(name)?.ms[num] ?? [NaN]) / median(byName.get(name)?.ms[den] ?? [NaN]);
  // Ratio to prose run by run (the runs are interleaved): median and spread.
  const prose = byName.get('prose')?.ms.worker ?? [];
  const runRatio = (name: string): string => {
    const ratios = (byName.get(name)?.ms.worker ?? []).map((ms, i) => ms / prose[i]);
    return ratios.length ? `${fmt(median(ratios))}× (${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))})` : 'n/a';
  };
  const skipped = b.cases.filter((c) => c.skipped).map((c) => `${c.name}: ${c.skipped}`);
  return [
    `### Counting: o200k_base, median of ${RUNS} interleaved runs on fresh text (spread min–max)`,
    '',
    `| text | chars | js-tiktoken ${b.versions['js-tiktoken']} | gpt-tokenizer ${b.versions['gpt-tokenizer']} (+ linear merge) | shipped worker | tokens |`,
    '|---|---:|---:|---:|---:|---:|',
    ...b.cases.map(
      (r) =>
        `| ${r.name} | ${r.chars.toLocaleString('en-US')} | ${cell(r, 'js-tiktoken')} | ${cell(r, 'gpt-tokenizer')} | ${cell(r, 'worker')} | ${(r.tokens.worker ?? 0).toLocaleString('en-US')} |`,
    ),
    '',
    `Counts identical across engines on every run: ${b.identical ? 'yes' : 'NO'}. ` +
      `Mixed 1 MB: js-tiktoken / shipped worker time ${fmt(ratio('mixed code + prose', 'js-tiktoken', 'worker'))}× ` +
      `(js-tiktoken / gpt-tokenizer on this thread ${fmt(ratio('mixed code + prose', 'js-tiktoken', 'gpt-tokenizer'))}×). ` +
      `Load: js-tiktoken ${fmt(b.loadMs['js-tiktoken'], 0)} ms, gpt-tokenizer ${fmt(b.loadMs['gpt-tokenizer'], 0)} ms.`,
    `Long runs in the worker vs 100,000 chars of prose, run by run (median, min–max): whitespace ` +
      `${runRatio('100,000 whitespace')}, letters without spaces ${runRatio('100,000 letters, no spaces')} (bound: 10×). ` +
      `Host thread while the worker counted each case and 1 MB: longest own step (posting the text) ` +
      `${fmt(b.host.longestPostMs)} ms wall (${b.host.postCase}), ${fmt(b.host.longestPostCpuMs)} ms CPU; longest gap of a 1 ms timer ${fmt(b.host.longestGapMs)} ms (${b.host.gapCase}; ` +
      `includes other processes' turns on a busy machine) (bound: 16 ms). Worker: ${b.workerPath}.`,
    ...(skipped.length ? [`Not run on js-tiktoken: ${skipped.join('; ')}.`] : []),
  ].join('\n');
}

if (require.main === module) {
  void benchTokenizers().then((b) => console.log(tokenizerTable(b)));
}
