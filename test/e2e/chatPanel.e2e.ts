// UI test: the packaged Tally (.cache/tally.vsix, from `npm run package`) installed into real VS Code (code-server
// 4.139.1) and driven in real Chromium. It opens the Tally sidebar, sends a message, and sees the reply stream in from
// the loopback fake OpenAI server, then the usage line. Prints TALLY_E2E_RESULT passed=N failed=N; exit 1 on failure.
//   node --import tsx test/e2e/chatPanel.e2e.ts
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { REPO, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const SCREENSHOT = path.join(REPO, '.cache', 'screenshots', 'chat-panel.png');
const MESSAGE = 'Hello from the UI test';

// What the in-page functions below use (this program is typechecked without the DOM lib).
interface PageGlobals {
  tallyE2eSeen?: string[];
  document: { body: unknown; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
}

interface ScrollList {
  scrollHeight: number;
  scrollTop: number;
  clientHeight: number;
  getBoundingClientRect(): { top: number };
  querySelector(selector: string): { getBoundingClientRect(): { top: number } } | null;
}

/** Where message `id` starts, relative to the top of the message list (px), and how far the list is from its end. */
function whereIn(view: FrameLocator, id: string): Promise<{ offset: number; fromEnd: number }> {
  return view.locator('#messages').evaluate((l, target) => {
    const list = l as unknown as ScrollList;
    const top = list.querySelector(`[data-id="${target}"]`)?.getBoundingClientRect().top ?? Number.NaN;
    return {
      offset: top - list.getBoundingClientRect().top,
      fromEnd: list.scrollHeight - list.scrollTop - list.clientHeight,
    };
  }, id);
}

async function chatPanelTest(server: FakeOpenAIServer, wb: Workbench): Promise<void> {
  await wb.clickActivityBar('Tally');
  const view = await wb.webview('#composer-input');
  log('the Tally chat panel is open');

  // Record every text the newest assistant message shows, to see the reply arrive in pieces (streamed), not at once.
  // (No named function inside: tsx's esbuild would wrap it in a __name() helper that the page does not have.)
  await view.locator('body').evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const seen: string[] = [];
    page.tallyE2eSeen = seen;
    new page.MutationObserver(() => {
      const all = page.document.querySelectorAll('.message.assistant');
      const text = all[all.length - 1]?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(page.document.body, { subtree: true, childList: true, characterData: true });
  });

  await view.locator('#composer-input').fill(MESSAGE);
  await view.locator('#send').click();
  const reply = view.locator('.message.assistant[data-status="complete"]', { hasText: `Echo: ${MESSAGE}` });
  await reply.waitFor({ timeout: 30_000 });
  log('the reply is complete:', JSON.stringify(await reply.first().textContent()));

  const requests = await server.waitForRequests(1);
  assert.equal(requests.length, 1, 'the server received exactly one chat request');
  const body = requests[0].body as { stream?: unknown; messages?: { content?: unknown }[] } | undefined;
  assert.equal(body?.stream, true, 'the request asked for a streamed reply');
  assert.ok(JSON.stringify(body?.messages).includes(MESSAGE), 'the request carries the message');
  assert.equal(requests[0].headers.authorization, 'Bearer test-key-e2e', 'the key from OPENAI_API_KEY was used');

  const seen = await view.locator('body').evaluate(() => (globalThis as unknown as PageGlobals).tallyE2eSeen ?? []);
  const partial = seen.filter((t) => !t.includes(`Echo: ${MESSAGE}`) && t.includes('Echo'));
  log(`the assistant message showed ${seen.length} successive texts, ${partial.length} of them partial`);
  assert.ok(partial.length >= 1, `the reply was not seen streaming in: ${JSON.stringify(seen)}`);

  const usage = view.locator('.message.assistant .usage').last();
  await usage.waitFor({ state: 'visible', timeout: 10_000 });
  const usageText = (await usage.textContent()) ?? '';
  log('usage line:', JSON.stringify(usageText));
  assert.match(usageText, /token/i, 'the usage line mentions tokens');

  await wb.screenshot(SCREENSHOT);

  // Where the list is scrolled to survives too. Three long replies, and the list scrolled so that the second starts
  // 37 px above the top of the screen: the panel saves that message and offset (uiStateSaver.ts), and puts the list
  // back there when the conversation is shown again (render/messageList.ts restore).
  for (let i = 1; i <= 3; i++) {
    const long =
      `Long reply ${i}.\n\n` + `Paragraph of reply ${i}, long enough to wrap in the sidebar. `.repeat(8) + '\n\n';
    server.enqueue({ text: long.repeat(6), chunkSize: 4096, chunkDelayMs: 0 });
    await view.locator('#composer-input').fill(`long ${i}`);
    await view.locator('#send').click();
    await view
      .locator('.message.assistant[data-status="complete"]', { hasText: `Long reply ${i}.` })
      .waitFor({ timeout: 30_000 });
  }
  const targetId = await view.locator('.message.assistant', { hasText: 'Long reply 2.' }).getAttribute('data-id');
  assert.ok(targetId, 'the second long reply has an id');
  await view.locator('#messages').evaluate((l, target) => {
    const list = l as unknown as ScrollList;
    const top = list.querySelector(`[data-id="${target}"]`)?.getBoundingClientRect().top ?? 0;
    list.scrollTop += top - list.getBoundingClientRect().top + 37;
  }, targetId);
  const before = await whereIn(view, targetId);
  log('scrolled to the second long reply:', JSON.stringify(before));
  assert.ok(Math.abs(before.offset + 37) <= 1 && before.fromEnd > 100, 'scrolled up, into the second long reply');

  // A draft survives the view being hidden: VS Code disposes a hidden webview view (Tally does not retain it), and
  // the new one gets the draft back from the state the panel saved with setState (a short draft change is saved at once:
  // uiStateSaver.ts).
  const draft = 'an unsent draft, typed just before the view was hidden';
  await view.locator('#composer-input').fill(draft);
  await view.locator('body').evaluate(() => {
    (globalThis as unknown as { tallyE2eOld?: boolean }).tallyE2eOld = true;
  });
  await wb.clickActivityBar('Explorer');
  await wb.clickActivityBar('Tally');
  const again = await wb.webview('#composer-input');
  await again.locator('#composer-input').waitFor({ state: 'visible', timeout: 30_000 });
  const fresh = await again
    .locator('body')
    .evaluate(() => (globalThis as unknown as { tallyE2eOld?: boolean }).tallyE2eOld !== true);
  assert.ok(fresh, 'the view was disposed and loaded again (a retained view would prove nothing)');
  assert.equal(await again.locator('#composer-input').inputValue(), draft, 'the draft came back');
  log('the draft survived hiding the view');
  await again.locator(`[data-id="${targetId}"]`).waitFor({ timeout: 30_000 });
  let after = await whereIn(again, targetId);
  for (let i = 0; i < 20 && Math.abs(after.offset - before.offset) > 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = await whereIn(again, targetId);
  }
  log('after the view came back:', JSON.stringify(after));
  assert.ok(
    Math.abs(after.offset - before.offset) <= 2,
    `the list came back where it was: the second long reply at ${after.offset} px (was ${before.offset})`,
  );
  assert.ok(after.fromEnd > 100, 'not at its end');
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  // Pieces 150 ms apart: the host posts what arrived every ~50 ms and the panel paints a streaming reply at most every
  // 100 ms, so a reply that arrives faster than that may rightly appear in one step.
  server.setDefault({ chunkDelayMs: 150, chunkSize: 4 });
  let wb: Workbench | undefined;
  let passed = false;
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder: path.join(REPO, 'test', 'fixtures', 'workspace'),
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'test-key-e2e' },
    });
    await chatPanelTest(server, wb);
    passed = true;
  } catch (e) {
    log('FAILED:', e instanceof Error ? e.message.split('\n').slice(0, 8).join('\n') : String(e));
    if (wb) await wb.screenshot(path.join(REPO, '.cache', 'screenshots', 'chat-panel-failure.png')).catch(() => {});
    if (wb?.consoleErrors.length) log('browser console errors:\n  ' + wb.consoleErrors.slice(-10).join('\n  '));
  } finally {
    await wb?.close({ passed });
    await server.close();
  }
  console.log(`TALLY_E2E_RESULT passed=${passed ? 1 : 0} failed=${passed ? 0 : 1}`);
  return passed ? 0 : 1;
}

runE2e(main);
