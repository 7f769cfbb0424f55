// `npm run bench` entry: prints every benchmark in one run (ratios against a baseline measured in the same run, with
// the date and the machine) and writes the tables to bench/README-table.md.
//   node --import tsx bench/run.ts [--only tokenizers,trimming,store,cache,streaming,firstPaint,metrics,activation]
// scripts/bench.mjs builds dist/ first: the trimming bench counts through the worker bundle that ships.
import { benchCache, cacheTable } from './cache';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { activationTable, readActivation } from './activation';
import { benchFirstPaint, firstPaintTable } from './firstPaint';
import { benchMetrics, metricsTable } from './metrics';
import { benchStore, storeTable } from './store';
import { benchStreamRender, streamTable } from './streamRender';
import { benchTokenizers, tokenizerTable } from './tokenizers';
import { benchTrimming, trimmingTable } from './trimming';

const BENCHES: Record<string, () => Promise<string> | string> = {
  tokenizers: async () => tokenizerTable(await benchTokenizers()),
  trimming: async () => trimmingTable(await benchTrimming()),
  store: async () => storeTable(await benchStore()),
  cache: async () => cacheTable(await benchCache()),
  streaming: async () => streamTable(await benchStreamRender()),
  firstPaint: async () => firstPaintTable(await benchFirstPaint()),
  metrics: async () => metricsTable(await benchMetrics()),
  activation: () => activationTable(readActivation()),
};

async function main(): Promise<void> {
  const started = performance.now();
  const only = process.argv.find((_, i) => process.argv[i - 1] === '--only')?.split(',');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '## Tally benchmarks',
    '',
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; Node ${process.version}, ${os.platform()} ${os.arch()}, ` +
      `${os.cpus().length} cores (${cpu}), load average ${os.loadavg()[0].toFixed(1)} at start.`,
  ].join('\n');
  console.log(`${header}\n`);
  const tables = [header];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only && !only.includes(name)) continue;
    // One failing benchmark (e.g. a dependency mid-change) is reported in its place; the others still run.
    const table = await Promise.resolve()
      .then(bench)
      .catch((e: unknown) => `### ${name}: FAILED\n\n${e instanceof Error ? e.message : String(e)}`);
    console.log(`${table}\n`);
    tables.push(table);
  }
  const footer = `Total bench time: ${((performance.now() - started) / 1000).toFixed(1)} s.`;
  console.log(footer);
  if (!only) fs.writeFileSync(path.join(__dirname, 'README-table.md'), `${[...tables, footer].join('\n\n')}\n`);
}

void main();
