// Streaming render in real Chromium (information only): the panel's real bundle (dist/webview.js) in a page with a
// stub `acquireVsCodeApi`, fed host messages as VS Code would post them. A reply of ~80,000 characters (~20k tokens)
// arrives in 4-character deltas at a steady ~2,000 tokens/s (20 deltas every 10 ms); compared with one render of the
// same final text (a conversation opened with it). The page carries the panel's stylesheet (media/chat.css). Main-thread time is Chromium's TaskDuration (CDP Performance
// metrics); long tasks from a PerformanceObserver. Chromium is found and launched as the test harness does.
//   node --import tsx bench/streamRender.ts
import * as path from 'node:path';
import { freshText } from './freshText';
import { f } from './stats';

/** What the page callbacks use (this file is typechecked without the DOM library; the callbacks run in Chromium). */
interface PageGlobals {
  postMessage(data: unknown, origin: string): void;
  requestAnimationFrame(cb: () => void): void;
  __long: number[];
  document: {
    getElementById(id: string): { textContent: string | null } | null;
    querySelector(sel: string): { innerHTML: string } | null;
  };
}

export interface StreamResult {
  chars: number;
  streamMs: number;
  /** The same feed (postMessage of every delta) into a page with a listener that does nothing: not the panel's. */
  feedOnlyMs: number;
  oneMs: number;
  longestStreamTaskMs: number;
  feedMs: number;
  /** The stream's duration at exactly 2,000 tokens/s (80 characters per 10 ms). */
  nominalMs: number;
  screenMs: number;
  sameText: boolean;
}

/** Markdown like a long answer: paragraphs, lists and code fences, fresh words. */
export function reply(chars: number, seed: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const body = freshText(400, seed * 7919 + i).replace(/```/g, '');
    const block =
      i % 5 === 3 ? `\`\`\`ts\n${body}\n\`\`\`` : i % 5 === 1 ? `- ${body.slice(0, 200)}\n- ${body.slice(200)}` : body;
    out.push(block);
    size += block.length + 2;
  }
  return out.join('\n\n');
}

