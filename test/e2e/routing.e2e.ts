// UI test of routing (issue #13 item 2) in one real VS Code (the packaged .vsix in code-server) driven in real
// Chromium: with tally.model set to `auto` in the user settings, a question typed in the panel is routed (task chat)
// and its reply shows the model, the reason and the saving; the "Ask gpt-4o" button has an accessible name, is
// reached by the keyboard, and re-asks the question with gpt-4o, whose reply replaces the routed one.
//   npm test -- --only build,package && node --import tsx test/e2e/routing.e2e.ts
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const KEY = 'sk-e2e-routing-key-0001';

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENAI_BASE_URL: server.baseUrl,
    OPENAI_API_KEY: KEY,
    TALLY_CS_USER_SETTINGS: JSON.stringify({ 'tally.model': 'auto' }),
  };
  let wb: Workbench | undefined;
  const results = new E2eResults('routing');
  const models = () =>
    server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => (r.body as { model: string }).model);
  try {
    wb = await Workbench.open({ vsix: VSIX, env });
    const bench = wb;
    const scenario = results.scenarios(bench);
    await bench.clickActivityBar('Tally');
    const view = await bench.webview('#composer-input');
    await view.locator('#composer-input').fill('What is a closure, in one sentence?');
    await view.locator('#send').click();
    const reply = view.locator('.message.assistant[data-status="complete"]').last();
    await reply.waitFor({ timeout: 30_000 });

    await scenario('routed reply shows model, reason and saving', async () => {
      assert.deepEqual(models(), ['gpt-4o-mini']);
      const line = reply.locator('.footer .route');
      await line.waitFor();
      const text = (await line.locator('.route-reason').textContent()) ?? '';
      log('route line:', JSON.stringify(text));
      assert.match(text, /^Chat · simple \(\d+ tokens\) → gpt-4o-mini · saves ≈ \$0\.\d+ against gpt-4o$/);
      assert.match((await reply.locator('.role').textContent()) ?? '', /gpt-4o-mini/);
      await bench.screenshot(path.join(SCREENSHOTS, 'routing-reply.png'));
    });

    await scenario('Ask gpt-4o by keyboard re-asks with the stronger model', async () => {
      const ask = reply.locator('button.reask');
      assert.equal(await ask.textContent(), 'Ask gpt-4o');
      assert.match((await ask.getAttribute('aria-label')) ?? '', /^Ask gpt-4o: /);
      await ask.focus();
      assert.equal(await ask.evaluate((el) => el.matches(':focus')), true, 'focusable');
      await bench.page.keyboard.press('Enter');
      const strong = view.locator('.message.assistant[data-status="complete"] .role', { hasText: /· gpt-4o$/ });
      await strong.waitFor({ timeout: 30_000 });
      assert.deepEqual(models(), ['gpt-4o-mini', 'gpt-4o']);
      assert.equal(await view.locator('.message.assistant').count(), 1, 'the re-ask replaced the routed reply');
      assert.equal(await view.locator('.message.user').count(), 1, 'the question is shown once');
      assert.equal(await view.locator('button.reask').count(), 0, 'the strong reply offers no re-ask');
    });
  } catch (e) {
    results.aborted(e);
  } finally {
    await wb?.close();
    await server.close();
  }
  return results.report();
}

runE2e(main);
