// Streaming render in real Chromium: the panel's real bundle (dist/webview.js, or $TALLY_BENCH_WEBVIEW) with its
// stylesheet (media/chat.css) in a page with a stub `acquireVsCodeApi`, fed host messages as the extension posts them.
// A reply of ~80,000 characters (~20k tokens) is produced in 4-character pieces at a steady ~2,000 tokens/s (80
// characters per 10 ms) on the Node side and goes through the host's own coalescer (src/core/chat/deltaCoalescer.ts,
// as ChatController.run wraps its sink), each post a `chat/delta` message event in the page; then `chat/done`. The
// coalescer posts at the pace the panel tells its host (`stream/pace`, validated as the extension does; the page's
// acquireVsCodeApi stub posts the panel's messages back to this process), as the extension does since c9d95b0
// (2026-12-01 16:30 UTC); tables before then were measured with posts every 100 ms whatever the panel's pace. Posts
// reach the page as VS Code's do: from another process, forwarded with postMessage by a host script (panelFeed.ts;
// TALLY_BENCH_FEED=cdp posts through page.evaluate instead, as tables before 2026-12-01 08:00 UTC did).
// Compared with one render of the same final text, rendered and laid out on screen (a conversation opened with it;
// the bench checks the message really was laid out, not skipped by `content-visibility`). Main-thread time is
// Chromium's TaskDuration (CDP Performance metrics); long tasks from a PerformanceObserver. Each run uses fresh pages;
// the stream, the one-shot render and the feed alone are interleaved over $TALLY_BENCH_RUNS runs (default 3).
// A trace of the main thread (mainThreadTrace.ts) adds what the metrics cannot say: each task's thread time against
// its wall time, and the synchronous font-fallback calls to the browser process (a character no installed font has).
// The bundle is loaded from the feed's server with highlight.js beside it (dist/highlight), as VS Code loads it, so code
// blocks are highlighted; TALLY_BENCH_HIGHLIGHT=0 (or TALLY_BENCH_FEED=cdp) inlines it and they stay plain, as tables
// before 2026-12-01 12:00 UTC were measured.
// TALLY_BENCH_COALESCE_MS=N posts at most every N ms whatever the panel says (100: the host before it followed the
// panel's pace); 0 posts every piece as its own message (the host before it coalesced), for an A/B; with
// TALLY_BENCH_WEBVIEW and TALLY_BENCH_CSS an older build of the panel can be measured the same way.
//   node --import tsx bench/streamRender.ts
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { coalesceDeltas, DELTA_INTERVAL_MS } from '../src/core/chat/deltaCoalescer';
import { parseWebviewMessage } from '../src/shared/protocol';
import type { ChatSink } from '../src/core/chat/chatInterfaces';
import { type Phase, traceMainThread, type MainThreadTrace } from './mainThreadTrace';
import { markdownReply } from './markdownReply';
import { HOST_PREFIX, startPanelFeed, type PanelFeed } from './panelFeed';
import { f, median, spread } from './stats';

/** What the page callbacks use (this file is typechecked without the DOM library; the callbacks run in Chromium). */
interface PageGlobals {
  postMessage(data: unknown, origin: string): void;
  __long: [number, number][];
  __setStates?: number;
  document: {
    body: { dataset: Record<string, string | undefined> };
    querySelector(sel: string): { innerHTML: string; textContent: string | null; offsetHeight: number } | null;
    querySelectorAll(sel: string): { length: number };
  };
}

