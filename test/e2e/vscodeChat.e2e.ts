// UI test of Tally in VS Code's own Chat view (issue #16) in one real VS Code (the packaged .vsix in code-server)
// driven in real Chromium: the built-in chat features are enabled ("Chat: Manage Language Models"), `@tally /cost` is
// answered from Tally's ledger, and a question asked with the Tally model the picker shows (Agent mode: ~40 tools) is
// answered by the loopback server through Tally, and the status bar's spending rises; then Ask mode with gpt-4o-mini
// picked by hand in the Chat view's pickers, and `@tally /explain` on a selection in an editor (the selected code
// reaches the loopback server, the reply shows model and reason, the status bar rises). Screenshots of each step.
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
    wb = await Workbench.open({ vsix: VSIX, env, timeoutMs: 180_000 });
    const bench = wb;
    const page = bench.page;
    const scenario = results.scenarios(bench);
    // Tally activates on startup finished; opening its view makes sure it has.
    await bench.clickActivityBar('Tally');
    await bench.webview('#composer-input');
    await bench.runCommand('Chat: Manage Language Models');
    await page.waitForTimeout(3000);
    await bench.screenshot(path.join(SCREENSHOTS, 'vscode-chat-manage.png'));
    // "Language Models" opens as a modal editor (its "Add Models" button tells it is there), and on a loaded machine it
    // may show again after it was closed: before each click into the chat, Escape from inside it, else View: Close Editor.
    const manage = page.getByText('Add Models', { exact: true }).first();
    const closeManage = async () => {
      for (let i = 0; i < 3 && (await manage.isVisible().catch(() => false)); i++) {
        await page
          .getByPlaceholder('Type to search...')
          .first()
          .click({ timeout: 5000 })
          .catch(() => undefined);
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1500);
      }
      if (await manage.isVisible().catch(() => false)) await bench.runCommand('View: Close Editor');
      await manage.waitFor({ state: 'hidden', timeout: 20_000 });
    };
    await closeManage();
    await bench.runCommand('Chat: Open Chat');
    // The chat's input box (a Monaco editor: its own element takes the click, not the hidden IME textarea).
    const input = page.locator('.interactive-input-part .monaco-editor, .chat-input-part .monaco-editor').last();
    await input.waitFor({ timeout: 30_000 });

    // Typing may leave a completion open (participant, command): Enter picks it; the Send button sends.
    const send = async (text: string) => {
      await closeManage();
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
      const last = asked.at(-1)!.body as { messages: unknown[]; tools?: { function: { name: string } }[] };
      assert.match(JSON.stringify(last.messages), /Hello from the Chat view/);
      log('tools offered by the Chat view:', (last.tools ?? []).map((t) => t.function.name).join(', '));
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
    // A picker in the chat's input toolbar: click the item that shows `current`, then the row that says `choice`.
    const toolbar = page.locator('.interactive-input-part, .chat-input-part').last();
    const pick = async (current: RegExp, choice: RegExp, shortcut: string, search?: string) => {
      await closeManage();
      const item = toolbar.locator('.action-item').filter({ hasText: current }).first();
      if (await item.isVisible().catch(() => false)) await item.click();
      else {
        await input.click();
        await page.keyboard.press(shortcut);
      }
      // The model picker lists the chosen model and folds the rest under "Other Models": its search box finds one.
      if (search) await page.getByPlaceholder('Search models').first().fill(search);
      const row = page
        .locator('.action-widget .monaco-list-row, .action-widget .action-item, .quick-input-list .monaco-list-row')
        .filter({ hasText: choice })
        .first();
      await row.waitFor({ timeout: 20_000 });
      await row.click();
    };

    await scenario('Ask mode, gpt-4o-mini picked by hand in the model picker: answered through Tally', async () => {
      await pick(/^\s*(Agent|Edit|Plan)\s*$/, /^\s*Ask\b/, 'Control+.');
      await toolbar
        .locator('.action-item')
        .filter({ hasText: /^\s*Ask\s*$/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await pick(/\(Tally\)/, /gpt-4o-mini \(Tal/, 'Control+Alt+.', 'gpt-4o-mini');
      await toolbar
        .locator('.action-item')
        .filter({ hasText: /gpt-4o-mini/ })
        .first()
        .waitFor();
      await bench.screenshot(path.join(SCREENSHOTS, 'vscode-chat-pickers.png'));
      const before = chats().length;
      await send('Which model answers in Ask mode?');
      const answer = page.locator('.interactive-response, .chat-response').filter({ hasText: /Echo:[\s\S]*Ask mode/ });
      await answer.first().waitFor({ timeout: 90_000 });
      await bench.screenshot(path.join(SCREENSHOTS, 'vscode-chat-ask.png'));
      const asked = chats().slice(before);
      const body = asked.at(-1)!.body as { model: string; tools?: { function: { name: string } }[] };
      assert.equal(body.model, 'gpt-4o-mini', 'the model picked by hand');
      log('tools offered in Ask mode:', (body.tools ?? []).map((t) => t.function.name).join(', '));
    });

    await scenario(
      '@tally /explain on a selection in an editor: the selected code is sent, model and reason shown',
      async () => {
        await page.keyboard.press('Escape'); // a picker left open would cover the editor
        const lines = await bench.openFile('explain-me.js', 'return a + b', 60_000);
        await lines.click();
        await page.keyboard.press('Control+A');
        const status = page.locator('.statusbar-item', { hasText: / tok · / }).first();
        const before = (await status.textContent()) ?? '';
        const sentBefore = chats().length;
        await send('@tally /explain');
        const answer = page
          .locator('.interactive-response, .chat-response')
          .filter({ hasText: /Explain · .*→ gpt-4o-mini/ })
          .filter({ hasText: /Echo:/ });
        await answer.first().waitFor({ timeout: 90_000 });
        await bench.screenshot(path.join(SCREENSHOTS, 'vscode-chat-explain.png'));
        const body = chats().at(-1)!.body as { model: string; messages: { content: string }[] };
        assert.equal(chats().length, sentBefore + 1);
        assert.equal(body.model, 'gpt-4o-mini', 'a small explanation is routed to the cheap model');
        const prompt = body.messages.at(-1)!.content;
        assert.match(prompt, /explain-me\.js/);
        assert.match(prompt, /return a \+ b;/);
        let after = before;
        for (let i = 0; i < 80 && after === before; i++) {
          await page.waitForTimeout(250);
          after = (await status.textContent()) ?? '';
        }
        log('status bar:', JSON.stringify(before), '->', JSON.stringify(after));
        assert.notEqual(after, before, 'the status bar cost rises');
      },
    );
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
