// package.mjs: `npm run package`: a production build packed into .cache/tally.vsix with @vscode/vsce, at most 2 MiB.
//   1. ensure node_modules (scripts/ensureDeps.mjs)
//   2. node esbuild.js --production (minified, no source maps)
//   3. vsce package --no-dependencies (esbuild already bundled them) --skip-license --no-rewrite-relative-links
//      --out .cache/tally.vsix
//      (.vscodeignore decides what goes in: package.json, README, media/, dist/ without maps)
//   4. print the size and the largest files; exit 1 above 2 MiB or without the l10n files (REQUIRED_ENTRIES)
// Options: --out <file.vsix> (default .cache/tally.vsix), --no-build (pack the dist/ that is there).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensureDeps.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MAX_VSIX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_VSIX = path.join(REPO, '.cache', 'tally.vsix');

function run(cmd, args) {
  const shown = [
    cmd === process.execPath ? 'node' : cmd,
    ...args.map((a) => (path.isAbsolute(a) ? path.relative(REPO, a) : a)),
  ];
  console.log(`$ ${shown.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`package: ${shown.slice(0, 3).join(' ')} exited with ${r.status ?? r.signal}`);
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

// Files the .vsix must hold besides dist/: the manifest's strings in each language and the runtime string bundles
// (issue #15), so a .vscodeignore slip cannot ship an English-only Tally. A zip's central directory stores each
// entry's name as plain bytes, so finding the name in the file is enough.
const REQUIRED_ENTRIES = ['package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json'];

function missingEntries(vsix) {
  const zip = fs.readFileSync(vsix);
  return REQUIRED_ENTRIES.filter((name) => !zip.includes(`extension/${name}`));
}

/** Build and pack; returns { file, bytes }. Throws when a step fails or the .vsix is larger than 2 MiB. */
export function packageVsix({ out = DEFAULT_VSIX, build = true } = {}) {
  ensureDeps();
  if (build) run(process.execPath, ['esbuild.js', '--production']);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.rmSync(out, { force: true });
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  // --no-rewrite-relative-links: the repository is not on GitHub/GitLab, so vsce cannot make README links absolute
  // (it would fail on README images); inside the .vsix they stay relative.
  run(process.execPath, [
    vsce,
    'package',
    '--no-dependencies',
    '--skip-license',
    '--no-rewrite-relative-links',
    '--out',
    out,
  ]);
  const bytes = fs.statSync(out).size;
  const verdict = bytes <= MAX_VSIX_BYTES ? 'within' : 'OVER';
  console.log(
    `package: ${path.relative(REPO, out)} is ${bytes} bytes (${kib(bytes)}), ${verdict} the limit of ${kib(MAX_VSIX_BYTES)}`,
  );
  if (bytes > MAX_VSIX_BYTES) throw new Error(`package: ${path.relative(REPO, out)} is larger than 2 MiB`);
  const missing = missingEntries(out);
  if (missing.length) throw new Error(`package: ${path.relative(REPO, out)} lacks ${missing.join(', ')}`);
  return { file: out, bytes };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--out');
  try {
    packageVsix({ out: i >= 0 ? path.resolve(argv[i + 1]) : DEFAULT_VSIX, build: !argv.includes('--no-build') });
  } catch (e) {
    console.error(e.message);
    process.exitCode = 1;
  }
}
