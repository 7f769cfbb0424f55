// chromium.mjs: where the harness lives, and Chromium for it. Used by runTests.mjs, scripts/start.mjs and test/e2e.
//  * REPO: the repository root. CACHE: the harness's one cache folder ($TALLY_VSCODE_HOME, computed exactly as
//    env.sh does: <repo>/.cache/vscode, or /tmp/tally-vscode-<hash> when that is longer than 58 characters).
//  * launchChromium(): Debian's /usr/bin/chromium driven by the project's playwright-core, headless, with a
//    throw-away profile, and every request to anything but 127.0.0.1/localhost refused (DNS rules + Playwright route).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const HARNESS = path.dirname(fileURLToPath(import.meta.url));
export const REPO = fs.realpathSync(path.resolve(HARNESS, '..', '..', '..'));
export const MAX_CACHE_PATH = 58; // Unix socket paths (107 bytes) are created below it: Chromium's, VS Code's

function cacheFolder() {
  if (process.env.TALLY_VSCODE_HOME) return path.resolve(process.env.TALLY_VSCODE_HOME);
  const inRepo = path.join(REPO, '.cache', 'vscode');
  if (inRepo.length <= MAX_CACHE_PATH) return inRepo;
  return `/tmp/tally-vscode-${createHash('sha256').update(REPO).digest('hex').slice(0, 8)}`;
}
export const CACHE = cacheFolder();
export const CHROMIUM = process.env.TALLY_CHROMIUM || '/usr/bin/chromium';

export const isLocal = (url) => {
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost';
};

/**
 * Start Chromium. dir: where its throw-away profile goes (default <cache>/tmp); profile: a persistent profile folder
 * instead (kept on close: the workbench's browser-side state, e.g. workspaceState, survives into the next run). Returns
 * { context, page, blocked: Set<origin> of refused non-local requests, close() }.
 */
export async function launchChromium({
  dir = path.join(CACHE, 'tmp'),
  viewport = { width: 1400, height: 900 },
  profile: keep,
} = {}) {
  let chromium;
  try {
    ({ chromium } = createRequire(path.join(REPO, 'package.json'))('playwright-core'));
  } catch {
    throw new Error(`playwright-core is not in ${REPO}/node_modules: run npm ci (or node scripts/ensureDeps.mjs)`);
  }
  if (CACHE.length > MAX_CACHE_PATH) {
    throw new Error(
      `TALLY_VSCODE_HOME is ${CACHE.length} characters long (${CACHE}); Chromium needs at most ${MAX_CACHE_PATH}`,
    );
  }
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: bash test/support/realVscode/setup.sh installs it`);
  fs.mkdirSync(dir, { recursive: true });
  if (keep) fs.mkdirSync(keep, { recursive: true });
  const profile = keep ?? fs.mkdtempSync(path.join(dir, 'chromium-'));
  const home = path.join(CACHE, 'home');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    // Chromium writes ~/.config/chromium/Crash Reports, ~/.cache/dconf and temp files: keep them in the cache.
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: `${home}/.config`,
      XDG_CACHE_HOME: `${home}/.cache`,
      TMPDIR: path.join(CACHE, 'tmp'),
    },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // No DNS for anything but localhost (without it Chromium still looked up accounts.google.com).
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
    ],
  });
  // Second line of defence: abort whatever the pages request from elsewhere, and remember the origins.
  const blocked = new Set();
  await context.route(
    (url) => !isLocal(url),
    (route) => {
      blocked.add(new URL(route.request().url()).origin);
      return route.abort();
    },
  );
  const page = context.pages()[0] || (await context.newPage());
  const close = async () => {
    await context.close().catch(() => {});
    if (!keep) fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  return { context, page, blocked, close };
}
