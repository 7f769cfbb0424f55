// UI test of a long conversation in the panel, in one real VS Code (the packaged .vsix in code-server) driven in real
// Chromium: a 2,000-message conversation is written to the workspace's conversation folder and opened from the
// panel's conversation list (the host sends its newest 160 messages, and older pages when the panel asks), then
//   scroll up    setting scrollTop to 0, again and again, reaches the first message: older pages load as the top
//                comes into view (no click), asked of the host once each, the DOM stays under a bound, each message
//                is built and rendered once
//   restore      the view disposed and loaded again at the first message: the new panel asks for the pages back to
//                it and puts it back where it was
//   scroll down  a screen at a time back to the newest message, the DOM still bounded
//   streaming    a sent message's reply streams at the bottom, followed by the scroll position
// First paint of 2,000 messages against 80 is printed (information only, not asserted: timings live in the bench).
// Each scenario counts as one test: TALLY_E2E_RESULT passed=N failed=N.
//   node --import tsx test/e2e/longConversation.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { snapshotLine } from '../../src/core/conversations/conversationLog';
import { OLDER_MESSAGES, OPENING_MESSAGES, newestPage } from '../../src/core/conversations/messagePages';
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
/** The first message on screen (its bottom below the list's top) and where its top is against the list's (px). */
async function firstOnScreen(view: FrameLocator): Promise<{ id: string; offset: number }> {
  return view.locator('#messages').evaluate((l) => {
    const list = l as unknown as ListEl;
    const top = list.getBoundingClientRect().top;
    const all = Array.from(list.querySelectorAll('article.message') as ArrayLike<Rect & { dataset: { id?: string } }>);
    const first = all.find((e) => e.getBoundingClientRect().bottom > top);
    if (!first?.dataset.id) throw new Error('no message on screen');
    return { id: first.dataset.id, offset: first.getBoundingClientRect().top - top };
  });
}

