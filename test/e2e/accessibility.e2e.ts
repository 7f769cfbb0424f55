// UI test of accessibility (issue #15): axe-core, the maintained accessibility engine, runs in real Chromium on the
// chat panel, the usage report and the API health report of the packaged extension (.cache/tally.vsix in code-server),
// in each of the four theme kinds (Dark Modern, Light Modern, Dark High Contrast, Light High Contrast), in English and
// in Chinese (zh-cn, through the harness's displayLanguage), and expects 0 violations of WCAG 2.1 A/AA (which
// includes text contrast ≥ 4.5:1) and axe's best practices. The panel is checked in a realistic state: a finished
// reply with a highlighted code block and its action bar, a server error with its Retry / Show Log buttons, the live
// estimate of a draft, and the conversation list open. One code-server per language; themes are switched at runtime
// with Preferences: Color Theme (Ctrl+K Ctrl+T). Each (language, theme, page) is one test.
//   npm test -- --only build,package && node --import tsx test/e2e/accessibility.e2e.ts
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { describeViolations, frameOf, runAxe } from './axe';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');

/** The theme picker's label, the workbench's class for its kind and the webview body's data-vscode-theme-kind. */
const THEMES = [
  { label: 'Dark Modern', workbench: 'vs-dark', webview: 'vscode-dark' },
  { label: 'Light Modern', workbench: 'vs', webview: 'vscode-light' },
  { label: 'Dark High Contrast', workbench: 'hc-black', webview: 'vscode-high-contrast' },
  { label: 'Light High Contrast', workbench: 'hc-light', webview: 'vscode-high-contrast-light' },
];

// Rules set aside, each because it judges a whole page and a webview is a fragment of VS Code's workbench:
//  - region: "all content inside landmarks" — the workbench around the webview gives the landmarks (the side bar,
//    the editor area); a webview cannot add to them.
//  - landmark-one-main: a webview is not the page; the workbench has its own main part.
//  - page-has-heading-one (panel only): the panel's heading is the view's title ("Chat") that VS Code draws above the
//    webview; the reports, which fill an editor tab, keep the rule and must have their h1.
const FRAGMENT_RULES = {
  region: 'the workbench gives the landmarks around a webview',
  'landmark-one-main': 'a webview is not the page; the workbench has the main part',
};
const PANEL_RULES = { ...FRAGMENT_RULES, 'page-has-heading-one': "VS Code draws the view's title above the panel" };

const CODE_REPLY = [
  'Here is a function with its test:',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  // Adds two numbers.',
  "  return a + b; // 'sum'",
  '}',
  '```',
  '',
  'Call `add(1, 2)` to get 3; read more in [the docs](https://example.com/docs).',
].join('\n');

async function send(view: FrameLocator, text: string): Promise<void> {
  await view.locator('#composer-input').fill(text);
  await view.locator('#send').click();
}

/** Keys go to the workbench, not a webview: focus the activity bar (no click, so nothing opens or closes). */
async function focusWorkbench(wb: Workbench): Promise<void> {
  await wb.page.locator('.activitybar .action-item .action-label').first().focus();
}

/** Runs a command by its English palette title (a localised title keeps its English alias in the palette). */
async function palette(wb: Workbench, title: string): Promise<void> {
  await focusWorkbench(wb);
  await wb.page.keyboard.press('F1');
  const input = wb.page.locator('.quick-input-widget input');
  await input.fill(`>${title}`);
  await wb.page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 20_000 });
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Preferences: Color Theme by its keybinding, then waits until the workbench and `panel` both wear the theme. */
async function switchTheme(wb: Workbench, theme: (typeof THEMES)[number], panel: FrameLocator): Promise<void> {
  await focusWorkbench(wb);
  await wb.page.keyboard.press('Control+K');
  await wb.page.keyboard.press('Control+T');
  await wb.page.locator('.quick-input-widget input').fill(theme.label);
  await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: theme.label }).first().click();
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await wb.page.locator(`.monaco-workbench.${theme.workbench}`).waitFor({ timeout: 20_000 });
  await panel.locator(`body[data-vscode-theme-kind="${theme.webview}"]`).waitFor({ timeout: 20_000 });
}

/**
 * Runs axe on a webview and fails with every violation listed. A page whose HTML is set again while axe runs (a
 * report refreshes when its data arrives) swaps in a new inner frame: axe then runs again in the new one.
 */