export interface StreamRun {
  /** Main-thread time from the first piece until the final text is on screen, and its parts. */
  streamMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  longestTaskMs: number;
  /** The three longest tasks while streaming: when (ms after the first piece) and how long. */
  longTasks: [number, number][];
  /** Main-thread time of the same posts into a page whose listener does nothing: the feed's own cost. */
  feedOnlyMs: number;
  /** One render of the final text, laid out on screen, and the height it was laid out at. */
  oneMs: number;
  oneHeightPx: number;
  /** From the first piece until the final text is on screen, page clock; the feed's own duration. */
  screenMs: number;
  feedMs: number;
  posts: number;
  /** The intervals the panel told its host while streaming (`stream/pace`), in order. */
  paces: number[];
  paints: number;
  /** The panel's setState calls (draft and scroll position saves) from its start to the end of the stream. */
  setStates: number;
  /** Characters that went through markdown-it while streaming and at the end, per character of the reply. */
  markdownCharsPerChar: number;
  sameHtml: boolean;
  /** Code blocks in the reply, and how many ended highlighted streamed and in the one render. */
  codeBlocks: number;
  highlighted: number;
  oneHighlighted: number;
  /** The main thread's trace while streaming and during the one render (thread time, font-fallback calls). */
  trace: MainThreadTrace;
  oneTrace: MainThreadTrace;
}

/** What one streaming paint costs at the end of a reply of `chars` characters (12 characters added per paint). */
export interface PaintCost {
  chars: number;
  /** Main-thread time per paint, ms, one per run: thread (CPU) time and wall time. */
  cpuMsPerPaint: number[];
  wallMsPerPaint: number[];
  paints: number[];
}

export interface StreamResult {
  paintCost: PaintCost[];
  chars: number;
  /** How posts reached the page (panelFeed.ts). */
  feed: 'events' | 'cdp';
  nominalMs: number;
  /** How the host's coalescer was paced: the panel's `stream/pace` (production), or a fixed interval (0: none). */
  coalesce: Coalesce;
  runs: StreamRun[];
}

const PIECE = 4;
const CHARS_PER_TICK = 80; // 2,000 tokens/s at ~4 characters per token
const TICK_MS = 10;

/** The font variables VS Code 1.139 gives a webview on Linux (workbench.js: DEFAULT_FONT_FAMILY and the editor's
 *  default font), so the panel's text is laid out in the fonts it gets there. */
const VSCODE_FONT_VARS =
  ':root{--vscode-font-family:system-ui, "Ubuntu", "Droid Sans", sans-serif;--vscode-font-weight:normal;' +
  "--vscode-font-size:13px;--vscode-editor-font-family:'Droid Sans Mono', monospace;--vscode-editor-font-size:14px}";

/** The host's coalescer interval: what the panel tells its host (production), or fixed ms (0: every piece posted). */
type Coalesce = 'panel' | number;

async function panelPage(page: Page, feed: PanelFeed, webview: string): Promise<void> {
  // The panel's posts to its host go as VS Code's do to the frame that hosts the webview (here the page's own window;
  // the panel ignores a message without a `type`), then back to this process (panelFeed.ts onHostMessage). setState
  // does what VS Code's does (webview pre/index.html): serialises the state and posts it to that frame.
  await feed.open(
    page,
    '<div id="app"></div><script>window.acquireVsCodeApi=()=>({' +
      'postMessage(m){window.postMessage({command:"onmessage",data:m},"*");' +
      `console.debug(${JSON.stringify(HOST_PREFIX)}+JSON.stringify(m))},getState(){},` +
      'setState(s){window.__setStates=(window.__setStates||0)+1;' +
      'window.postMessage({command:"do-update-state",data:JSON.stringify(s)},"*");return s}});' +
      'window.__long=[];new PerformanceObserver((l)=>{for(const e of l.getEntries())window.__long.push([e.startTime,e.duration])}).observe({entryTypes:["longtask"]});</script>',
  );
  // The panel's own stylesheet: layout (the scrolling list, content-visibility) is part of what a frame costs.
  await page.addStyleTag({ path: process.env.TALLY_BENCH_CSS ?? path.resolve(__dirname, '../media/chat.css') });
  if (process.env.TALLY_BENCH_VARS !== '0') await page.addStyleTag({ content: VSCODE_FONT_VARS });
  // From a URL when the feed serves it, as VS Code loads it, so code blocks are highlighted (highlight.js is loaded
  // from beside the bundle); inlined otherwise (TALLY_BENCH_HIGHLIGHT=0 or the cdp feed), and blocks stay plain.
  if (feed.scriptUrl) await page.addScriptTag({ url: feed.scriptUrl });
  else await page.addScriptTag({ path: webview });
}

