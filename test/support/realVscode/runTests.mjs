// runTests.mjs: run VS Code extension integration tests (a standard extensionTestsPath module: test/integration/index)
// inside the REAL Node extension host of code-server 4.139.1 (= VS Code 1.139.1), headless. Exit code = the tests'.
//
//   node test/support/realVscode/runTests.mjs --extensionDevelopmentPath <dir> --extensionTestsPath <file>
//                                             [--folder <dir or .code-workspace>] [--timeout <seconds, default 300>]
//
// `npm test` does not call this CLI: it goes through @vscode/test-electron with vscodeShim.mjs as the "VS Code
// executable" (runIntegration.mjs), which ends up in runExtensionTests() below.
//
// How: code-server starts with `--vscode-option enable-smoke-test-driver`; only then does the built web workbench
// honour the `payload` URL parameter (extensionDevelopmentPath / extensionTestsPath as vscode-remote:// URIs). The
// workbench loads the extension into the remote extension host, calls the test module's run(), and when that settles
// calls window.codeAutomationExit(code), which we expose to the page. The payload entry `debugId` makes the extension
// host's console reach the page console as "[Extension Host] ..."; those lines are printed here, prefixed "  | ".
// This process's environment reaches the extension host (code-server drops NODE_OPTIONS, LD_PRELOAD and DEBUG).
// Each run gets fresh user-data/extensions/tmp folders in <cache>/runs/r-*: deleted after a passing run (unless
// TALLY_KEEP_RUNS=1), kept after a failing one (code-server.log, browser-console.log, timeout.png).
//
// Module: startCodeServer() (also used by scripts/start.mjs and test/e2e/workbench.ts) and runExtensionTests()
// (used by vscodeShim.mjs). Types: runTests.d.mts.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { HARNESS, CACHE, launchChromium } from './chromium.mjs';

