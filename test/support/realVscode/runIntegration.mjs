// runIntegration.mjs: `npm test`'s integration step, after scripts/buildTests.mjs. It runs out/integration/index.js
// in a real VS Code extension host through the standard @vscode/test-electron runTests(), whose "VS Code
// executable" is vscodeShim.mjs (code-server 4.139.1 + Chromium; nothing is downloaded).
//   node test/support/realVscode/runIntegration.mjs      exit code 0 = every run passed
// Env: TALLY_VSCODE_TIMEOUT (seconds, default 300); TALLY_INTEGRATION_ONLY=<part of a file name> runs just those
// main-suite files and no restart suite (working on one feature); everything else in the environment reaches the extension host.
//
// Three parts:
//  1. the main suite (test/integration/*.test.ts) in one VS Code run on the fixture workspace, then aiFeaturesOff.test
//     in a run with `chat.disableAIFeatures: true` in the user settings;
//  2. the restart suite (test/integration/restart/), several VS Code runs in a row that share one profile (VS Code's
//     user data, the extensions' storage, Chromium's profile, one port), each started fresh — a real extension-host
//     restart between them — plus one run on a second, fresh profile. TALLY_TEST_PHASE says which run it is:
//       A1 workspace A: chats, records usage, asks a question with the Redis cache on
//       B  workspace B (same profile): sees none of A's conversations, starts its own
//       A2 workspace A again: A's conversation and the ledger totals survived; B's conversation is not listed
//       R  workspace A, a NEW profile on the same Redis: the question asked in A1 is a cache hit
//     TALLY_PHASE_STATE is a folder the runs use to hand each other ids and numbers; a real redis-server runs on
//     127.0.0.1 for the whole part (TALLY_TEST_REDIS_URL).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CACHE, HARNESS, REPO } from './chromium.mjs';

const { runTests } = createRequire(path.join(REPO, 'package.json'))('@vscode/test-electron');
const extensionTestsPath = path.join(REPO, 'out', 'integration', 'index.js');
for (const [file, how] of [
  [extensionTestsPath, 'node scripts/buildTests.mjs'],
  [path.join(REPO, 'dist', 'extension.js'), 'node esbuild.js'],
]) {
  if (!fs.existsSync(file)) {
    console.error(`runIntegration: ${file} is missing: ${how}`);
    process.exit(1);
  }
}
const WORKSPACE_A = path.join(REPO, 'test', 'fixtures', 'workspace');
const WORKSPACE_B = path.join(REPO, 'test', 'fixtures', 'workspace-b');

async function run(folder, env = {}) {
  try {
    await runTests({
      vscodeExecutablePath: path.join(HARNESS, 'vscodeShim.mjs'),
      extensionDevelopmentPath: REPO,
      extensionTestsPath,
      launchArgs: [folder],
      extensionTestsEnv: env,
    });
    return true;
  } catch (e) {
    console.error('runIntegration:', e.message); // TestRunFailedError: "Test run failed with code 1"
    return false;
  }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startRedis() {
  const bin = spawnSync('bash', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!bin) throw new Error('redis-server is not installed (apt-get install redis-server; setup.sh installs it)');
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') {
      return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not answer within 10 s');
}

let ok = await run(WORKSPACE_A);
// VS Code's AI features turned off in the user settings: aiFeaturesOff.test alone, in a run of its own (the main run
// skips it). With TALLY_INTEGRATION_ONLY, set TALLY_CS_USER_SETTINGS='{"chat.disableAIFeatures":true}' by hand.
if (ok && !process.env.TALLY_INTEGRATION_ONLY) {
  console.log('runIntegration: chat.disableAIFeatures run');
  ok = await run(WORKSPACE_A, {
    TALLY_INTEGRATION_ONLY: 'aiFeaturesOff',
    TALLY_CS_USER_SETTINGS: JSON.stringify({ 'chat.disableAIFeatures': true }),
  });
}
// TALLY_INTEGRATION_ONLY=<part of a file name>: only the matching files of the main suite, no restart suite (for
// working on one feature; `npm test` never sets it).
if (ok && process.env.TALLY_INTEGRATION_ONLY)
  console.log('runIntegration: TALLY_INTEGRATION_ONLY set, restart suite skipped');
else if (ok) {
  console.log('runIntegration: restart suite (several VS Code runs sharing a profile)');
  const stamp = `${process.pid}-${Date.now()}`;
  const profile = path.join(CACHE, 'runs', `restart-${stamp}`);
  const second = path.join(CACHE, 'runs', `restart2-${stamp}`);
  const state = path.join(CACHE, 'runs', `phase-state-${stamp}`);
  fs.mkdirSync(state, { recursive: true });
  fs.mkdirSync(WORKSPACE_B, { recursive: true });
  let redis;
  try {
    redis = await startRedis();
    const common = { TALLY_PHASE_STATE: state, TALLY_TEST_REDIS_URL: redis.url };
    const shared = { ...common, TALLY_PROFILE_DIR: profile, TALLY_PROFILE_PORT: String(await freePort()) };
    for (const [phase, folder, env] of [
      ['A1', WORKSPACE_A, shared],
      ['B', WORKSPACE_B, shared],
      ['A2', WORKSPACE_A, shared],
      ['R', WORKSPACE_A, { ...common, TALLY_PROFILE_DIR: second, TALLY_PROFILE_PORT: String(await freePort()) }],
    ]) {
      console.log(`runIntegration: phase ${phase} (${path.relative(REPO, folder)})`);
      // extensionTestsEnv is merged into the shim's environment, which reaches the extension host.
      if (!(await run(folder, { ...env, TALLY_TEST_PHASE: phase }))) {
        ok = false;
        break;
      }
    }
  } catch (e) {
    console.error('runIntegration:', e.message);
    ok = false;
  } finally {
    redis?.stop();
    if (ok && process.env.TALLY_KEEP_RUNS !== '1')
      for (const d of [profile, second, state]) fs.rmSync(d, { recursive: true, force: true, maxRetries: 5 });
  }
}
process.exit(ok ? 0 : 1);