async function metrics(page: Page): Promise<() => Promise<Record<string, number>>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value * 1000]));
}

const msg = (role: string, content: string, status?: string) => ({
  id: `${role}1`,
  role,
  content,
  createdAt: 1,
  ...(status ? { status } : {}),
});

/** One post to the page: when (ms after the first piece) and what. */
interface Post {
  at: number;
  messages: unknown[];
}

/** The pace the host follows, as the extension's host does: DELTA_INTERVAL_MS from the panel's `ready`, then each
 *  `stream/pace` the panel posts (validated by the extension's own parser). Listens until `stop()`. */
function followPace(to: PanelFeed): { ms(): number; told: number[]; stop(): void } {
  let ms = DELTA_INTERVAL_MS;
  const told: number[] = [];
  to.onHostMessage((raw) => {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) return;
    if (parsed.message.type === 'ready') ms = DELTA_INTERVAL_MS;
    if (parsed.message.type === 'stream/pace') told.push((ms = parsed.message.intervalMs));
  });
  return { ms: () => ms, told, stop: () => to.onHostMessage(undefined) };
}

/**
 * Produces `text` in 4-character pieces at a steady 2,000 tokens/s (on the wall clock: a late tick catches up) into
 * the host's coalescer (paced by `interval`, ms), whose posts go to `page`; then `done`. Resolves when the last piece
 * was produced, with the posts made.
 */
