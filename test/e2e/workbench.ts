// Helpers for the UI tests (test/e2e/*.e2e.ts): the real VS Code 1.139.1 web workbench (code-server) driven in real
// Chromium by playwright-core. Nothing leaves 127.0.0.1: Chromium resolves no other host and every other request is
// aborted (the origins are printed at close()); code-server's gallery points at 127.0.0.1:9 and telemetry is off.
//
//   const wb = await Workbench.open({ vsix: '.cache/tally.vsix', folder, env: { ...process.env, OPENAI_BASE_URL } });
//   await wb.clickActivityBar('Tally');
//   const view = await wb.webview('#composer-input');     // FrameLocator inside the webview that has that element
//   await wb.runCommand('Tally: New Chat');
//   await wb.screenshot('.cache/screenshots/x.png');
//   await wb.close({ passed: true });                      // Chromium, then code-server's whole process group
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { CACHE, REPO, launchChromium, type LaunchedChromium } from '../support/realVscode/chromium.mjs';
import { log, startCodeServer, type CodeServer } from '../support/realVscode/runTests.mjs';

export { CACHE, REPO, log };

export interface WorkbenchOptions {
  /** Install this packaged extension into the fresh profile (normal workbench: notification toasts are shown). */
  vsix?: string;
  /** Or load the extension from a source folder (payload URL; needs the smoke-test driver, which hides toasts). */
  extensionDevelopmentPath?: string;
  /** Folder to open (default: test/fixtures/workspace). */
  folder?: string;
  /** Environment of code-server, hence of the extension host (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Milliseconds to wait for the workbench (default 60 000). */
  timeoutMs?: number;
  /**
   * Display language, e.g. 'zh-cn': vscode.env.language and the extension's l10n bundle (manifest nls, l10n/) follow
   * it. VS Code's own chrome (menus, palette, built-in views) stays ENGLISH: code-server only accepts a language that
   * a language pack installed, so a stand-in pack that translates nothing is written (startCodeServer).
   */
  displayLanguage?: string;
  /** Merged into the profile's User/settings.json before start, e.g. { 'workbench.colorTheme': 'Default Dark Modern' }. */
  userSettings?: Record<string, unknown>;
}

const WEBVIEW = 'iframe.webview.ready';

export class Workbench {
  private closed = false;

  private constructor(
    readonly server: CodeServer,
    private readonly browser: LaunchedChromium,
    readonly page: Page,
    readonly consoleErrors: string[],
  ) {}