async function expectNoViolations(view: FrameLocator, disabled: Record<string, string>, what: string): Promise<void> {
  let violations;
  for (let attempt = 1; !violations; attempt++) {
    try {
      violations = await runAxe(await frameOf(view), disabled);
    } catch (e) {
      const replaced = /garbage collected|context was destroyed|frame (was )?detached/i.test(String(e));
      if (!replaced || attempt === 3) throw e;
      log(`${what}: the page was replaced while axe ran; again`);
    }
  }
  if (violations.length) log(`${what}: ${violations.length} axe violation(s):\n${describeViolations(violations)}`);
  assert.equal(violations.length, 0, `${what}: axe violations: ${violations.map((v) => v.id).join(', ')}`);
}

/** The panel in the state the test checks: a reply with a code block, an error, a draft's estimate, the list open. */
async function preparePanel(server: FakeOpenAIServer, view: FrameLocator): Promise<void> {
  server.enqueue({ text: CODE_REPLY });
  await send(view, 'Write add() with a type');
  await view.locator('.message.assistant[data-status="complete"] pre > code[data-highlighted="done"]').waitFor({
    timeout: 30_000,
  });
  server.enqueue({ status: 500 });
  await send(view, 'This one fails on the server');
  await view.locator('#error[data-kind="server"] button[data-action="retry"]').waitFor({ timeout: 30_000 });
  await view.locator('#composer-input').fill('A draft whose cost is estimated while it is typed');
  await view.locator('#estimate').filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
  await view.locator('#conversation-title').click(); // opens the conversation list
  await view.locator('.conversation-item').first().waitFor({ timeout: 10_000 });
}

async function checkLanguage(
  server: FakeOpenAIServer,
  results: E2eResults,
  displayLanguage: 'en' | 'zh-cn',
): Promise<void> {
  let wb: Workbench | undefined;
  const before = results.failed;
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder: path.join(REPO, 'test', 'fixtures', 'workspace'),
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-e2e-env-key-0015' },
      ...(displayLanguage === 'en' ? {} : { displayLanguage }),
      timeoutMs: 180_000, // six engineers share two cores
      // A 500 is final at once (no retries), so the error and its buttons show without waiting.
      userSettings: { 'workbench.colorTheme': 'Default Dark Modern', 'tally.retry.maxRetries': 0 },
    });
    const bench = wb;
    const scenario = results.scenarios(bench);
    await bench.clickActivityBar('Tally');
    const panel = await bench.webview('#composer-input');
    const lang = await panel.locator('html').getAttribute('lang');
    log(
      `${displayLanguage}: the panel's <html lang="${lang}">, Send reads "${await panel.locator('#send').textContent()}"`,
    );
    await preparePanel(server, panel);
    for (const theme of THEMES) {
      const name = `${displayLanguage} ${theme.label}`;
      await switchTheme(bench, theme, panel);
      await scenario(`${name} panel`, async () => {
        await expectNoViolations(panel, PANEL_RULES, `${name} panel`);
        if (displayLanguage === 'en')
          await bench.screenshot(path.join(SCREENSHOTS, `a11y-${theme.workbench}-panel.png`));
      });
      await scenario(`${name} usage report`, async () => {
        await palette(bench, 'Tally: Show Usage Report');
        const report = await bench.webview('#usage-chart svg', 30_000);
        await report.locator(`body[data-vscode-theme-kind="${theme.webview}"]`).waitFor({ timeout: 20_000 });
        await expectNoViolations(report, FRAGMENT_RULES, `${name} usage report`);
      });
      await scenario(`${name} health report`, async () => {
        await palette(bench, 'Tally: Show API Health');
        const report = await bench.webview('#summary', 30_000);
        await report.locator(`body[data-vscode-theme-kind="${theme.webview}"]`).waitFor({ timeout: 20_000 });
        await expectNoViolations(report, FRAGMENT_RULES, `${name} health report`);
      });
    }
  } catch (e) {
    results.aborted(e);
  } finally {
    await wb?.close({ passed: results.failed === before });
  }
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  server.setDefault({ chunkDelayMs: 10 });
  const results = new E2eResults('a11y');
  try {
    // TALLY_A11Y_LANGUAGE=en or zh-cn: one language only (while fixing what axe finds).
    const only = process.env.TALLY_A11Y_LANGUAGE;
    for (const language of ['en', 'zh-cn'] as const)
      if (!only || only === language) await checkLanguage(server, results, language);
  } finally {
    await server.close();
  }
  return results.report();
}

runE2e(main);
