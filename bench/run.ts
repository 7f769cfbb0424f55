// `npm run bench` entry: prints every benchmark of issue 4 in one run and writes the table to bench/README-table.md.
//   node --import tsx bench/run.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchTokenizers, tokenizerTable } from './tokenizers';
import { benchTrimming, trimmingTable } from './trimming';

function main(): void {
  const started = performance.now();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '## Tally benchmarks',
    '',
    `Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} × ${cpu}, ${new Date().toISOString().slice(0, 10)}.`,
  ].join('\n');
  console.log(`${header}\n`);
  const tokenizers = tokenizerTable(benchTokenizers());
  console.log(`${tokenizers}\n`);
  const trimming = trimmingTable(benchTrimming());
  console.log(`${trimming}\n`);
  const footer = `Total bench time: ${((performance.now() - started) / 1000).toFixed(1)} s.`;
  console.log(footer);
  fs.writeFileSync(path.join(__dirname, 'README-table.md'), `${[header, tokenizers, trimming, footer].join('\n\n')}\n`);
}

main();