async function feed(to: PanelFeed, text: string, interval: number | (() => number)) {
  const sent: Promise<unknown>[] = [];
  const log: Post[] = [];
  let posts = 0;
  const t0 = performance.now();
  const send = (m: unknown[]) => {
    posts += m.length;
    log.push({ at: performance.now() - t0, messages: m });
    sent.push(to.post(m));
  };
  const delta = (t: string) => ({ type: 'chat/delta', requestId: 'r1', text: t });
  const host: Pick<ChatSink, 'delta' | 'done'> = {
    delta: (t) => send([delta(t)]),
    done: () => send([{ type: 'chat/done', requestId: 'r1', assistant: msg('assistant', text, 'complete') }]),
  };
  const sink = interval !== 0 ? coalesceDeltas({ ...(host as ChatSink) }, interval) : undefined;
  let at = 0;
  while (at < text.length) {
    const due = Math.min(text.length, Math.floor((performance.now() - t0) / TICK_MS + 1) * CHARS_PER_TICK);
    const pieces: string[] = [];
    for (; at < due; at += PIECE) pieces.push(text.slice(at, at + PIECE));
    if (sink) for (const p of pieces) sink.delta(p);
    else if (pieces.length) send(pieces.map(delta)); // one message per piece, as before the host coalesced
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const feedMs = performance.now() - t0;
  if (sink) sink.done(msg('assistant', text, 'complete') as never);
  else host.done(msg('assistant', text, 'complete') as never);
  await Promise.all(sent);
  return { feedMs, posts, log };
}

/** Posts `log` again on its own schedule (the feed alone, without a panel to pace it). */
async function replay(to: PanelFeed, log: Post[]): Promise<void> {
  const t0 = performance.now();
  for (const p of log) {
    const wait = t0 + p.at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await to.post(p.messages);
  }
}

/** An empty conversation, and a reply to it started: where a streamed reply begins. */
function startReply(to: PanelFeed): Promise<void> {
  return to.post([
    {
      type: 'init',
      config: { model: 'gpt-4o', hasApiKey: true, endpoint: 'x' },
      conversation: { id: 'c1', title: 'bench' },
      messages: [],
    },
    { type: 'chat/started', requestId: 'r1', user: msg('user', 'go'), assistant: msg('assistant', '', 'streaming') },
  ]);
}

async function streamOnce(page: Page, to: PanelFeed, webview: string, text: string, coalesce: Coalesce) {
  const pace = followPace(to);
  await panelPage(page, to, webview);
  const m = await metrics(page);
  await startReply(to);
  await page.waitForTimeout(300);
  const stopTrace = await traceMainThread(await page.context().newCDPSession(page));
  const before = await m();
  await page.evaluate(() => (globalThis as unknown as PageGlobals).__long.splice(0));
  const start = await page.evaluate(() => performance.now());
  const { feedMs, posts, log } = await feed(to, text, coalesce === 'panel' ? pace.ms : coalesce);
  pace.stop();
  // The screen is done when the final text is on it: the reply is no longer streaming and ends with the last word.
  const last = text.trim().split(/\s+/).pop() ?? '';
  const shown = await page.waitForFunction(
    (w) => {
      const el = (globalThis as unknown as PageGlobals).document.querySelector(
        '[data-id="assistant1"]:not([data-status="streaming"]) .content',
      );
      return el && (el.textContent ?? '').trimEnd().endsWith(w) ? performance.now() : false;
    },
    last,
    { polling: 'raf', timeout: 120_000 },
  );
  const screenMs = ((await shown.jsonValue()) as number) - start;
  await page.waitForTimeout(300); // the last frame's tasks
  const after = await m();
  const trace = await stopTrace();
  const out = await page.evaluate(
    (t0) => ({
      long: (globalThis as unknown as PageGlobals).__long
        .map(([at, ms]): [number, number] => [at - t0, ms])
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3),
      html:
        (globalThis as unknown as PageGlobals).document.querySelector('[data-id="assistant1"] .content')?.innerHTML ??
        '',
      paints: Number((globalThis as unknown as PageGlobals).document.body.dataset.paints),
      setStates: (globalThis as unknown as PageGlobals).__setStates ?? 0,
      markdownChars: Number((globalThis as unknown as PageGlobals).document.body.dataset.markdownChars),
      codeBlocks: (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-id="assistant1"] pre > code')
        .length,
      highlighted: (globalThis as unknown as PageGlobals).document.querySelectorAll(
        '[data-id="assistant1"] code[data-highlighted="done"]',
      ).length,
    }),
    start,
  );
  // The same final text rendered at once in this page (untimed; other message ids, so new views), to compare.
  await to.post([
    {
      type: 'conversation/opened',
      conversation: { id: 'c2', title: 'one' },
      messages: [
        { ...msg('user', 'go'), id: 'user2' },
        { ...msg('assistant', text, 'complete'), id: 'assistant2' },
      ],
    },
  ]);
  const once = await page.waitForFunction(
    () =>
      (globalThis as unknown as PageGlobals).document.querySelector('[data-id="assistant2"] .content')?.innerHTML ?? '',
    undefined,
    { polling: 'raf' },
  );
  const onceHtml = (await once.jsonValue()) as string;
  const d = (k: string) => after[k] - before[k];
  return {
    sameHtml: out.html.length > 0 && out.html === onceHtml,
    codeBlocks: out.codeBlocks,
    highlighted: out.highlighted,
    streamMs: d('TaskDuration'),
    scriptMs: d('ScriptDuration'),
    layoutMs: d('LayoutDuration'),
    styleMs: d('RecalcStyleDuration'),
    longestTaskMs: out.long[0]?.[1] ?? 0,
    longTasks: out.long,
    screenMs,
    feedMs,
    posts,
    log,
    paces: pace.told,
    paints: out.paints,
    setStates: out.setStates,
    markdownCharsPerChar: out.markdownChars / text.length,
    trace,
  };
}

