// npm run bench: installs what is missing, then runs the benchmarks (bench/run.ts). Each benchmark prints ratios
// against a baseline measured in the same run; the table is also written to bench/README-table.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensureDeps.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureDeps({ repo });
const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], {
  cwd: repo,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
