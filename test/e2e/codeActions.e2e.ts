// UI test of a code action from the editor (issue #13), in one real VS Code (the packaged .vsix in code-server) driven
// in real Chromium: code selected in an editor, right-click → Tally → Refactor sends the selection (file, range,
// code) routed by the router; the reply shows the model, the reason and the saving; "Ask gpt-4o" re-asks with the
// stronger model; Replace… on the reply's code block shows the diff, Accept applies it and one undo restores.
//   npm test -- --only build,package && node --import tsx test/e2e/codeActions.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const ORIGINAL = 'export function add(a, b) {\n  return a + b;\n}\n';
const BETTER = 'export function add(a: number, b: number): number {\n  return a + b;\n}';
const REPLY = `Typed:\n\n\`\`\`ts\n${BETTER}\n\`\`\`\n`;

async function editorText(wb: Workbench): Promise<string> {
  const lines = await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return lines.replace(/\u00a0/g, ' ');
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-actions-'));
  fs.writeFileSync(path.join(folder, 'calc.ts'), ORIGINAL);
  let wb: Workbench | undefined;
  const results = new E2eResults('code-actions');
  const chats = () => server.requests.filter((r) => r.path === '/v1/chat/completions');
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder,
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-e2e-actions-0001' },
    });
    const bench = wb;
    const page = bench.page;
    const scenario = results.scenarios(bench);
    await bench.clickActivityBar('Tally');
    const view = await bench.webview('#composer-input');
    const lines = await bench.openFile('calc.ts', 'return');

    await scenario('right-click → Tally → Refactor sends the routed selection; the reply says why', async () => {
      await lines.click();
      await page.keyboard.press('Control+A');
      server.enqueue({ text: REPLY });
      await lines.click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu
        .locator('.action-label', { hasText: /^Tally$/ })
        .first()
        .hover();
      const refactor = menu.locator('.action-label', { hasText: /^Refactor$/ }).first();
      await refactor.click();
      // On a loaded machine the submenu can take the click while it is still opening: the item is highlighted and
      // nothing runs (seen once in a full run, the menu still open a minute later). Click again while the menu stays
      // open and no request came; a click that ran the command closes the menu.
      const sent = chats().length;
      for (let i = 0; i < 3; i++) {
        await page.waitForTimeout(1_000);
        if (chats().length > sent || !(await refactor.isVisible())) break;
        log('the context menu is still open: clicking Refactor again');
        await refactor.click().catch(() => undefined);
      }
      const reply = view.locator('.message.assistant[data-status="complete"]').last();
      await reply.waitFor({ timeout: 60_000 });
      const body = chats().at(-1)!.body as { model: string; messages: { role: string; content: string }[] };
      assert.equal(body.model, 'gpt-4o-mini', 'a small refactor is routed to the cheap model');
      const prompt = body.messages.at(-1)!.content;
      assert.match(prompt, /calc\.ts/);
      assert.match(prompt, /lines 1–[34]/);
      assert.match(prompt, /return a \+ b;/);
      const reason = (await reply.locator('.route-reason').textContent()) ?? '';
      log('route line:', JSON.stringify(reason));
      assert.match(reason, /^Refactor · simple \(.*\) → gpt-4o-mini · saves ≈ \$[\d.]+ against gpt-4o$/);
      await bench.screenshot(path.join(SCREENSHOTS, 'code-action-refactor.png'));
    });

    await scenario('Ask gpt-4o re-asks; Replace… shows the diff, Accept applies, one undo restores', async () => {
      server.enqueue({ text: REPLY });
      await view.locator('button.reask').last().click();
      await view
        .locator('.message.assistant[data-status="complete"] .role', { hasText: /· gpt-4o$/ })
        .waitFor({ timeout: 60_000 });
      assert.equal((chats().at(-1)!.body as { model: string }).model, 'gpt-4o');
      await lines.click();
      await page.keyboard.press('Control+A');
      const reply = view.locator('.message.assistant[data-status="complete"]').last();
      await reply.locator('button[data-code-action="replace"]').click();
      const toast = page.locator('.notification-toast', { hasText: 'Replace the selection in calc.ts' });
      await toast.waitFor({ timeout: 30_000 });
      assert.match(await editorText(bench), /export function add\(a, b\)/, 'nothing replaced before Accept');
      await toast.locator('.monaco-button', { hasText: 'Accept' }).click();
      // The diff closes after Accept; the editor then shows the new code.
      let text = '';
      for (let i = 0; i < 120 && !/b: number/.test(text); i++) {
        await page.waitForTimeout(250);
        text = await editorText(bench);
      }
      assert.match(text, /add\(a: number, b: number\): number/);
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Z');
      await page
        .locator('.editor-instance .monaco-editor .view-lines', { hasText: 'add(a, b)' })
        .first()
        .waitFor({ timeout: 30_000 });
    });
  } catch (e) {
    results.aborted(e);
  } finally {
    await wb?.close();
    await server.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return results.report();
}

runE2e(main);
