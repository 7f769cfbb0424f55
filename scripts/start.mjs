// start.mjs: `npm start`: build Tally and open VS Code with it loaded from this working tree, for development.
//   * desktop VS Code when `code` is on PATH: code --extensionDevelopmentPath=<repo> <repo>/test/fixtures/workspace
//   * otherwise code-server 4.139.1 (= VS Code 1.139.1) on http://127.0.0.1:8080 (or --port N; a free port when taken)
//     with a persistent dev profile in <cache>/dev. Tally is loaded from the working tree through a symlink
//     <cache>/dev/extensions/tally-dev.tally-<version> -> <repo>: a normal workbench, so notification toasts show
//     (the payload URL with extensionDevelopmentPath would need the smoke-test driver, which hides them).
//     After a rebuild (`npm run watch` in another terminal) run "Developer: Reload Window" in the browser.
//     Keeps running until Ctrl+C.
// Options:
//   --fake          also start the loopback fake OpenAI server (test/support/fakeOpenAICli.ts) and give VS Code
//                   OPENAI_BASE_URL=<its URL> and OPENAI_API_KEY=fake-key: a demo without a real key
//   --port N        code-server's port (default 8080)
//   --code-server   use code-server even when `code` is on PATH
//   --check         code-server mode: load the page in headless Chromium, click the Tally activity-bar entry, wait
//                   for the chat panel, screenshot .cache/screenshots/start-check.png, stop, exit 0/1
//   --no-build      skip `node esbuild.js`
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensureDeps.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HARNESS = path.join(REPO, 'test', 'support', 'realVscode');
const FOLDER = path.join(REPO, 'test', 'fixtures', 'workspace');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const say = (...a) => console.log('[start]', ...a);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit', ...opts });
  if (r.status !== 0)
    throw new Error(`${[cmd, ...args].join(' ')} exited with ${r.status ?? r.signal ?? r.error?.message}`);
}

function onPath(cmd) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.join(d, cmd))
    .find((p) => {
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return fs.statSync(p).isFile();
      } catch {
        return false;
      }
    });
}

// The fake OpenAI server in its own process group; resolves with its base URL once it printed it.
function startFakeServer() {
  const cli = path.join(REPO, 'test', 'support', 'fakeOpenAICli.ts');
  if (!fs.existsSync(cli)) throw new Error(`${path.relative(REPO, cli)} is missing`);
  const child = spawn(process.execPath, ['--import', 'tsx', cli], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  process.on('exit', () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error('the fake OpenAI server printed no FAKE_OPENAI_BASE_URL within 30 s')),
      30_000,
    );
    child.on('exit', (code) => reject(new Error(`the fake OpenAI server exited (${code})`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /FAKE_OPENAI_BASE_URL=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ baseUrl: m[1], child });
      }
    });
  });
}

// <cache>/dev/extensions/tally-dev.tally-<version> -> <repo>, registered in the profile's extensions.json (which
// VS Code writes itself only when the file does not exist yet).
function linkWorkingTree(extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  const linkName = `${id}-${pkg.version}`;
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const e of fs.readdirSync(extensionsDir)) {
    const p = path.join(extensionsDir, e);
    if (e.toLowerCase().startsWith(`${id.toLowerCase()}-`) && e !== linkName)
      fs.rmSync(p, { recursive: true, force: true });
  }
  const link = path.join(extensionsDir, linkName);
  let target;
  try {
    target = fs.readlinkSync(link);
  } catch {
    /* none */
  }
  if (target !== REPO) {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(REPO, link, 'dir');
  }
  const manifest = path.join(extensionsDir, 'extensions.json');
  if (fs.existsSync(manifest)) {
    let entries = [];
    try {
      entries = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    } catch {
      /* rewrite it */
    }
    entries = entries.filter((e) => e?.identifier?.id?.toLowerCase() !== id.toLowerCase());
    entries.push({
      identifier: { id },
      version: pkg.version,
      location: { $mid: 1, path: link, scheme: 'file' },
      relativeLocation: linkName,
    });
    fs.writeFileSync(manifest, JSON.stringify(entries));
  }
  return { id, link };
}