/** One render of the final text: a conversation opened with it, on screen, all laid out (its height is checked). */
async function oneShot(page: Page, to: PanelFeed, webview: string, text: string) {
  await panelPage(page, to, webview);
  // All of the text laid out, as streaming it lays all of it out once: the panel itself skips closed chunks off screen
  // (render/blockChunks.ts), and a render that laid out only the screen would not be one render of the text.
  await page.addStyleTag({ content: '.message .content.markdown > .chunk.closed { content-visibility: visible; }' });
  const m = await metrics(page);
  await to.post([
    {
      type: 'init',
      config: { model: 'gpt-4o', hasApiKey: true, endpoint: 'x' },
      conversation: { id: 'c0', title: 'empty' },
      messages: [],
    },
  ]);
  await page.waitForTimeout(300);
  const stopTrace = await traceMainThread(await page.context().newCDPSession(page));
  const before = await m();
  await to.post([
    {
      type: 'conversation/opened',
      conversation: { id: 'c2', title: 'one' },
      messages: [msg('user', 'go'), msg('assistant', text, 'complete')],
    },
  ]);
  await page.waitForFunction(
    () => (globalThis as unknown as PageGlobals).document.querySelector('[data-id="assistant1"] .content'),
    undefined,
    {
      polling: 'raf',
    },
  );
  await page.waitForTimeout(1_000); // TaskDuration sums every task: waiting longer only makes sure all are in
  const oneMs = (await m()).TaskDuration - before.TaskDuration;
  const trace = await stopTrace();
  // Read after the measurement: the laid-out height of the message (120 px if content-visibility had skipped it).
  return page
    .evaluate(() => ({
      html:
        (globalThis as unknown as PageGlobals).document.querySelector('[data-id="assistant1"] .content')?.innerHTML ??
        '',
      height:
        (globalThis as unknown as PageGlobals).document.querySelector('[data-id="assistant1"]')?.offsetHeight ?? 0,
      highlighted: (globalThis as unknown as PageGlobals).document.querySelectorAll(
        '[data-id="assistant1"] code[data-highlighted="done"]',
      ).length,
    }))
    .then((r) => ({ oneMs, trace, ...r }));
}

/** Main-thread time of the feed alone: the stream's posts (`log`) on the same schedule to a listener that does nothing. */
async function feedOnly(page: Page, to: PanelFeed, log: Post[]): Promise<number> {
  await to.open(page, '<script>window.addEventListener("message",()=>{})</script>');
  const m = await metrics(page);
  await page.waitForTimeout(300);
  const before = await m();
  await replay(to, log);
  await page.waitForTimeout(300);
  return (await m()).TaskDuration - before.TaskDuration;
}

const PAINT_COST_SIZES = [10_000, 40_000, 160_000];
const PROBE_PAINTS = 30;

/**
 * The cost of a streaming paint at the end of a reply of `text.length` characters: the reply streams in (4,000
 * characters per post), then 30 posts of 12 characters, 130 ms apart (one paint each), are traced. The text is ASCII,
 * so no font fallback blurs the figure: this measures what a paint walks (layout, pre-paint, paint), which must not
 * grow with the reply.
 */