  static async open(options: WorkbenchOptions = {}): Promise<Workbench> {
    const {
      vsix,
      extensionDevelopmentPath,
      env = process.env,
      timeoutMs = 60_000,
      displayLanguage,
      userSettings,
    } = options;
    const folder = path.resolve(options.folder ?? path.join(REPO, 'test', 'fixtures', 'workspace'));
    if (vsix && !fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
    const server = await startCodeServer({
      installVsix: vsix,
      smokeTestDriver: !!extensionDevelopmentPath,
      env,
      ...(displayLanguage ? { displayLanguage } : {}),
      ...(userSettings ? { userSettings } : {}),
    });
    let browser: LaunchedChromium | undefined;
    try {
      browser = await launchChromium({ dir: server.runDir });
      const consoleErrors: string[] = [];
      browser.page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text().split('\n')[0].slice(0, 200));
      });
      const wb = new Workbench(server, browser, browser.page, consoleErrors);
      let url = `${server.url}?folder=${encodeURIComponent(folder)}`;
      if (extensionDevelopmentPath) {
        const payload = [
          [
            'extensionDevelopmentPath',
            `vscode-remote://127.0.0.1:${server.port}${path.resolve(extensionDevelopmentPath)}`,
          ],
        ];
        url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      }
      await wb.page.goto(url, { timeout: timeoutMs });
      await wb.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
      log('workbench loaded:', url);
      return wb;
    } catch (e) {
      await browser?.close();
      await server.stop();
      throw e;
    }
  }

  /** Clicks the activity-bar entry whose aria-label starts with `labelPrefix` (the viewsContainers title). */
  async clickActivityBar(labelPrefix: string, timeoutMs = 60_000): Promise<void> {
    await this.page.locator(`.activitybar [aria-label^="${labelPrefix}"]`).first().click({ timeout: timeoutMs });
    log(`clicked the activity-bar entry "${labelPrefix}"`);
  }

  /**
   * The document inside a webview: an outer iframe (class "webview", "ready" once loaded) hosts the inner
   * #active-frame. With several webviews open, the first whose document has `selector` is returned.
   */
  async webview(selector: string, timeoutMs = 60_000): Promise<FrameLocator> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const frames = this.page.locator(WEBVIEW);
      const n = await frames.count();
      for (let i = 0; i < n; i++) {
        const inner = frames.nth(i).contentFrame().frameLocator('#active-frame');
        if (
          (await inner
            .locator(selector)
            .count()
            .catch(() => 0)) > 0
        )
          return inner;
      }
      if (Date.now() > end) throw new Error(`no webview with ${selector} within ${timeoutMs} ms (${n} webviews open)`);
      await this.page.waitForTimeout(250);
    }
  }

  /**
   * Runs a command by its palette title, e.g. "Tally: New Chat". Keys pressed while focus is inside a webview go to
   * the webview's document, so the editor area is clicked first.
   */
  async runCommand(title: string, timeoutMs = 20_000): Promise<void> {
    await this.page.locator('.part.editor').click();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: timeoutMs });
    await input.fill(`>${title}`);
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: title })
      .first()
      .waitFor({ timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    log(`ran the command "${title}"`);
  }

  /**
   * Opens `name` with Quick Open (Ctrl+P) and waits until its editor shows `containing`; returns that editor's text
   * lines, to click into. Keys pressed while focus is inside a webview go to the webview, so the editor area is
   * clicked first.
   */
  async openFile(name: string, containing: string, timeoutMs = 90_000): Promise<Locator> {
    await this.page.locator('.part.editor').first().click();
    await this.page.keyboard.press('Control+P');
    await this.page.locator('.quick-input-widget input').fill(name);
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: name })
      .first()
      .waitFor({ timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    const lines = this.page.locator('.editor-instance .monaco-editor .view-lines', { hasText: containing });
    await lines.waitFor();
    log(`opened ${name}`);
    return lines;
  }

  /** Saves a PNG of the whole window (folders are created). */
  async screenshot(file: string): Promise<string> {
    const out = path.resolve(file);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await this.page.waitForTimeout(300); // let animations settle
    await this.page.screenshot({ path: out });
    log('screenshot:', path.relative(REPO, out));
    return out;
  }

  /**
   * Closes Chromium and stops code-server's whole process group. The run folder (code-server.log, profile) is
   * deleted when `passed` (unless TALLY_KEEP_RUNS=1), kept otherwise. Idempotent.
   */
  async close({ passed = false } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const blocked = [...this.browser.blocked];
    log('non-local requests blocked:', blocked.length ? blocked.join(' ') : 'none');
    await this.browser.close();
    await this.server.stop();
    if (passed && process.env.TALLY_KEEP_RUNS !== '1')
      fs.rmSync(this.server.runDir, { recursive: true, force: true, maxRetries: 5 });
    else log('run folder kept:', this.server.runDir);
  }
}

/** Where the UI tests save their screenshots. */
export const SCREENSHOTS = path.join(REPO, '.cache', 'screenshots');

/** The first lines of a failure, for the log. */
const firstLines = (e: unknown, n = 8) =>
  e instanceof Error ? e.message.split('\n').slice(0, n).join('\n') : String(e);

/**
 * The tally of one e2e file: each scenario is one test; a failing one is logged and leaves a screenshot
 * `<prefix>-<name>-failure.png`; a failure outside any scenario (start-up) counts as one failure.
 */
export class E2eResults {
  passed = 0;
  failed = 0;

  constructor(private readonly prefix: string) {}

  /** A scenario runner bound to the workbench that screenshots its failures. */
  scenarios(bench: Workbench): (name: string, body: () => Promise<void>) => Promise<void> {
    return async (name, body) => {
      try {
        await body();
        this.passed++;
        log(`PASS ${name}`);
      } catch (e) {
        this.failed++;
        log(`FAIL ${name}:`, firstLines(e));
        const shot = path.join(SCREENSHOTS, `${this.prefix}-${name.replace(/\W+/g, '-')}-failure.png`);
        await bench.screenshot(shot).catch(() => {});
      }
    };
  }

  /** Something failed before the scenarios ended. */
  aborted(e: unknown): void {
    this.failed++;
    log('FAILED before the scenarios ended:', firstLines(e));
  }

  /** Prints the line `npm test` counts; the exit code (0 only when something passed and nothing failed). */
  report(): number {
    console.log(`TALLY_E2E_RESULT passed=${this.passed} failed=${this.failed}`);
    return this.failed === 0 && this.passed > 0 ? 0 : 1;
  }
}

/** Runs an e2e file's main and exits with its code; a throw is one failure. */
export function runE2e(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      console.log('TALLY_E2E_RESULT passed=0 failed=1');
      process.exit(1);
    },
  );
}
