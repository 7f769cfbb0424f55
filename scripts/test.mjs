// test.mjs: `npm test`, the one test command (also what .ci/run runs). From a fresh clone it installs what it needs,
// then runs every kind of test, stopping at the first failing step:
//   deps         node_modules (scripts/ensureDeps.mjs: npm ci when missing or when package-lock.json changed)
//   setup        real VS Code: Debian packages if missing, Node 24, code-server 4.139.1 (test/support/realVscode/setup.sh)
//   typecheck    npm run typecheck
//   lint         npm run lint
//   build        node esbuild.js
//   unit         node --import tsx --test --test-reporter=spec test/unit/**/*.test.ts (plain Node)
//   integration  test/integration bundled (scripts/buildTests.mjs), run by @vscode/test-electron in a real VS Code
//                extension host (test/support/realVscode/runIntegration.mjs)
//   package      npm run package (.cache/tally.vsix, at most 2 MiB)
//   e2e          every test/e2e/**/*.e2e.ts (node --import tsx): the .vsix in real VS Code, driven in real Chromium
// The last line is the count of tests run: `tally: N passed, N failed` (a failing step that reports no test counts as
// one failure). Exit code 0 only when every step passed.
//
//   npm test                              everything
//   npm test -- --only unit,integration   just these steps (in pipeline order; alias: ui = e2e)
//   npm test -- --list                    the steps
// The environment is passed on to every step (and so reaches the extension host), e.g.
//   TALLY_VSCODE_TIMEOUT=600 TALLY_KEEP_RUNS=1 npm test -- --only integration
// Only Node built-ins at top level: it runs before node_modules exists.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensureDeps.mjs';
import { CACHE } from '../test/support/realVscode/chromium.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.execPath;
const rel = (p) => path.relative(REPO, p);

function findFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return findFiles(p, suffix);
      return e.isFile() && e.name.endsWith(suffix) ? [p] : [];
    })
    .sort();
}

// Counting what a step's output says. Each returns { passed, failed } or undefined when the output has no result.
const lastMatch = (text, re) => {
  let m, last;
  const g = new RegExp(re.source, 'gm');
  while ((m = g.exec(text))) last = m;
  return last;
};
const counts = {
  // node --test's spec reporter ends with "ℹ pass N" / "ℹ fail N" (and "ℹ cancelled N": counted as failed)
  nodeSpec(text) {
    const pass = lastMatch(text, /^ℹ pass (\d+)$/),
      fail = lastMatch(text, /^ℹ fail (\d+)$/);
    if (!pass || !fail) return undefined;
    return {
      passed: Number(pass[1]),
      failed: Number(fail[1]) + Number(lastMatch(text, /^ℹ cancelled (\d+)$/)?.[1] ?? 0),
    };
  },
  // test/integration/index.ts and the e2e files print one machine-readable line per VS Code run: summed (the
  // integration step makes several runs: the main suite and the restart phases)
  resultLine(tag) {
    return (text) => {
      const all = [...text.matchAll(new RegExp(`${tag} passed=(\\d+) failed=(\\d+)`, 'g'))];
      if (all.length === 0) return undefined;
      return all.reduce((t, m) => ({ passed: t.passed + Number(m[1]), failed: t.failed + Number(m[2]) }), {
        passed: 0,
        failed: 0,
      });
    };
  },
};