async function paintCostOnce(page: Page, to: PanelFeed, webview: string, text: string) {
  await panelPage(page, to, webview);
  await startReply(to);
  for (let at = 0; at < text.length; at += 4_000) {
    await to.post([{ type: 'chat/delta', requestId: 'r1', text: text.slice(at, at + 4_000) }]);
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(600);
  const paints = () => page.evaluate(() => Number((globalThis as unknown as PageGlobals).document.body.dataset.paints));
  const stopTrace = await traceMainThread(await page.context().newCDPSession(page));
  const before = await paints();
  for (let i = 0; i < PROBE_PAINTS; i++) {
    await to.post([{ type: 'chat/delta', requestId: 'r1', text: 'lorem ipsum ' }]);
    await page.waitForTimeout(130);
  }
  await page.waitForTimeout(400);
  const trace = await stopTrace();
  const n = Math.max(1, (await paints()) - before);
  return { cpuMsPerPaint: trace.cpuMs / n, wallMsPerPaint: trace.wallMs / n, paints: n };
}

export async function benchStreamRender(chars = 80_000, runs = Number(process.env.TALLY_BENCH_RUNS ?? 3)) {
  const { launchChromium } = (await import('../test/support/realVscode/chromium.mjs')) as {
    launchChromium: () => Promise<{ context: import('playwright-core').BrowserContext; close(): Promise<void> }>;
  };
  const webview = process.env.TALLY_BENCH_WEBVIEW ?? path.resolve(__dirname, '../dist/webview.js');
  const fixed = process.env.TALLY_BENCH_COALESCE_MS;
  const coalesce: Coalesce = fixed === undefined || fixed === '' ? 'panel' : Number(fixed);
  const browser = await launchChromium();
  const highlight = process.env.TALLY_BENCH_HIGHLIGHT !== '0';
  const to = await startPanelFeed(
    highlight ? { webview, highlightDir: path.resolve(__dirname, '../dist/highlight') } : undefined,
  );
  const fresh = async <T>(fn: (p: Page) => Promise<T>): Promise<T> => {
    const page = await browser.context.newPage();
    try {
      return await fn(page);
    } finally {
      await page.close();
    }
  };
  try {
    // The one-shot render gets a text of its own, as fresh as the streamed one: Chromium keeps shaping and font
    // fallback caches per process, so rendering a text the process has just laid out would look cheaper than it is.
    // TALLY_BENCH_ASCII=1: the same replies without CJK and emoji (a diagnosis: this machine has no font for them, and
    // each layout of text with a character no font has is slow, whatever its length).
    const reply = (seed: number) => {
      const t = markdownReply(chars, seed);
      return process.env.TALLY_BENCH_ASCII ? t.replace(/[^\t\n\x20-\x7e]/gu, 'x') : t;
    };
    const texts = Array.from({ length: runs }, (_, i) => reply(2 * i + 1));
    const oneTexts = Array.from({ length: runs }, (_, i) => reply(2 * i + 2));
    // Interleaved: a different one goes first each run, so a machine that slows down mid-bench slows all alike.
    const stream: Awaited<ReturnType<typeof streamOnce>>[] = [];
    const one: Awaited<ReturnType<typeof oneShot>>[] = [];
    const feedMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      // The feed alone replays the stream's own posts, so it runs after it; the one render goes first every other run.
      const tasks = [
        async () => {
          stream.push(await fresh((p) => streamOnce(p, to, webview, texts[i], coalesce)));
          feedMs.push(await fresh((p) => feedOnly(p, to, stream[i].log)));
        },
        async () => one.push(await fresh((p) => oneShot(p, to, webview, oneTexts[i]))),
      ];
      for (let k = 0; k < tasks.length; k++) await tasks[(k + i) % tasks.length]();
    }
    // A paint's cost at three lengths of reply, interleaved the same way.
    const paintCost: PaintCost[] = PAINT_COST_SIZES.map((n) => ({
      chars: n,
      cpuMsPerPaint: [],
      wallMsPerPaint: [],
      paints: [],
    }));
    for (let i = 0; i < (process.env.TALLY_BENCH_PAINT_COST === '0' ? 0 : runs); i++) {
      for (let k = 0; k < paintCost.length; k++) {
        const c = paintCost[(k + i) % paintCost.length];
        const ascii = markdownReply(c.chars, 100 + i).replace(/[^\t\n\x20-\x7e]/gu, 'x');
        const r = await fresh((p) => paintCostOnce(p, to, webview, ascii));
        c.cpuMsPerPaint.push(r.cpuMsPerPaint);
        c.wallMsPerPaint.push(r.wallMsPerPaint);
        c.paints.push(r.paints);
      }
    }
    const result: StreamResult = {
      paintCost,
      chars: median(texts.map((t) => t.length)),
      feed: process.env.TALLY_BENCH_FEED === 'cdp' ? 'cdp' : 'events',
      nominalMs: median(texts.map((t) => (t.length / CHARS_PER_TICK) * TICK_MS)),
      coalesce,
      runs: stream.map(({ log: _log, ...s }, i) => ({
        ...s,
        feedOnlyMs: feedMs[i],
        oneMs: one[i].oneMs,
        oneHeightPx: one[i].height,
        oneHighlighted: one[i].highlighted,
        oneTrace: one[i].trace,
      })),
    };
    return result;
  } finally {
    await browser.close();
    await to.close();
  }
}

