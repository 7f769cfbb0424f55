// Tally's own activation time in the real extension host. It cannot be measured honestly from plain Node (a stub
// `vscode` module is not the host: different process, warm or cold Intl/crypto, no real configuration or storage), so
// the integration suite measures it (test/integration/activationTime.test.ts, from src/host/activationTiming.ts) and
// saves it to .cache/bench/activation.json; this reads the last record and says how old it is.
//   refresh it: npm test -- --only integration
import * as fs from 'node:fs';
import * as path from 'node:path';
import { f } from './stats';

export interface ActivationRecord {
  recordedAt: string;
  vscode: string;
  node: string;
  cores: number;
  bundleMs: number;
  activateMs: number;
  ownMs: number;
  /** activate()'s steps in milliseconds (src/host/activationTiming.ts), when the record has them. */
  timing?: { steps?: Record<string, number> };
}

export const ACTIVATION_RECORD = path.resolve(__dirname, '../.cache/bench/activation.json');

export function readActivation(file = ACTIVATION_RECORD): ActivationRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ActivationRecord;
  } catch {
    return undefined;
  }
}

export function activationTable(r: ActivationRecord | undefined, now = Date.now()): string {
  const title = '### Activation: Tally’s own time in the real extension host (goal ≤ 50 ms)';
  if (!r)
    return `${title}\n\nNot recorded yet: the integration suite records it (npm test -- --only integration), then run the bench again.`;
  const ageH = (now - Date.parse(r.recordedAt)) / 3_600_000;
  return [
    title,
    '',
    '| bundle evaluation (ms) | activate() (ms) | own time (ms) | measured in |',
    '|---:|---:|---:|---|',
    `| ${f(r.bundleMs, 1)} | ${f(r.activateMs, 1)} | ${f(r.ownMs, 1)} | VS Code ${r.vscode}, Node ${r.node}, ${r.cores} cores |`,
    ...(r.timing?.steps
      ? [
          '',
          `activate() by step (ms): ${Object.entries(r.timing.steps)
            .map(([step, ms]) => `${step} ${f(ms, 1)}`)
            .join(', ')}.`,
        ]
      : []),
    '',
    `From the last integration run, ${r.recordedAt} (${ageH < 1 ? 'less than an hour' : `${f(ageH)} hours`} ago). ` +
      'Own time = the bundle’s first line to its last module, plus activate() until it returns; not included: the host ' +
      'reading and compiling dist/extension.js, and the work activate() starts in the background (ledger, last conversation).',
  ].join('\n');
}

if (require.main === module) console.log(activationTable(readActivation()));
