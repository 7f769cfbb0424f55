// buildTests.mjs: bundle the integration tests for the extension host with esbuild:
//   test/integration/**/*.ts -> out/integration/**/*.js (platform node, cjs, source maps; `vscode` and `mocha` external:
//   the extension host provides `vscode`, and mocha is loaded from node_modules by index.js).
// Each file is its own bundle (imports of src/** and test/support/** are bundled in), so index.js finds the tests as
// *.test.js files next to it. out/integration is emptied first, so deleted tests do not linger.
//   node scripts/buildTests.mjs                  CLI
//   import { buildTests } from './buildTests.mjs'
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function listTs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return listTs(p);
      return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
    })
    .sort();
}

/** Returns the list of files written (relative to the repo). */
export async function buildTests({ repo = REPO } = {}) {
  const { build } = await import('esbuild'); // after ensureDeps, from the project's node_modules
  const srcDir = path.join(repo, 'test', 'integration');
  const outDir = path.join(repo, 'out', 'integration');
  const entryPoints = listTs(srcDir);
  if (entryPoints.length === 0) throw new Error(`buildTests: no .ts files in ${srcDir}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repo,
    entryPoints,
    outbase: srcDir,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  buildTests().then(
    (files) => {
      console.log(`buildTests: ${files.length} files -> out/integration in ${Date.now() - t0} ms`);
    },
    (e) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
