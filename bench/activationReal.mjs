// Tally's activation in the real extension host in ~30 s, without the whole integration suite: bundles only
// test/integration/activation*.test.ts (into .cache/activation-int/), runs them in code-server's extension host
// (the same harness as runIntegration.mjs), and prints the record activationTime.test.ts saved
// (.cache/bench/activation.json: bundle evaluation, activate() and activate()'s steps).
//   node esbuild.js && node bench/activationReal.mjs [extension folder, default this repo]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extension = path.resolve(process.argv[2] ?? REPO);
const require = createRequire(path.join(REPO, 'package.json'));
const { build } = require('esbuild');
const { runTests } = require('@vscode/test-electron');

const outdir = path.join(REPO, '.cache', 'activation-int');
fs.rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: REPO,
  entryPoints: {
    index: 'test/integration/index.ts',
    'activation.test': 'test/integration/activation.test.ts',
    'activationTime.test': 'test/integration/activationTime.test.ts',
  },
  outdir, // inside the repo: index.js loads mocha from node_modules
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
await runTests({
  vscodeExecutablePath: path.join(REPO, 'test', 'support', 'realVscode', 'vscodeShim.mjs'),
  extensionDevelopmentPath: extension,
  extensionTestsPath: path.join(outdir, 'index.js'),
  launchArgs: [path.join(REPO, 'test', 'fixtures', 'workspace')],
});
const r = JSON.parse(fs.readFileSync(path.join(extension, '.cache', 'bench', 'activation.json'), 'utf8'));
const steps = Object.entries(r.timing?.steps ?? {})
  .map(([k, ms]) => `${k} ${ms.toFixed(1)}`)
  .join(', ');
console.log(
  `activation: own ${r.ownMs.toFixed(1)} ms = bundle ${r.bundleMs.toFixed(1)} + activate() ${r.activateMs.toFixed(1)}` +
    (steps ? ` (${steps})` : ''),
);