export function streamTable(r: StreamResult): string {
  const col = (fn: (x: StreamRun) => number, d = 0) => spread(r.runs.map(fn), d);
  const ratio = (x: StreamRun) => x.streamMs / Math.max(1, x.oneMs);
  const panelRatio = (x: StreamRun) => (x.streamMs - x.feedOnlyMs) / Math.max(1, x.oneMs);
  const screen = (x: StreamRun) => x.screenMs / r.nominalMs;
  const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const med = (fn: (x: StreamRun) => number) => median(r.runs.map(fn));
  return [
    `### Streaming render (real Chromium, dist/webview.js): ${f(r.chars)} characters in 4-character pieces at 2,000 tokens/s`,
    '',
    '| main-thread time streamed (ms) | of which the feed alone (ms) | one render of the final text (ms) | ratio (goal ≤ 2×) | ratio without the feed | longest task while streaming (ms, goal ≤ 50) | screen done / stream duration (goal ≤ 1.2×) | final HTML same as one-shot |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${col((x) => x.streamMs)} | ${col((x) => x.feedOnlyMs)} | ${col((x) => x.oneMs)} | ${col(ratio, 2)}× | ${col(panelRatio, 2)}× | ${col((x) => x.longestTaskMs)} | ${col(screen, 2)}× | ${r.runs.every((x) => x.sameHtml) ? 'yes' : 'NO'} |`,
    '',
    `Median (min–max) of ${r.runs.length} interleaved runs, fresh pages. Goals: ratio ${yes(med(ratio) <= 2)}, longest task ${yes(med((x) => x.longestTaskMs) <= 50)}, screen ${yes(med(screen) <= 1.2)}. ` +
      `Stream duration at 2,000 tokens/s: ${f(r.nominalMs / 1000, 1)} s (the feed took ${col((x) => x.feedMs / 1000, 1)} s). ` +
      `Host posts: ${col((x) => x.posts)} (${coalesceText(r)}; ${r.feed === 'cdp' ? 'each through page.evaluate' : 'each an event from another process, forwarded with postMessage'}); panel paints: ${col((x) => x.paints)}; setState calls (each serialises the draft and posts it, as VS Code's does): ${col((x) => x.setStates)}; ` +
      `streamed main-thread time by kind: script ${col((x) => x.scriptMs)} ms, layout ${col((x) => x.layoutMs)} ms, style ${col((x) => x.styleMs)} ms. ` +
      `Characters through markdown-it per character of the reply: ${col((x) => x.markdownCharsPerChar, 2)} (1.00 = each finished block parsed once). ` +
      `Longest tasks while streaming (at ms after the first piece: ms): ${r.runs.map((x) => x.longTasks.map(([at, ms]) => `${f(at)}: ${f(ms)}`).join(', ')).join('; ')}. ` +
      `The one-shot message was laid out at ${col((x) => x.oneHeightPx)} px high (on screen, not skipped). ` +
      `Code blocks highlighted (highlight.js loaded beside the bundle, as in VS Code): streamed ${col((x) => x.highlighted)}, one render ${col((x) => x.oneHighlighted)}, of ${col((x) => x.codeBlocks)}.`,
    '',
    // Wall time is what the goals are about; thread time and the font-fallback calls say where the wall time went.
    `Main thread from a trace (wall = what the table counts, thread = time it ran): streamed ${col((x) => x.trace.wallMs)} ms wall, ${col((x) => x.trace.cpuMs)} ms thread; ` +
      `one render ${col((x) => x.oneTrace.wallMs)} ms wall, ${col((x) => x.oneTrace.cpuMs)} ms thread; ratio by thread time ${col((x) => x.trace.cpuMs / Math.max(1, x.oneTrace.cpuMs), 2)}×. ` +
      `Longest task while streaming: ${col((x) => x.trace.longestWallMs)} ms wall, of which ${col((x) => x.trace.longestCpuMs)} ms thread; most thread time in any one task ${col((x) => x.trace.maxCpuMs)} ms. ` +
      `Synchronous font-fallback calls to the browser process (text with a character no font here has): streamed ${col((x) => x.trace.fontFallbackCalls)}, waited ${col((x) => x.trace.fontFallbackWaitMs)} ms; ` +
      `one render ${col((x) => x.oneTrace.fontFallbackCalls)}, waited ${col((x) => x.oneTrace.fontFallbackWaitMs)} ms.`,
    '',
    phaseTable(r),
    '',
    paintCostTable(r.paintCost),
  ].join('\n');
}