/** Where message `id` is: its top against the list's top (px). */
async function whereIs(view: FrameLocator, id: string): Promise<{ offset: number }> {
  return view.locator('#messages').evaluate((l, target) => {
    const list = l as unknown as ListEl & { querySelector(s: string): Rect | null };
    const el = list.querySelector(`[data-id="${target}"]`);
    if (!el) throw new Error(`${target} is not in the list`);
    return { offset: el.getBoundingClientRect().top - list.getBoundingClientRect().top };
  }, id);
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

/** The folder the host keeps this workspace's conversations in (under code-server's user data), once it exists. */
async function conversationsFolder(runDir: string): Promise<string> {
  const root = path.join(runDir, 'user-data', 'User', 'workspaceStorage');
  for (let i = 0; i < 100; i++) {
    const found = fs.existsSync(root)
      ? fs
          .readdirSync(root, { recursive: true, encoding: 'utf8' })
          .filter((p) => path.basename(p) === 'conversations' && fs.statSync(path.join(root, p)).isDirectory())
      : [];
    if (found.length === 1) return path.join(root, found[0]);
    if (found.length > 1) throw new Error(`several conversation folders: ${found.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no conversation folder under ${root}`);
}

/** Writes conversation `id` of `messages` as the host's store would, titled `title`. */
function writeConversation(folder: string, id: string, title: string, messages: ChatMessage[]): void {
  const now = Date.now();
  const conv = { id, title, titleIsAuto: false, createdAt: now, updatedAt: now, messages };
  fs.writeFileSync(path.join(folder, `${id}.json`), snapshotLine(conv).text, { mode: 0o600 });
}

/** Posts `conversation/opened` inside the webview, as the host posts it (its newest messages and the count of the
 *  older ones); resolves with the ms until the frame after it was painted. */
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
    { type: 'conversation/opened', conversation: { id, title: id }, ...newestPage(messages) },
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
  /** Messages the panel has been sent, and its asks for older ones. */
  loaded: number;
  olderAsks: number;
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
      loaded: Number(d.loaded),
      olderAsks: Number(d.olderAsks),
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
    let view = await wb.webview('#composer-input');
    const bench = wb;
    const scenario = results.scenarios(bench);
    // A first question, so the host has written its conversation folder; the long conversation goes next to it.
    await view.locator('#composer-input').fill('A first question');
    await view.locator('#send').click();
    await view.locator('.message.assistant[data-status="complete"]').first().waitFor({ timeout: 30_000 });
    const folder = await conversationsFolder(wb.server.runDir);

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
    writeConversation(folder, 'clong2000', 'A long conversation', long);
    await view.locator('#conversation-title').click(); // opens the conversation list
    await view.locator('.conversation-item', { hasText: 'A long conversation' }).locator('.conversation-open').click();
    await view.locator(`article[data-id="long-m${LONG - 1}"]`).waitFor({ timeout: 30_000 });
    await view.locator('#conversation-title').click(); // and closes it
    const asksFor = (loaded: number) => Math.ceil((LONG - loaded) / OLDER_MESSAGES);

    let top: Probe | undefined;
    let maxNodes = 0;
    await scenario('scroll up to the first message', async () => {
      const start = await scrollTo(view, 'down');
      assert.equal(start.hiddenAbove, LONG - PAGE, 'opens on the newest page');
      assert.equal(start.loaded, OPENING_MESSAGES, 'the host sent the newest messages, not all');
      assert.equal(start.olderAsks, 0, 'opening asks for nothing older');
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
      assert.equal(top.loaded, LONG, 'every message sent by the host');
      assert.equal(top.olderAsks, asksFor(OPENING_MESSAGES), 'each older page asked for once');
      // Each message built once on the way up (nothing above is rebuilt); markdown rendered once per built reply.
      assert.ok(top.viewsBuilt - start.viewsBuilt <= LONG - PAGE, `views built ${top.viewsBuilt - start.viewsBuilt}`);
      const renders = top.markdownRenders - start.markdownRenders;
      assert.ok(renders > 0 && renders <= (LONG - PAGE) / 2, `one markdown render per reply built (${renders})`);
      await bench.screenshot(path.join(SHOTS, 'long-top.png'));
    });

    await scenario('among the oldest messages after the view is disposed and loaded again', async () => {
      // What the panel saves: the first message on screen and where its top is.
      const before = await firstOnScreen(view);
      assert.ok(Number(before.id.split('-m')[1]) < LONG - OPENING_MESSAGES, `older than what opens: ${before.id}`);
      await new Promise((r) => setTimeout(r, 1000)); // the scroll position is saved (at most twice a second)
      const mark = (v: FrameLocator, set: boolean) =>
        v.locator('body').evaluate((_b, on) => {
          const g = globalThis as unknown as { tallyE2eOld?: boolean };
          if (on) g.tallyE2eOld = true;
          return g.tallyE2eOld === true;
        }, set);
      await mark(view, true);
      await bench.clickActivityBar('Explorer');
      await bench.clickActivityBar('Tally');
      view = await bench.webview('#composer-input');
      assert.equal(await mark(view, false), false, 'the view was disposed and loaded again');
      await view.locator(`article[data-id="${before.id}"]`).waitFor({ timeout: 30_000 });
      let after = await whereIs(view, before.id);
      for (let i = 0; i < 20 && Math.abs(after.offset - before.offset) > 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await whereIs(view, before.id);
      }
      const asks = Number(await view.locator('#messages').getAttribute('data-older-asks'));
      log('first message before and after:', JSON.stringify({ before, after }), 'asks', asks);
      assert.ok(Math.abs(after.offset - before.offset) <= 2, `put back: ${after.offset} px (was ${before.offset})`);
      const index = Number(before.id.split('-m')[1]);
      assert.equal(asks, asksFor(OPENING_MESSAGES + index), 'each page back to it, once');
      // The position is held while what is around it is laid out (1.5 s, render/scrollRestore.ts): scrolling starts
      // after that.
      await new Promise((r) => setTimeout(r, 1600));
      top = undefined;
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
