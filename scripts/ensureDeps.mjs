// ensureDeps.mjs: make sure node_modules matches package-lock.json, installing only when needed. Node built-ins only
// (it runs before anything is installed).
//
//   node scripts/ensureDeps.mjs            CLI: exit 0 when node_modules is ready
//   import { ensureDeps } from './ensureDeps.mjs'; await ensureDeps();
//
// Install (`npm ci`, or `npm install` when there is no package-lock.json) when
//   * node_modules is missing, or
//   * the lock's sha256 differs from the one stored in node_modules/.tally-deps-hash by the last install, AND npm's
//     own record of what is installed (node_modules/.package-lock.json) does not match the lock either (so a tree that
//     someone already brought up to date with `npm install` is adopted instead of reinstalled).
// The hash is written only after a successful install, so an interrupted one is redone next time.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HASH_FILE = '.tally-deps-hash';

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

// The lock's hash; without a lock, the hash of package.json's dependency sections.
function depsHash(repo) {
  const lock = path.join(repo, 'package-lock.json');
  const hash = createHash('sha256');
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  else {
    const pkg = readJson(path.join(repo, 'package.json')) ?? {};
    hash.update(JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies, pkg.overrides]));
  }
  return hash.digest('hex');
}

// True when npm's hidden lockfile says every package of the lock is installed at the locked version (optional
// packages of other platforms may be absent) and nothing else is.
function installedTreeMatchesLock(repo) {
  const lock = readJson(path.join(repo, 'package-lock.json'))?.packages;
  const installed = readJson(path.join(repo, 'node_modules', '.package-lock.json'))?.packages;
  if (!lock || !installed) return false;
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '' || !key.includes('node_modules/')) continue; // the root and workspace links
    const have = installed[key];
    if (!have) {
      if (entry.optional || entry.peer) continue;
      return false;
    }
    if (have.version !== entry.version) return false;
  }
  return Object.keys(installed).every((key) => key in lock);
}

/**
 * Ensure node_modules is installed and current. Returns { installed: boolean, reason: string }.
 * Throws when the install fails.
 */
export function ensureDeps({ repo = REPO, log = console.log } = {}) {
  const nodeModules = path.join(repo, 'node_modules');
  const hashFile = path.join(nodeModules, HASH_FILE);
  const want = depsHash(repo);
  let reason;
  if (!fs.existsSync(nodeModules)) reason = 'node_modules is missing';
  else if (fs.existsSync(hashFile) && fs.readFileSync(hashFile, 'utf8').trim() === want) {
    return { installed: false, reason: 'node_modules is up to date' };
  } else if (installedTreeMatchesLock(repo)) {
    fs.writeFileSync(hashFile, `${want}\n`);
    return { installed: false, reason: 'node_modules already matches package-lock.json' };
  } else
    reason = fs.existsSync(hashFile)
      ? 'package-lock.json changed since the last install'
      : 'node_modules was not installed by this script';

  const hasLock = fs.existsSync(path.join(repo, 'package-lock.json'));
  const args = [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund'];
  log(`ensureDeps: ${reason}: npm ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync('npm', args, { cwd: repo, stdio: 'inherit', env: process.env });
  if (r.error) throw new Error(`ensureDeps: could not run npm: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`ensureDeps: npm ${args[0]} exited with ${r.status ?? r.signal}`);
  fs.writeFileSync(hashFile, `${depsHash(repo)}\n`); // npm install may have written the lock: hash it now
  log(`ensureDeps: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { installed: true, reason };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { installed, reason } = ensureDeps();
    if (!installed) console.log(`ensureDeps: ${reason}`);
  } catch (e) {
    console.error(e.message);
    process.exitCode = 1;
  }
}