async function check(server, folderUrl, { REPO: repo, launchChromium }, log) {
  const { page, blocked, close } = await launchChromium({ dir: path.join(server.runDir, 'tmp') });
  let ok = false;
  try {
    await page.goto(folderUrl, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Tally"]').first().click({ timeout: 60_000 });
    log('the Tally activity-bar entry is there; clicked it');
    await page
      .frameLocator('iframe.webview.ready')
      .frameLocator('#active-frame')
      .locator('#composer-input')
      .waitFor({ timeout: 60_000 });
    log('the Tally chat panel loaded (#composer-input)');
    ok = true;
  } catch (e) {
    log('check FAILED:', e.message.split('\n')[0]);
  } finally {
    const shot = path.join(repo, '.cache', 'screenshots', 'start-check.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).catch(() => {});
    log(
      'screenshot:',
      path.relative(repo, shot),
      '; non-local requests blocked:',
      blocked.size ? [...blocked].join(' ') : 'none',
    );
    await close();
  }
  return ok;
}

async function main() {
  // Ctrl+C / SIGTERM: exit normally, so that the 'exit' handlers stop the fake server and code-server (a process
  // killed by a signal runs no 'exit' handler). startCodeServer() adds its own graceful handler once it runs.
  const onSignal = () => process.exit(130);
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  ensureDeps();
  if (!flag('no-build')) run(process.execPath, ['esbuild.js']);
  const env = { ...process.env };
  if (flag('fake')) {
    const { baseUrl } = await startFakeServer();
    Object.assign(env, { OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'fake-key' });
    say(`fake OpenAI server: ${baseUrl} (OPENAI_BASE_URL and OPENAI_API_KEY=fake-key are passed to VS Code)`);
  }

  const code = !flag('code-server') && !flag('check') && onPath('code');
  if (code) {
    const args = [`--extensionDevelopmentPath=${REPO}`, FOLDER];
    say(`${code} ${args.join(' ')}`);
    run(code, args, { env });
    if (!flag('fake')) return 0;
    say('VS Code is open; the fake server runs until Ctrl+C');
    await new Promise(() => {}); // until Ctrl+C
  }

  run('bash', [path.join(HARNESS, 'setup.sh')]);
  // Imported only now: they need the project's node_modules (playwright-core) and the cache folder.
  const chromium = await import('../test/support/realVscode/chromium.mjs');
  const { startCodeServer, codeServerVersion, log } = await import('../test/support/realVscode/runTests.mjs');
  const profileDir = path.join(chromium.CACHE, 'dev');
  const { link } = linkWorkingTree(path.join(profileDir, 'extensions'));
  log(`Tally is loaded from the working tree: ${link} -> ${REPO}`);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal); // startCodeServer's handlers stop code-server gracefully
  const server = await startCodeServer({ profileDir, port: Number(option('port') || 8080), env, args: [FOLDER] });
  const folderUrl = `${server.url}?folder=${encodeURIComponent(FOLDER)}`;
  if (flag('check')) {
    const ok = await check(server, folderUrl, chromium, log);
    await server.stop();
    return ok ? 0 : 1;
  }
  const version = codeServerVersion()?.replace(/^(\S+) \S+ with Code (\S+)$/, 'code-server $1 = VS Code $2');
  console.log(
    `\n  Open ${folderUrl}\n  in a browser on this machine: ${version ?? 'code-server'}, profile ${profileDir}.`,
  );
  console.log('  After a rebuild (npm run watch) run "Developer: Reload Window" there. Ctrl+C stops.\n');
  const exitCode = await new Promise((resolve) => server.child.on('exit', (c) => resolve(c ?? 1)));
  log(`code-server exited (${exitCode}), see ${server.logFile}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[start] ${e.message}`);
    process.exit(1);
  },
);
