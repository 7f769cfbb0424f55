// UI test of the panel by keyboard alone (issue #15), in one real VS Code (the packaged .vsix in code-server) driven
// in real Chromium: no mouse event reaches the page. The panel is opened with "View: Show Tally" from the
// command palette (F1); every control is then reached with Tab / Shift+Tab and used with Enter or Escape:
//   send          type a question, Enter sends it, the reply arrives and the focus stays in the draft box
//   stop          Escape stops a slowly streaming reply (the server sees the request hung up)
//   retry         a server error (500, no retries) takes the focus to Retry (Tab is pressed until it is there), which
//                 shows a visible focus indicator; Enter on it gets the reply
//   copy          Shift+Tab back to a code block's Copy, Enter: the clipboard holds exactly the block's code
//   conversations New Chat (Tab to it, Enter), a question there, then the conversation list by keyboard (its summary,
//                 Enter; Tab to the first conversation, Enter) switches back to the first conversation
// Each scenario counts as one test: TALLY_E2E_RESULT passed=N failed=N.
//   npm test -- --only build,package && node --import tsx test/e2e/keyboard.e2e.ts
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { frameOf } from './axe';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const CODE = 'export const answer = 42;\nconsole.log(answer);';
const CODE_REPLY = `The constant:\n\n\`\`\`ts\n${CODE}\n\`\`\`\n\nThat is all.`;

/** What the in-page functions use (this file is typechecked without the DOM library). */
interface FocusedElement {
  matches(selector: string): boolean;
  textContent: string | null;
}
interface MouseCounter {
  tallyE2eMouse: number;
  document: { addEventListener(type: string, listener: () => void, capture: boolean): void };
}
interface PageGlobals {
  document: { activeElement: FocusedElement | null };
  getComputedStyle(el: unknown): { outlineStyle: string; outlineWidth: string; boxShadow: string };
}

/** Whether the webview's focused element matches `selector`. */
async function focusIs(view: FrameLocator, selector: string): Promise<boolean> {
  return (await frameOf(view)).evaluate(
    (sel) => !!(globalThis as unknown as PageGlobals).document.activeElement?.matches(sel),
    selector,
  );
}

/** Presses `key` (Tab or Shift+Tab) until the focus is on `selector` in the webview; fails after `max` presses. */
async function tabTo(wb: Workbench, view: FrameLocator, selector: string, key = 'Tab', max = 40): Promise<number> {
  for (let presses = 0; presses <= max; presses++) {
    if (await focusIs(view, selector)) return presses;
    await wb.page.keyboard.press(key);
  }
  throw new Error(`${selector} not reached with ${max} × ${key}`);
}

/** Runs a command from the palette with the keyboard only (F1, its title, Enter). */
async function palette(wb: Workbench, title: string): Promise<void> {
  await wb.page.keyboard.press('F1');
  const input = wb.page.locator('.quick-input-widget input');
  await input.waitFor();
  await wb.page.keyboard.type(title); // F1 opens the palette with its ">" already typed
  const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 20_000 }).catch(async (e: unknown) => {
    log(
      `palette: typed ${JSON.stringify(await input.inputValue())}, rows`,
      await wb.page.locator('.quick-input-list .monaco-list-row').allTextContents(),
    );
    await wb.screenshot(path.join(SCREENSHOTS, 'keyboard-palette-failure.png'));
    throw e;
  });
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Types `text` into the focused draft box and presses Enter. */
async function ask(wb: Workbench, view: FrameLocator, text: string): Promise<void> {
  assert.ok(await focusIs(view, '#composer-input'), 'the focus is in the draft box');
  await wb.page.keyboard.type(text);
  await wb.page.keyboard.press('Enter');
}

