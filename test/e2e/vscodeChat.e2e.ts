// UI test of Tally in VS Code's own Chat view (issue #16) in one real VS Code (the packaged .vsix in code-server)
// driven in real Chromium: the built-in chat features are enabled ("Chat: Manage Language Models"), `@tally /cost` is
// answered from Tally's ledger, and a question asked with the Tally model the picker shows (Agent mode: ~40 tools) is
// answered by the loopback server through Tally, and the status bar's spending rises. Screenshots of each step.
//   npm test -- --only build,package && node --import tsx test/e2e/vscodeChat.e2e.ts
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const KEY = 'sk-e2e-vscode-chat-0001';

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: KEY };
  let wb: Workbench | undefined;
  const results = new E2eResults('vscode-chat');
  const chats = () => server.requests.filter((r) => r.path === '/v1/chat/completions');
  try {
    wb = await Workbench.open({ vsix: VSIX, env });
    const bench = wb;
    const page = bench.page;
    const scenario = results.scenarios(bench);
    // Tally activates on startup finished; opening its view makes sure it has.
    await bench.clickActivityBar('Tally');
    await bench.webview('#composer-input');
    await bench.runCommand('Chat: Manage Language Models');
    await page.waitForTimeout(3000);
    await bench.screenshot(path.join(SCREENSHOTS, 'vscode-chat-manage.png'));
    await page.keyboard.press('Escape');
    await bench.runCommand('Chat: Open Chat');
    // The chat's input box (a Monaco editor: its own element takes the click, not the hidden IME textarea).
    const input = page.locator('.interactive-input-part .monaco-editor, .chat-input-part .monaco-editor').last();
    await input.waitFor({ timeout: 30_000 });

    // Typing may leave a completion open (participant, command): Enter picks it; the Send button sends.
    const send = async (text: string) => {
      await input.click();
      await page.keyboard.type(text, { delay: 20 });
      await page.waitForTimeout(500);
      await page.keyboard.press('Escape');
      await page
        .locator('.interactive-input-part, .chat-input-part')
        .getByRole('button', { name: /^Send/ })
        .last()
        .click();
    };

    await scenario('@tally /cost answers from the ledger', async () => {
      await send('@tally /cost');
      const answer = page.locator('.interactive-response, .chat-response').filter({ hasText: /Tally usage/ });
      await answer.first().waitFor({ timeout: 60_000 });
      await bench.screenshot(path.join(SCREENSHOTS, 'vscode-chat-cost.png'));
      assert.equal(chats().length, 0, '/cost sends nothing');
    });

    await scenario('a question with a Tally model is answered through Tally', async () => {
      // The picker shows a Tally model (the only vendor with models here): asked without @tally, in the Chat view's
      // own mode, the question reaches the loopback server through Tally's provider.
      const status = page.locator('.statusbar-item', { hasText: / tok · / }).first();
      const before = (await status.textContent()) ?? '';
      await send('Hello from the Chat view');
      const answer = page.locator('.interactive-response, .chat-response').filter({ hasText: /Echo:/ });
      await answer.first().waitFor({ timeout: 90_000 });
      await bench.screenshot(path.join(SCREENSHOTS, 'vscode-chat-answer.png'));
      const asked = chats();
      log('models asked:', asked.map((r) => (r.body as { model: string }).model).join(', '));
      assert.ok(asked.length >= 1);
      const last = asked.at(-1)!.body as { messages: unknown[]; tools?: unknown[] };
      assert.match(JSON.stringify(last.messages), /Hello from the Chat view/);
      log('tools offered by the Chat view:', String(last.tools?.length ?? 0));
      // The same ledger as the panel's: the status bar's spending rises.
      let after = before;
      for (let i = 0; i < 80 && after === before; i++) {
        await page.waitForTimeout(250);
        after = (await status.textContent()) ?? '';
      }
      log('status bar:', JSON.stringify(before), '->', JSON.stringify(after));
      assert.notEqual(after, before);
      assert.doesNotMatch(after, /^\s*0 tok/);
    });
  } catch (e) {
    if (wb) await wb.screenshot(path.join(SCREENSHOTS, 'vscode-chat-failure.png')).catch(() => undefined);
    results.aborted(e);
  } finally {
    await wb?.close();
    await server.close();
  }
  return results.report();
}

runE2e(main);
