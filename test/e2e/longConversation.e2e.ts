// UI test of a long conversation in the panel, in one real VS Code (the packaged .vsix in code-server) driven in real
// Chromium: a 2,000-message conversation is opened (posted to the webview as the host's `conversation/opened`, the
// message the host sends with every message of a conversation), then
//   scroll up    setting scrollTop to 0, again and again, reaches the first message: older pages load as the top
//                comes into view (no click), the DOM stays under a bound, each message is built and rendered once
//   scroll down  a screen at a time back to the newest message, the DOM still bounded
//   streaming    a sent message's reply streams at the bottom, followed by the scroll position
// First paint of 2,000 messages against 80 is printed (information only, not asserted: timings live in the bench).
// Each scenario counts as one test: TALLY_E2E_RESULT passed=N failed=N.
//   node --import tsx test/e2e/longConversation.e2e.ts
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { ChatMessage } from '../../src/shared/conversation';
import { MAX_PAGES, PAGE } from '../../src/webview/messageWindow';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { contentOf, roleOf } from '../support/conversationWriter';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const SHOTS = SCREENSHOTS;
const LONG = 2000;
/** Today's panel left ~15,000 nodes after paging through 2,000 messages; the window keeps far fewer. */
const NODE_BOUND = 5000;

function conversation(id: string, n: number): ChatMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${id}-m${i}`,
    role: roleOf(i),
    content: contentOf(id, i),
    createdAt: 1_700_000_000_000 + i,
    ...(roleOf(i) === 'assistant' ? { model: 'gpt-4o-mini', status: 'complete' as const } : {}),
  }));
}

// What the in-page functions use (this program is typechecked without the DOM lib; no named functions inside them:
// tsx would wrap those in a __name() helper the page does not have).
interface ListEl extends Rect {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
  dataset: Record<string, string | undefined>;
  querySelectorAll(s: string): ArrayLike<unknown>;
}
interface Rect {
  getBoundingClientRect(): { top: number; bottom: number };
}
interface PageGlobals {
  document: {
    body: { dataset: Record<string, string | undefined> };
    getElementsByTagName(t: string): ArrayLike<unknown>;
  };
  performance: { now(): number };
  postMessage(msg: unknown, origin: string): void;
  requestAnimationFrame(f: () => void): void;
  setTimeout(f: () => void, ms: number): void;
}

/** Posts `conversation/opened` inside the webview; resolves with the ms until the frame after it was painted. */
async function open(view: FrameLocator, id: string, messages: ChatMessage[]): Promise<number> {
  return view.locator('body').evaluate(
    async (_body, msg) => {
      const page = globalThis as unknown as PageGlobals;
      const data = page.document.body.dataset;
      const before = Number(data.paints ?? 0);
      const t0 = page.performance.now();
      page.postMessage(msg, '*');
      while (Number(data.paints ?? 0) <= before) await new Promise<void>((r) => page.requestAnimationFrame(r));
      await new Promise<void>((r) => page.requestAnimationFrame(() => page.setTimeout(r, 0)));
      return page.performance.now() - t0;
    },
    { type: 'conversation/opened', conversation: { id, title: id }, messages },
  );
}

interface Probe {
  hiddenAbove: number;
  hiddenBelow: number;
  nodes: number;
  articles: number;
  viewsBuilt: number;
  windowMoves: number;
  markdownRenders: number;
  atBottom: boolean;
  /** How far the first message on screen moved while pages were added or dropped (0: kept in place). */
  shift: number;
}

/**
 * 'top': sets scrollTop to 0; 'down': scrolls down a screen at a time (like Page Down). Either until the window moves
 * (a page added or dropped) or ~2 s / the end. `shift`: how far the first message on screen moved in the last step.
 */
async function scrollTo(view: FrameLocator, where: 'top' | 'down'): Promise<Probe> {
  return view.locator('#messages').evaluate(async (el, to) => {
    const page = globalThis as unknown as PageGlobals;
    const list = el as unknown as ListEl;
    const moves = list.dataset.windowMoves;
    let edge: Rect | undefined;
    let before = 0;
    for (let step = 0; step < 5000; step++) {
      if (to === 'top') list.scrollTop = 0;
      else list.scrollTop += list.clientHeight;
      // The first message on screen: what the panel keeps in place when it adds or drops pages.
      const top = list.getBoundingClientRect().top;
      edge = Array.from(list.querySelectorAll('article.message') as ArrayLike<Rect>).find(
        (e) => e.getBoundingClientRect().bottom > top,
      );
      before = edge?.getBoundingClientRect().top ?? 0;
      for (let f = 0; f < 3; f++) await new Promise<void>((r) => page.requestAnimationFrame(r));
      if (list.dataset.windowMoves !== moves) break;
      if (to === 'top' ? step >= 40 : list.scrollHeight - list.scrollTop - list.clientHeight < 2) break;
    }
    const d = list.dataset;
    return {
      hiddenAbove: Number(d.hiddenAbove),
      hiddenBelow: Number(d.hiddenBelow),
      nodes: page.document.getElementsByTagName('*').length,
      articles: list.querySelectorAll('article.message').length,
      viewsBuilt: Number(d.viewsBuilt),
      windowMoves: Number(d.windowMoves),
      markdownRenders: Number(page.document.body.dataset.markdownRenders),
      atBottom: list.scrollHeight - list.scrollTop - list.clientHeight < 40,
      shift: (edge?.getBoundingClientRect().top ?? 0) - before,
    };
  }, where);
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  server.setDefault({ chunkDelayMs: 20 });
  let wb: Workbench | undefined;
  const results = new E2eResults('long');
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder: path.join(REPO, 'test', 'fixtures', 'workspace'),
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-e2e-env-key-0001' },
    });
    await wb.clickActivityBar('Tally');
    const view = await wb.webview('#composer-input');
    const bench = wb;
    const scenario = results.scenarios(bench);

    const short = conversation('short', PAGE);
    const long = conversation('long', LONG);
    // Information only: first paint of 80 and of 2,000 messages, three times each, interleaved.
    const paints: { short: number[]; long: number[] } = { short: [], long: [] };
    for (let i = 0; i < 3; i++) {
      paints.short.push(await open(view, `short${i}`, short));
      paints.long.push(await open(view, `long${i}`, long));
    }
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[1];
    log(
      `first paint (info): ${PAGE} messages ${median(paints.short).toFixed(0)} ms, ${LONG} messages`,
      `${median(paints.long).toFixed(0)} ms, ratio ${(median(paints.long) / median(paints.short)).toFixed(2)}`,
      JSON.stringify(paints),
    );
    await open(view, 'long', long);

    let top: Probe | undefined;
    let maxNodes = 0;
    await scenario('scroll up to the first message', async () => {
      const start = await scrollTo(view, 'down');
      assert.equal(start.hiddenAbove, LONG - PAGE, 'opens on the newest page');
      for (let i = 0; i < 3 * (LONG / PAGE) && (top?.hiddenAbove ?? 1) > 0; i++) {
        top = await scrollTo(view, 'top');
        maxNodes = Math.max(maxNodes, top.nodes);
        if (top.hiddenAbove > 0) assert.ok(Math.abs(top.shift) <= 2, `what was on screen stayed (${top.shift}px)`);
        assert.ok(top.articles <= PAGE * MAX_PAGES, `${top.articles} messages in the DOM`);
      }
      assert.ok(top, 'scrolled');
      log('at the top:', JSON.stringify(top), 'max nodes', maxNodes);
      assert.equal(top.hiddenAbove, 0, 'every older page loaded by scrolling');
      await view.locator('article[data-id="long-m0"]').waitFor({ state: 'visible', timeout: 5000 });
      const m0 = await view.locator('article[data-id="long-m0"]').textContent();
      assert.match(m0 ?? '', /long message 0:/);
      assert.ok(maxNodes < NODE_BOUND, `DOM nodes ${maxNodes} < ${NODE_BOUND}`);
      assert.ok(top.windowMoves >= Math.ceil((LONG - PAGE) / PAGE), 'one move per page');
      // Each message built once on the way up (nothing above is rebuilt); markdown rendered once per built reply.
      assert.ok(top.viewsBuilt - start.viewsBuilt <= LONG - PAGE, `views built ${top.viewsBuilt - start.viewsBuilt}`);
      const renders = top.markdownRenders - start.markdownRenders;
      assert.ok(renders > 0 && renders <= (LONG - PAGE) / 2, `one markdown render per reply built (${renders})`);
      await bench.screenshot(path.join(SHOTS, 'long-top.png'));
    });

    await scenario('scroll back down to the newest message', async () => {
      let p = top ?? (await scrollTo(view, 'down'));
      for (let i = 0; i < 3 * (LONG / PAGE) && (p.hiddenBelow > 0 || !p.atBottom); i++) {
        p = await scrollTo(view, 'down');
        maxNodes = Math.max(maxNodes, p.nodes);
        if (p.hiddenBelow > 0) assert.ok(Math.abs(p.shift) <= 2, `what was on screen stayed (${p.shift}px)`);
        assert.ok(p.articles <= PAGE * MAX_PAGES);
      }
      log('at the bottom:', JSON.stringify(p), 'max nodes', maxNodes);
      assert.equal(p.hiddenBelow, 0);
      assert.ok(maxNodes < NODE_BOUND, `DOM nodes ${maxNodes} < ${NODE_BOUND}`);
      await view.locator(`article[data-id="long-m${LONG - 1}"]`).waitFor({ state: 'visible', timeout: 5000 });
      assert.ok((await view.locator('.code-actions button').count()) > 0, 'code blocks keep their actions');
    });

    await scenario('streaming at the bottom', async () => {
      await scrollTo(view, 'top'); // away from the end: a send returns to it
      const text = 'A reply at the end of a long conversation';
      await view.locator('#composer-input').fill(text);
      await view.locator('#send').click();
      await view
        .locator('.message.assistant[data-status="complete"]', { hasText: `Echo: ${text}` })
        .waitFor({ timeout: 30_000 });
      const p = await scrollTo(view, 'down');
      assert.ok(p.nodes < NODE_BOUND);
      const followed = await view.locator('#messages').evaluate((l) => {
        const list = l as unknown as ListEl;
        return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
      });
      assert.ok(followed, 'the list is at its end');
      await bench.screenshot(path.join(SHOTS, 'long-streamed.png'));
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