/** Where the main thread's time went, streamed and in the one render, by phase (mainThreadTrace.ts). */
function phaseTable(r: StreamResult): string {
  const phases = Object.keys(r.runs[0]?.trace.phases ?? {}) as Phase[];
  if (phases.length === 0) return '';
  const cell = (fn: (x: StreamRun) => number) => spread(r.runs.map(fn), 0);
  // The rest of the tasks' thread time: microtasks after a script (highlighting), garbage collection, messages from
  // other processes, module loading.
  const rest = (t: MainThreadTrace) => t.cpuMs - phases.reduce((s, p) => s + t.phases[p], 0);
  const rows = [
    ['streamed', (x: StreamRun) => x.trace],
    ['one render', (x: StreamRun) => x.oneTrace],
  ] as const;
  return [
    "Thread time by phase, ms (each event counted once, in the innermost phase: script excludes the style and layout it forced; rest = the tasks' other time: microtasks, garbage collection, IPC):",
    '',
    `| | frames | ${phases.join(' | ')} | rest | all |`,
    `|---|---:|${phases.map(() => '---:|').join('')}---:|---:|`,
    ...rows.map(
      ([name, t]) =>
        `| ${name} | ${cell((x) => t(x).frames)} | ${phases.map((p) => cell((x) => t(x).phases[p])).join(' | ')} | ${cell((x) => rest(t(x)))} | ${cell((x) => t(x).cpuMs)} |`,
    ),
    `| streamed − one render | ${cell((x) => x.trace.frames - x.oneTrace.frames)} | ${phases.map((p) => cell((x) => x.trace.phases[p] - x.oneTrace.phases[p])).join(' | ')} | ${cell((x) => rest(x.trace) - rest(x.oneTrace))} | ${cell((x) => x.trace.cpuMs - x.oneTrace.cpuMs)} |`,
  ].join('\n');
}

/** How the host's coalescer was paced, for the table. */
function coalesceText(r: StreamResult): string {
  if (r.coalesce === 0) return 'one per piece';
  if (r.coalesce !== 'panel') return `at most one every ${r.coalesce} ms, fixed: deltaCoalescer`;
  const told = r.runs.map((x) => (x.paces.length ? x.paces.join('→') : 'none')).join('; ');
  return `at most one per interval the panel paints at: deltaCoalescer with stream/pace, told ${told} ms`;
}

/** A paint's cost by the reply's length, and the longest against the shortest (goal: about 1, it does not grow). */
function paintCostTable(costs: PaintCost[]): string {
  if (costs.length === 0 || costs[0].cpuMsPerPaint.length === 0) return '';
  const first = costs[0];
  const last = costs[costs.length - 1];
  const growth = last.cpuMsPerPaint.map((x, i) => x / Math.max(0.001, first.cpuMsPerPaint[i]));
  return [
    `One streaming paint at the end of a reply (12 characters added per paint, ${PROBE_PAINTS} paints traced, ASCII text), main-thread time per paint, ms:`,
    '',
    `| reply length (characters) | ${costs.map((c) => f(c.chars)).join(' | ')} | ${f(last.chars)} / ${f(first.chars)} (goal: about 1×) |`,
    `|---|${costs.map(() => '---:|').join('')}---:|`,
    `| thread time per paint | ${costs.map((c) => spread(c.cpuMsPerPaint, 1)).join(' | ')} | ${spread(growth, 2)}× |`,
    `| wall time per paint | ${costs.map((c) => spread(c.wallMsPerPaint, 1)).join(' | ')} | |`,
    `| paints traced | ${costs.map((c) => spread(c.paints)).join(' | ')} | |`,
  ].join('\n');
}

if (require.main === module) void benchStreamRender().then((r) => console.log(streamTable(r)));
