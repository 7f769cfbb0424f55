// First paint of a long conversation (issue #12 item 5) in real Chromium: the panel's real bundle (dist/webview.js)
// and stylesheet in a page with a stub `acquireVsCodeApi`, sent what the host sends when a conversation is opened (its
// newest messages and the count of older ones: core/conversations/messagePages.ts newestPage).
// A conversation of 80 messages (one page) against one of 2,000, interleaved, fresh ids and text each run. Measured
// from the post of `conversation/opened` (the page's structured clone of the payload included) to the second
// animation frame after it (the first frame that shows the conversation has been laid out and painted), and the
// main-thread time of the same span (Chromium's TaskDuration). The payload's JSON size is printed too: the host side
// (VS Code serialises it to the webview) grows with it.
//   node --import tsx bench/firstPaint.ts
import * as path from 'node:path';
import { newestPage } from '../src/core/conversations/messagePages';
import { contentOf, roleOf } from '../test/support/conversationWriter';
import { f, interleaved, median, spread } from './stats';

interface PageGlobals {
  postMessage(data: unknown, origin: string): void;
  requestAnimationFrame(cb: () => void): void;
  __payload: unknown;
  document: { querySelectorAll(sel: string): { length: number } };
}

export interface FirstPaintResult {
  short: number;
  long: number;
  /** Milliseconds from post to painted, per run. */
  shortMs: number[];
  longMs: number[];
  /** Main-thread milliseconds over the same span, per run. */
  shortTaskMs: number[];
  longTaskMs: number[];
  shortBytes: number;
  longBytes: number;
  /** Messages in the DOM after the long conversation's first paint, and the messages its payload carried. */
  longArticles: number;
  longSent: number;
}

function conversation(id: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${id}-m${i}`,
    role: roleOf(i),
    content: contentOf(id, i),
    createdAt: 1_700_000_000_000 + i,
    ...(roleOf(i) === 'assistant' ? { model: 'gpt-4o-mini', status: 'complete' as const } : {}),
  }));
}

export async function benchFirstPaint(runs = 7, short = 80, long = 2000): Promise<FirstPaintResult> {
  const { launchChromium } = (await import('../test/support/realVscode/chromium.mjs')) as {
    launchChromium: () => Promise<{ page: import('playwright-core').Page; close(): Promise<void> }>;
  };
  const browser = await launchChromium();
  try {
    const { page } = browser;
    await page.setViewportSize({ width: 420, height: 900 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskMs = async () =>
      ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    await page.setContent(
      '<html><body><div id="app"></div><script>window.acquireVsCodeApi=()=>({postMessage(){},getState(){},setState(){}});</script></body></html>',
    );
    await page.addStyleTag({ path: path.resolve(__dirname, '../media/chat.css') });
    await page.addScriptTag({ path: path.resolve(__dirname, '../dist/webview.js') });
    await page.evaluate((d) => (globalThis as unknown as PageGlobals).postMessage(d, '*'), {
      type: 'init',
      config: { model: 'gpt-4o', hasApiKey: true, endpoint: 'x' },
      messages: [],
    });
    await page.waitForTimeout(300);
    const bytes = { short: 0, long: 0 };
    const open = async (n: number, id: string) => {
      const payload = {
        type: 'conversation/opened',
        conversation: { id, title: id },
        ...newestPage(conversation(id, n)),
      };
      bytes[n === short ? 'short' : 'long'] = JSON.stringify(payload).length;
      // The payload reaches the page first (CDP's transfer is the bench's cost, not the panel's).
      await page.evaluate((p) => ((globalThis as unknown as PageGlobals).__payload = p), payload);
      await page.waitForTimeout(150); // the previous conversation's work is over
      const before = await taskMs();
      const ms = await page.evaluate(async () => {
        const g = globalThis as unknown as PageGlobals;
        const t0 = performance.now();
        g.postMessage(g.__payload, '*');
        await new Promise<void>((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(() => r())));
        return performance.now() - t0;
      });
      await page.waitForTimeout(150); // work the paint started (observers, idle callbacks) counts too
      const task = (await taskMs()) - before;
      return { ms, task };
    };
    const r = await interleaved(runs, {
      short: (run) => open(short, `s${run}`),
      long: (run) => open(long, `l${run}`),
    });
    const longArticles = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).document.querySelectorAll('#messages article').length,
    );
    return {
      short,
      long,
      shortMs: r.short.map((x) => x.ms),
      longMs: r.long.map((x) => x.ms),
      shortTaskMs: r.short.map((x) => x.task),
      longTaskMs: r.long.map((x) => x.task),
      shortBytes: bytes.short,
      longBytes: bytes.long,
      longArticles,
      longSent: newestPage(conversation('x', long)).messages.length,
    };
  } finally {
    await browser.close();
  }
}

export function firstPaintTable(r: FirstPaintResult): string {
  return [
    `### First paint of a long conversation (real Chromium, dist/webview.js): ${f(r.long)} messages against ${f(r.short)} (goal ≤ 1.5×)`,
    '',
    '| messages | sent | payload (KB) | post → painted (ms) | main-thread time (ms) | messages in the DOM |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${f(r.short)} | ${f(r.short)} | ${f(r.shortBytes / 1024)} | ${spread(r.shortMs, 1)} | ${spread(r.shortTaskMs, 1)} | ${f(r.short)} |`,
    `| ${f(r.long)} | ${f(r.longSent)} | ${f(r.longBytes / 1024)} | ${spread(r.longMs, 1)} | ${spread(r.longTaskMs, 1)} | ${f(r.longArticles)} |`,
    '',
    `Ratio ${f(r.long)} / ${f(r.short)}: post → painted ${f(median(r.longMs) / median(r.shortMs), 2)}×, main-thread time ${f(median(r.longTaskMs) / median(r.shortTaskMs), 2)}× (medians of ${r.shortMs.length} interleaved runs; min–max in brackets).`,
  ].join('\n');
}

if (require.main === module) void benchFirstPaint().then((r) => console.log(firstPaintTable(r)));