// Runs one command, output passed through (stdin closed: nothing may prompt) and kept for counting.
let current;
function exec(cmd, args) {
  console.log(`$ ${[cmd === NODE ? 'node' : cmd, ...args.map((a) => (path.isAbsolute(a) ? rel(a) : a))].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    current = child;
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('error', (e) => {
      out += `\n${e.message}\n`;
      console.error(e.message);
    });
    child.on('close', (code, signal) => {
      current = undefined;
      resolve({ ok: code === 0, code: code ?? signal, out: stripVTControlCharacters(out) }); // no colour codes
    });
  });
}

// A step returns { ok, passed?, failed?, note? }.
const STEPS = [
  {
    name: 'deps',
    title: 'dependencies',
    async run() {
      const r = ensureDeps();
      return { ok: true, note: r.installed ? 'installed' : 'up to date' };
    },
  },
  {
    name: 'setup',
    title: 'real VS Code setup (code-server 4.139.1, Node 24, Chromium)',
    run: () => exec('bash', [path.join(REPO, 'test', 'support', 'realVscode', 'setup.sh')]),
  },
  { name: 'typecheck', title: 'typecheck', run: () => exec('npm', ['run', '--silent', 'typecheck']) },
  { name: 'lint', title: 'lint', run: () => exec('npm', ['run', '--silent', 'lint']) },
  { name: 'build', title: 'build (esbuild)', run: () => exec(NODE, ['esbuild.js']) },
  {
    name: 'unit',
    title: 'unit tests (plain Node)',
    async run() {
      const files = findFiles(path.join(REPO, 'test', 'unit'), '.test.ts');
      if (files.length === 0) return { ok: true, passed: 0, failed: 0, note: 'no test/unit/**/*.test.ts' };
      const r = await exec(NODE, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
      return { ...r, ...counts.nodeSpec(r.out) };
    },
  },
  {
    name: 'integration',
    title: 'integration tests (real VS Code extension host, @vscode/test-electron)',
    async run() {
      const built = await exec(NODE, [path.join(REPO, 'scripts', 'buildTests.mjs')]);
      if (!built.ok) return built;
      const r = await exec(NODE, [path.join(REPO, 'test', 'support', 'realVscode', 'runIntegration.mjs')]);
      const version = lastMatch(r.out, /VS Code (\d+\.\d+\.\d+\S*) \(([^)\n]+)\)/);
      if (version) vscodeVersion = `VS Code ${version[1]} (${version[2]})`;
      const c = counts.resultLine('TALLY_MOCHA_RESULT')(r.out);
      return {
        ...r,
        ...c,
        note: c ? undefined : 'no TALLY_MOCHA_RESULT line: VS Code did not start or the test module failed',
      };
    },
  },
  { name: 'package', title: 'package (.vsix, at most 2 MiB)', run: () => exec('npm', ['run', '--silent', 'package']) },
  {
    name: 'e2e',
    alias: 'ui',
    title: 'UI tests (real VS Code in real Chromium)',
    async run() {
      const files = findFiles(path.join(REPO, 'test', 'e2e'), '.e2e.ts');
      if (files.length === 0) return { ok: true, passed: 0, failed: 0, note: 'no test/e2e/**/*.e2e.ts' };
      const total = { ok: true, passed: 0, failed: 0 };
      for (const f of files) {
        const r = await exec(NODE, ['--import', 'tsx', f]);
        const c = counts.resultLine('TALLY_E2E_RESULT')(r.out) ?? { passed: 0, failed: 1 }; // no line: one failure
        if (!r.ok && c.failed === 0) c.failed = 1;
        total.passed += c.passed;
        total.failed += c.failed;
        total.ok &&= r.ok;
        if (interrupted) break;
      }
      return total;
    },
  },
];
let vscodeVersion;
let interrupted = false;

function parseArgs(argv) {
  const known = new Map(STEPS.flatMap((s) => [[s.name, s], ...(s.alias ? [[s.alias, s]] : [])]));
  let selected = STEPS;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list') {
      for (const s of STEPS) console.log(`${s.name.padEnd(12)} ${s.title}`);
      process.exit(0);
    } else if (a === '--help' || a === '-h') {
      console.log('usage: npm test [-- --only step,step] [-- --list]');
      process.exit(0);
    } else if (a === '--only' || a.startsWith('--only=')) {
      const names = (a === '--only' ? (argv[++i] ?? '') : a.slice(7))
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      const unknown = names.filter((n) => !known.has(n));
      if (unknown.length || names.length === 0) {
        console.error(
          `unknown step(s): ${unknown.join(', ') || '(none given)'}; steps: ${STEPS.map((s) => s.name).join(', ')}`,
        );
        process.exit(2);
      }
      const wanted = new Set(names.map((n) => known.get(n)));
      selected = STEPS.filter((s) => wanted.has(s));
    } else {
      console.error(`unknown option ${a} (try --help)`);
      process.exit(2);
    }
  }
  return selected;
}

const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const steps = parseArgs(process.argv.slice(2));
  process.on('SIGINT', () => {
    interrupted = true;
    current?.kill('SIGINT');
  });
  process.on('SIGTERM', () => {
    interrupted = true;
    current?.kill('SIGTERM');
  });
  const inRepoCache = path.join(REPO, '.cache', 'vscode');
  console.log('='.repeat(100));
  console.log(`Tally test pipeline: ${steps.map((s) => s.name).join(' -> ')}`);
  console.log(`  repo ${REPO}, node ${process.version}, ${process.env.CI ? 'CI' : 'local'}`);
  console.log(
    `  real-VS-Code cache ${CACHE}${CACHE !== inRepoCache && !process.env.TALLY_VSCODE_HOME ? ` (${inRepoCache} would be longer than 58 characters)` : ''}`,
  );
  console.log('='.repeat(100));

  const t0 = Date.now();
  const results = [];
  let passed = 0,
    failed = 0;
  for (const [i, step] of steps.entries()) {
    console.log(`\n── [${i + 1}/${steps.length}] ${step.name}: ${step.title}`);
    const started = Date.now();
    let r;
    try {
      r = await step.run();
    } catch (e) {
      console.error(e.message);
      r = { ok: false };
    }
    if (interrupted) r = { ...r, ok: false, note: 'interrupted' };
    // A failing step that reports no failed test (a type error, a crash, a step that counts nothing) is one failure.
    const stepFailed = (r.failed ?? 0) + (!r.ok && !(r.failed > 0) ? 1 : 0);
    passed += r.passed ?? 0;
    failed += stepFailed;
    const ms = Date.now() - started;
    const tests = r.passed !== undefined ? `, ${r.passed} passed, ${r.failed ?? 0} failed` : '';
    results.push({ name: step.name, ok: r.ok, ms, tests, note: r.note });
    console.log(`── ${r.ok ? 'ok  ' : 'FAIL'} ${step.name} in ${fmt(ms)}${tests}${r.note ? ` (${r.note})` : ''}`);
    if (!r.ok) break;
  }

  console.log(`\n${'='.repeat(100)}`);
  for (const s of results)
    console.log(
      `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name.padEnd(12)} ${fmt(s.ms).padStart(8)}${s.tests}${s.note ? ` (${s.note})` : ''}`,
    );
  for (const s of steps.slice(results.length)) console.log(`  --   ${s.name.padEnd(12)}  not run`);
  console.log(`  total ${fmt(Date.now() - t0)}`);
  if (vscodeVersion) console.log(`  extension-host suite ran in ${vscodeVersion}`);
  else if (steps.some((s) => s.name === 'integration'))
    console.log('  extension-host suite: no VS Code version reported');
  const ok = results.length === steps.length && results.every((s) => s.ok) && failed === 0;
  console.log(`tally: ${passed} passed, ${failed} failed`);
  return interrupted ? 130 : ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    console.log('tally: 0 passed, 1 failed');
    process.exitCode = 1;
  },
);