export async function benchStreamRender(chars = 80_000): Promise<StreamResult> {
  const { launchChromium } = (await import('../test/support/realVscode/chromium.mjs')) as {
    launchChromium: () => Promise<{ page: import('playwright-core').Page; close(): Promise<void> }>;
  };
  const text = reply(chars, 1);
  const browser = await launchChromium();
  try {
    const { page } = browser;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskMs = async () =>
      ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    await page.setContent(
      '<html><body><div id="app"></div><script>window.acquireVsCodeApi=()=>({postMessage(){},getState(){},setState(){}});' +
        'window.__long=[];new PerformanceObserver((l)=>{for(const e of l.getEntries())window.__long.push(e.duration)}).observe({entryTypes:["longtask"]});</script></body></html>',
    );
    // The panel's own stylesheet: layout (the scrolling list, content-visibility) is part of what a frame costs.
    await page.addStyleTag({ path: path.resolve(__dirname, '../media/chat.css') });
    await page.addScriptTag({ path: path.resolve(__dirname, '../dist/webview.js') });
    const conv = { id: 'c1', title: 'bench' };
    const msg = (role: string, content: string, status?: string) => ({
      id: `${role}1`,
      role,
      content,
      createdAt: 1,
      ...(status ? { status } : {}),
    });
    const post = (m: unknown) => page.evaluate((d) => (globalThis as unknown as PageGlobals).postMessage(d, '*'), m);
    await post({
      type: 'init',
      config: { model: 'gpt-4o', hasApiKey: true, endpoint: 'x' },
      conversation: conv,
      messages: [],
    });
    await post({
      type: 'chat/started',
      requestId: 'r1',
      user: msg('user', 'go'),
      assistant: msg('assistant', '', 'streaming'),
    });
    await page.waitForTimeout(200);
    const before = await taskMs();
    await page.evaluate(() => (globalThis as unknown as PageGlobals).__long.splice(0));
    const { feedMs, screenMs } = await page.evaluate(async (t: string) => {
      const t0 = performance.now();
      for (let i = 0; i < t.length; i += 80) {
        for (let j = i; j < Math.min(i + 80, t.length); j += 4)
          (globalThis as unknown as PageGlobals).postMessage(
            { type: 'chat/delta', requestId: 'r1', text: t.slice(j, j + 4) },
            '*',
          );
        await new Promise((r) => setTimeout(r, 10));
      }
      const feed = performance.now() - t0;
      (globalThis as unknown as PageGlobals).postMessage(
        {
          type: 'chat/done',
          requestId: 'r1',
          assistant: { id: 'assistant1', role: 'assistant', content: t, createdAt: 1 },
        },
        '*',
      );
      await new Promise((r) => setTimeout(r, 0));
      // The screen is done when the final text is on it (the last characters are in the panel).
      const tail = t.slice(-40).trim().split(/\s+/).pop() ?? '';
      while (!((globalThis as unknown as PageGlobals).document.getElementById('app')?.textContent ?? '').includes(tail))
        await new Promise((r) => (globalThis as unknown as PageGlobals).requestAnimationFrame(() => setTimeout(r, 0)));
      return { feedMs: feed, screenMs: performance.now() - t0 };
    }, text);
    const streamMs = (await taskMs()) - before;
    const longest = await page.evaluate(() => Math.max(0, ...(globalThis as unknown as PageGlobals).__long));
    // The reply's rendered body (HTML), to compare with a one-shot render of the same text.
    const body = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as PageGlobals).document.querySelector('[data-id="assistant1"] .content')?.innerHTML ??
          '',
      );
    const streamed = await body();
    const b2 = await taskMs();
    await post({
      type: 'conversation/opened',
      conversation: { id: 'c2', title: 'one' },
      messages: [msg('user', 'go'), msg('assistant', text)],
    });
    await page.waitForTimeout(1_000); // TaskDuration sums every task: waiting longer only makes sure all are in
    const oneMs = (await taskMs()) - b2;
    const once = await body();
    const feedOnlyMs = await feedOnly(page, taskMs, text);
    return {
      feedOnlyMs,
      chars: text.length,
      nominalMs: (text.length / 80) * 10,
      streamMs,
      oneMs,
      longestStreamTaskMs: longest,
      feedMs,
      screenMs,
      sameText: once.length > 0 && streamed === once,
    };
  } finally {
    await browser.close();
  }
}

/** Main-thread time of the feed alone: the same deltas posted on the same schedule to a listener that does nothing. */
async function feedOnly(page: import('playwright-core').Page, taskMs: () => Promise<number>, text: string) {
  await page.setContent('<html><body><script>window.addEventListener("message",()=>{})</script></body></html>');
  await page.waitForTimeout(200);
  const before = await taskMs();
  await page.evaluate(async (t: string) => {
    for (let i = 0; i < t.length; i += 80) {
      for (let j = i; j < Math.min(i + 80, t.length); j += 4)
        (globalThis as unknown as PageGlobals).postMessage(
          { type: 'chat/delta', requestId: 'r1', text: t.slice(j, j + 4) },
          '*',
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }, text);
  return (await taskMs()) - before;
}

export function streamTable(r: StreamResult): string {
  return [
    `### Streaming render (real Chromium, dist/webview.js): ${f(r.chars)} characters in 4-character deltas`,
    '',
    '| main-thread time streamed (ms) | of which the feed alone (ms) | one render of the final text (ms) | ratio | ratio without the feed | longest task while streaming (ms) | screen done / stream duration | final text same as one-shot |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${f(r.streamMs)} | ${f(r.feedOnlyMs)} | ${f(r.oneMs)} | ${f(r.streamMs / Math.max(1, r.oneMs), 1)}× | ${f((r.streamMs - r.feedOnlyMs) / Math.max(1, r.oneMs), 1)}× | ${f(r.longestStreamTaskMs)} | ${f(r.screenMs / r.nominalMs, 2)}× | ${r.sameText ? 'yes' : 'NO'} |`,
    '',
    `One run, information only. Stream duration at 2,000 tokens/s: ${f(r.nominalMs / 1000, 1)} s; the feed itself (timers on the same busy thread) took ${f(r.feedMs / 1000, 1)} s. The feed alone is ~20,000 postMessage events: main-thread time the panel cannot remove.`,
  ].join('\n');
}

if (require.main === module) void benchStreamRender().then((r) => console.log(streamTable(r)));
