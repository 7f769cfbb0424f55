// npm run bench: installs what is missing, builds dist/ (the trimming bench counts through the token-count worker
// bundle that ships, dist/lazy/tokenCountWorker.js), then runs the benchmarks (bench/run.ts). Each benchmark prints
// ratios against a baseline measured in the same run; the tables are also written to bench/README-table.md.
//   npm run bench [-- --only trimming,store]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensureDeps.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureDeps({ repo });
const built = spawnSync(process.execPath, ['esbuild.js'], { cwd: repo, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], {
  cwd: repo,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