const t0 = Date.now();
export const log = (...a) => console.log(`[real-vscode ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CODE_SERVER_SH = path.join(HARNESS, 'codeServer.sh');

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const portIsFree = (port) =>
  new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** The code-server / VS Code version line, e.g. "4.139.1 53c2f32... with Code 1.139.1". */
export function codeServerVersion() {
  const r = spawnSync('bash', [CODE_SERVER_SH, '--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n').pop() : undefined;
}

/**
 * Start code-server on 127.0.0.1 and resolve once /healthz answers. Options:
 *   profileDir      persistent folder for user-data/ and extensions/ (npm start); default: a fresh <cache>/runs/r-*
 *   port            wanted port (falls back to a free one when taken); default: a free port
 *   smokeTestDriver pass --vscode-option enable-smoke-test-driver (needed for the payload URL; hides toasts)
 *   installVsix     install this .vsix into the profile's extensions folder first
 *   env             environment for code-server and so for the extension host (default process.env)
 *   args            more code-server arguments, e.g. a folder to open
 *   userSettings    merged into the profile's User/settings.json (with any TALLY_CS_USER_SETTINGS of `env`, these win),
 *                   e.g. { 'workbench.colorTheme': 'Default High Contrast' }
 *   displayLanguage e.g. 'zh-cn': vscode.env.language, the extension's vscode.l10n bundle and --locale. code-server
 *                   1.139.1 resolves a non-English language only from <user-data>/languagepacks.json, which a real
 *                   language pack's gallery install writes (the gallery is unreachable here, and --install-extension
 *                   of a pack does not write it). So a stand-in entry is written that names an empty translations
 *                   file: the extension's own l10n/bundle.l10n.<lang>.json is used, but VS Code's own chrome (menus,
 *                   palette, built-in views) stays ENGLISH — tests must not expect translated workbench text.
 * Returns { port, url, runDir, logFile, child, stop() }. stop() ends the whole process group (SIGTERM, SIGKILL
 * after 10 s); it also happens on SIGINT/SIGTERM (then exit 130), and (SIGKILL) when this process exits.
 */
export async function startCodeServer({
  profileDir,
  port,
  smokeTestDriver = false,
  installVsix,
  env = process.env,
  args = [],
  userSettings,
  displayLanguage,
} = {}) {
  let runDir = profileDir;
  if (runDir) fs.mkdirSync(runDir, { recursive: true });
  else {
    fs.mkdirSync(path.join(CACHE, 'runs'), { recursive: true });
    runDir = fs.mkdtempSync(path.join(CACHE, 'runs', 'r-'));
  }
  if (displayLanguage) {
    args = [...args, '--locale', displayLanguage];
    writeLanguagePackStandIn(path.join(runDir, 'user-data'), runDir, displayLanguage);
  }
  const csEnv = {
    ...env,
    ...(userSettings
      ? {
          TALLY_CS_USER_SETTINGS: JSON.stringify({
            ...(env.TALLY_CS_USER_SETTINGS ? JSON.parse(env.TALLY_CS_USER_SETTINGS) : {}),
            ...userSettings,
          }),
        }
      : {}),
    TALLY_VSCODE_HOME: CACHE,
    TALLY_CS_USER_DATA: path.join(runDir, 'user-data'),
    TALLY_CS_EXTENSIONS: path.join(runDir, 'extensions'),
    TALLY_CS_TMPDIR: path.join(runDir, 'tmp'),
  };
  if (installVsix) {
    const r = spawnSync('bash', [CODE_SERVER_SH, '--install-extension', path.resolve(installVsix), '--force'], {
      env: csEnv,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`--install-extension ${installVsix} failed:\n${r.stdout}${r.stderr}`);
    log(`installed ${path.relative(process.cwd(), path.resolve(installVsix))} into ${csEnv.TALLY_CS_EXTENSIONS}`);
  }
  if (port && !(await portIsFree(port))) {
    const wanted = port;
    port = await freePort();
    log(`port ${wanted} is taken: using ${port}`);
  }
  port ||= await freePort();
  const csArgs = ['--bind-addr', `127.0.0.1:${port}`, ...args];
  if (smokeTestDriver) csArgs.push('--vscode-option', 'enable-smoke-test-driver');
  // detached = its own process group, so stop() reaches the server, the extension host and all they started.
  const child = spawn('bash', [CODE_SERVER_SH, ...csArgs], {
    env: csEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logFile = path.join(runDir, 'code-server.log');
  const csLog = fs.createWriteStream(logFile, { flags: 'a' });
  child.stdout.pipe(csLog);
  child.stderr.pipe(csLog);
  const killGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
      return true;
    } catch {
      return false;
    }
  };
  // If this process exits first, take the group down at once; on Ctrl+C / SIGTERM stop it gracefully, then exit 130.
  const onExit = () => killGroup('SIGKILL');
  const onSignal = (sig) => {
    log(`${sig}: stopping code-server`);
    stop().finally(() => process.exit(130));
  };
  process.on('exit', onExit).on('SIGINT', onSignal).on('SIGTERM', onSignal);
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      killGroup('SIGTERM');
      for (let i = 0; i < 100 && killGroup(0); i++) await sleep(100); // up to 10 s for the whole group
      if (killGroup('SIGKILL')) log('code-server did not stop within 10 s: SIGKILL');
      process.off('exit', onExit).off('SIGINT', onSignal).off('SIGTERM', onSignal);
    })());
  const url = `http://127.0.0.1:${port}/`;
  log(`code-server pid ${child.pid} on ${url} (log: ${logFile})`);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`code-server exited (${child.exitCode}), see ${logFile}`);
    }
    try {
      if ((await fetch(`${url}healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 240) {
      await stop();
      throw new Error(`code-server did not answer /healthz within 60 s, see ${logFile}`);
    }
    await sleep(250);
  }
  return { port, url, runDir, logFile, child, stop };
}

/**
 * The languagepacks.json a language pack's install would write, naming an empty VS Code translations file, so that
 * code-server accepts `--locale <lang>` (see startCodeServer's displayLanguage). Translates nothing by itself.
 */
function writeLanguagePackStandIn(userDataDir, runDir, lang) {
  fs.mkdirSync(userDataDir, { recursive: true });
  const translations = path.join(runDir, `vscode-translations.${lang}.json`);
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const packs = {
    [lang]: {
      hash: 'abc123',
      label: lang,
      extensions: [{ extensionIdentifier: { id: 'tally-test.lang-pack-stand-in' }, version: '0.0.1' }],
      translations: { vscode: translations },
    },
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

/** Lines of a code-server log that explain a silently skipped extension (engines.vscode not accepting 1.139.1). */
export function incompatibleExtensionLines(logFile) {
  try {
    return fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('is not compatible with'))
      .map((l) => l.trim());
  } catch {
    return [];
  }
}

// "%c" CSS styling of console messages: drop the markers and their arguments.
function formatConsoleArgs(args) {
  if (typeof args[0] === 'string' && args[0].includes('%c')) {
    const n = args[0].split('%c').length - 1;
    args = [args[0].replaceAll('%c', '').trim(), ...args.slice(1 + n)];
  }
  return util.format(...args);
}

/**
 * Run one test module in the extension host of a fresh code-server. Resolves to the exit code: 0 = all passed,
 * 1 = failed, timed out, or VS Code could not start (never a skip).
 */
export async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  folder,
  timeoutS = 300,
  env = process.env,
}) {
  const dev = path.resolve(extensionDevelopmentPath),
    tests = path.resolve(extensionTestsPath);
  for (const p of [dev, tests])
    if (!fs.existsSync(p)) {
      log(`error: ${p} does not exist`);
      return 1;
    }
  folder = path.resolve(folder || path.join(CACHE, 'workspace')); // default: an empty folder
  const isWorkspaceFile = folder.endsWith('.code-workspace');
  if (!isWorkspaceFile) fs.mkdirSync(folder, { recursive: true });
  // TALLY_PROFILE_DIR (+ TALLY_PROFILE_PORT): one profile for several runs — VS Code's user data, the extension's
  // storage and Chromium's profile (browser-side state is per origin, hence the fixed port) — so a later run sees
  // what an earlier one left: the restart tests.
  const profileDir = env.TALLY_PROFILE_DIR;
  let server;
  try {
    server = await startCodeServer({
      env,
      smokeTestDriver: true,
      ...(profileDir ? { profileDir } : {}),
      ...(env.TALLY_PROFILE_PORT ? { port: Number(env.TALLY_PROFILE_PORT) } : {}),
    });
  } catch (e) {
    log('error: VS Code (code-server) could not start:', e.message);
    return 1;
  }
  let browser,
    consoleLog,
    timer,
    code = 1;
  try {
    browser = await launchChromium({
      dir: server.runDir,
      ...(profileDir ? { profile: path.join(profileDir, 'chromium') } : {}),
    });
    const { context, page } = browser;
    let done;
    const exited = new Promise((resolve) => {
      done = resolve;
    });
    await context.exposeFunction('codeAutomationExit', (c) => done(c));
    // Print the extension host's output in order ("[Extension Host] ..." lines); keep the whole console in a file.
    consoleLog = fs.createWriteStream(path.join(server.runDir, 'browser-console.log'));
    let printed = Promise.resolve();
    page.on('console', (m) => {
      printed = printed.then(async () => {
        let args;
        try {
          args = await Promise.all(m.args().map((a) => a.jsonValue()));
        } catch {
          args = [m.text()];
        }
        const line = formatConsoleArgs(args);
        consoleLog.write(`[${m.type()}] ${line}\n`);
        if (line.startsWith('[Extension Host]')) {
          // (an empty console.log() arrives as "[Extension Host]%")
          console.log(
            line
              .replace(/^\[Extension Host\] ?/, '')
              .replace(/^%$/, '')
              .replace(/^/gm, '  | '),
          );
        }
      });
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(dev)],
      ['extensionTestsPath', remote(tests)],
      ['debugId', 'real-vscode'],
    ];
    const url =
      `${server.url}?${isWorkspaceFile ? 'workspace' : 'folder'}=${encodeURIComponent(folder)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log('opening the workbench; payload', JSON.stringify(payload));
    await page.goto(url, { timeout: 60000 });
    const result = await Promise.race([
      exited,
      new Promise((r) => {
        timer = setTimeout(r, timeoutS * 1000, 'timeout');
      }),
    ]);
    await printed;
    if (result === 'timeout') {
      log(`TIMEOUT after ${timeoutS} s`);
      await page.screenshot({ path: path.join(server.runDir, 'timeout.png') }).catch(() => {});
    } else {
      code = result;
      log('tests finished, exit code', code);
    }
  } catch (e) {
    log('error:', e.message);
  } finally {
    clearTimeout(timer);
    consoleLog?.end();
    await browser?.close();
    await server.stop();
  }
  if (code !== 0) for (const l of incompatibleExtensionLines(server.logFile)) log('code-server.log:', l);
  if (profileDir) log('profile kept for the next run:', profileDir);
  else if (code === 0 && process.env.TALLY_KEEP_RUNS !== '1')
    fs.rmSync(server.runDir, { recursive: true, force: true, maxRetries: 5 });
  else log('run folder kept:', server.runDir);
  return code;
}

// CLI (no top-level await: this file is also imported, and require()d through tsx by the e2e tests).
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (!opt('extensionDevelopmentPath') || !opt('extensionTestsPath')) {
    console.error(
      'usage: node runTests.mjs --extensionDevelopmentPath <dir> --extensionTestsPath <file> [--folder <path>] [--timeout <s>]',
    );
    process.exit(2);
  }
  runExtensionTests({
    extensionDevelopmentPath: opt('extensionDevelopmentPath'),
    extensionTestsPath: opt('extensionTestsPath'),
    folder: opt('folder'),
    timeoutS: Number(opt('timeout') || process.env.TALLY_VSCODE_TIMEOUT || 300),
  })
    .catch((e) => {
      log('error:', e.message);
      return 1;
    })
    .then((code) => {
      log('exit', code);
      process.exit(code);
    });
}