const replyFor = (view: FrameLocator, text: string) =>
  view.locator('.message.assistant[data-status="complete"]', { hasText: `Echo: ${text}` }).first();

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  server.setDefault({ chunkDelayMs: 10 });
  let wb: Workbench | undefined;
  const results = new E2eResults('keyboard');
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder: path.join(REPO, 'test', 'fixtures', 'workspace'),
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-e2e-env-key-0016' },
      timeoutMs: 180_000, // six engineers share two cores
      userSettings: { 'tally.retry.maxRetries': 0 }, // a 500 is final at once: the error and its Retry show
    });
    const bench = wb;
    await bench.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bench.server.url });
    const scenario = results.scenarios(bench);
    // (Looked at, not clicked: the extension's views are known once its activity-bar entry shows.)
    await bench.page.locator('.activitybar [aria-label^="Tally"]').first().waitFor({ timeout: 60_000 });
    await palette(bench, 'View: Show Tally');
    const view = await bench.webview('#composer-input');
    // Proof that no mouse is used: the panel counts every mouse button press it gets (checked at the end).
    await (
      await frameOf(view)
    ).evaluate(() => {
      const g = globalThis as unknown as MouseCounter;
      g.tallyE2eMouse = 0;
      g.document.addEventListener('mousedown', () => g.tallyE2eMouse++, true);
    });
    const first = 'Hello from the keyboard';

    await scenario('send', async () => {
      const presses = await tabTo(bench, view, '#composer-input');
      log(`the draft box reached with ${presses} Tab(s)`);
      await ask(bench, view, first);
      await replyFor(view, first).waitFor({ timeout: 30_000 });
      assert.ok(await focusIs(view, '#composer-input'), 'the focus stays in the draft box after sending');
    });

    await scenario('stop', async () => {
      server.enqueue({ text: 'A slow reply that goes on and on. '.repeat(40), chunkSize: 4, chunkDelayMs: 150 });
      const before = server.requests.length;
      await ask(bench, view, 'Answer slowly');
      await view.locator('.message.assistant[data-status="streaming"]').waitFor({ timeout: 30_000 });
      await bench.page.keyboard.press('Escape');
      await view.locator('.message.assistant[data-status="streaming"]').waitFor({ state: 'detached', timeout: 10_000 });
      const request = server.requests[before];
      for (let i = 0; i < 50 && !request?.clientClosedEarly; i++) await bench.page.waitForTimeout(100);
      assert.equal(request?.clientClosedEarly, true, 'the server saw the request hang up');
      assert.equal(request?.finished, false, 'the reply had not ended by itself');
      assert.ok(await focusIs(view, '#composer-input'), 'the focus is back in the draft box after Escape');
    });

    await scenario('retry', async () => {
      server.enqueue({ status: 500 });
      const text = 'This one fails first';
      await ask(bench, view, text);
      const retry = '#error button[data-action="retry"]';
      await view.locator(retry).waitFor({ timeout: 30_000 });
      const presses = await tabTo(bench, view, retry);
      log(`Retry reached with ${presses} Tab(s) after the error`);
      const look = await (
        await frameOf(view)
      ).evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        const el = g.document.activeElement;
        const s = g.getComputedStyle(el);
        return {
          focusVisible: !!el?.matches(':focus-visible'),
          outline: `${s.outlineStyle} ${s.outlineWidth}`,
          boxShadow: s.boxShadow,
        };
      });
      log('the focused Retry:', JSON.stringify(look));
      assert.ok(look.focusVisible, 'Retry matches :focus-visible');
      const outlined = !look.outline.startsWith('none') && parseFloat(look.outline.split(' ')[1]) > 0;
      assert.ok(outlined || look.boxShadow !== 'none', `a visible focus indicator: ${JSON.stringify(look)}`);
      await bench.screenshot(path.join(SCREENSHOTS, 'keyboard-retry-focus.png'));
      await bench.page.keyboard.press('Enter');
      await replyFor(view, text).waitFor({ timeout: 30_000 });
      assert.equal(await view.locator('#error').isVisible(), false, 'the error is gone');
    });

    await scenario('copy', async () => {
      server.enqueue({ text: CODE_REPLY });
      await tabTo(bench, view, '#composer-input', 'Shift+Tab');
      await ask(bench, view, 'Show me the constant');
      await view.locator('.message.assistant[data-status="complete"]', { hasText: 'That is all.' }).waitFor();
      const copy = '.message.assistant button[data-code-action="copy"]'; // the only code block
      const presses = await tabTo(bench, view, copy, 'Shift+Tab');
      log(`Copy reached with ${presses} Shift+Tab(s) from the draft box`);
      await bench.page.keyboard.press('Enter');
      await view.locator(copy, { hasText: /Copied/ }).waitFor({ timeout: 10_000 });
      const clipboard = await bench.page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      );
      assert.equal(clipboard.trimEnd(), CODE, 'the clipboard holds the code block');
    });

    await scenario('conversations', async () => {
      await tabTo(bench, view, '#conversation-new', 'Shift+Tab');
      await bench.page.keyboard.press('Enter');
      await view.locator('.message').first().waitFor({ state: 'detached', timeout: 10_000 });
      await tabTo(bench, view, '#composer-input');
      const second = 'A second conversation, by keyboard';
      await ask(bench, view, second);
      await replyFor(view, second).waitFor({ timeout: 30_000 });
      await tabTo(bench, view, '#conversations > summary', 'Shift+Tab');
      await bench.page.keyboard.press('Enter');
      const older = '.conversation-item:not(.current) .conversation-open';
      await view.locator(older).first().waitFor({ timeout: 10_000 });
      await tabTo(bench, view, older);
      await bench.page.keyboard.press('Enter');
      await view.locator('.message.user', { hasText: first }).waitFor({ timeout: 10_000 });
      assert.equal(await view.locator('.message.user', { hasText: second }).count(), 0, 'the first conversation');
      assert.ok(await focusIs(view, '#composer-input'), 'the focus goes to the draft box after the switch');
      await bench.screenshot(path.join(SCREENSHOTS, 'keyboard-conversations.png'));
    });
    await scenario('no mouse', async () => {
      const presses = await (await frameOf(view)).evaluate(() => (globalThis as unknown as MouseCounter).tallyE2eMouse);
      assert.equal(presses, 0, 'no mouse button was pressed in the panel');
    });
  } catch (e) {
    results.aborted(e);
  } finally {
    await wb?.close({ passed: results.failed === 0 });
    await server.close();
  }
  return results.report();
}

runE2e(main);
