// How the streaming bench delivers host messages to the panel's page: the way VS Code does, as messages that reach the
// renderer from another process (here Server-Sent Events from this Node process on 127.0.0.1) and are handed to the
// panel with window.postMessage by a small host script in the page (VS Code's webview host frame forwards each
// message from the workbench the same way). A message then costs the panel's main thread about what it does in VS Code:
// an IPC message's task and a message event. The alternative, TALLY_BENCH_FEED=cdp, evaluates a script through the
// DevTools protocol for every post (Playwright's page.evaluate), a test tool's cost: the feed alone took ~1.3x the
// main-thread time that way here (2026-12-01, 3 runs each, loaded machine). Tables before then were measured so.
// The other way, what the panel posts to its host reaches this process as a console message that the page's stub
// writes (HOST_PREFIX, read through the DevTools protocol), after a postMessage to its own window as VS Code's
// webview makes to the frame that hosts it: about what a post costs the panel's thread in VS Code (a message and an
// IPC send). Until 2026-12-02 02:00 UTC the stub sent each post with fetch(), a network request that cost the panel's
// thread ~3 ms per post and tasks for its response (bench/streamRender.ts: ~7 posts per stream).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

export interface PanelFeed {
  /** Opens `body` (HTML for the page's body) in `page` from the feed's origin and waits until the feed is connected. */
  open(page: Page, body: string): Promise<void>;
  /** Posts `messages` to the page opened last, in order, each as one message event. */
  post(messages: unknown[]): Promise<void>;
  /** Calls `listener` with each message the page's panel posts to its host (its `acquireVsCodeApi().postMessage`),
   *  parsed JSON, unvalidated; undefined stops listening. The cdp feed gets none. */
  onHostMessage(listener: ((msg: unknown) => void) | undefined): void;
  close(): Promise<void>;
  /** Where the page can load the panel's bundle from, with highlight.js beside it as in VS Code (`undefined`: the
   *  bundle must be inlined, and code blocks stay plain). */
  scriptUrl?: string;
}

/** The panel's bundle and the folder its highlight.js files are loaded from (`dist/highlight`). */
export interface PanelScripts {
  webview: string;
  highlightDir: string;
}

/** How the page's stub marks a console message that carries a post to the host (bench/streamRender.ts). */
export const HOST_PREFIX = '__tallyHost ';

/** The host script: forwards each message of the event stream to the page's window, like VS Code's webview host. */
const HOST_SCRIPT =
  "<script>(()=>{const s=new EventSource('/feed');s.onopen=()=>{window.__feedOpen=true};" +
  "s.onmessage=(e)=>{for(const m of JSON.parse(e.data))window.postMessage(m,'*')}})()</script>";

/** Delivery by Server-Sent Events from a server on 127.0.0.1 (default), or by page.evaluate with TALLY_BENCH_FEED=cdp. */
export async function startPanelFeed(scripts?: PanelScripts): Promise<PanelFeed> {
  if (process.env.TALLY_BENCH_FEED === 'cdp') return cdpFeed();
  let body = '';
  let stream: http.ServerResponse | undefined;
  let hostListener: ((msg: unknown) => void) | undefined;
  const server = http.createServer((req, res) => {
    const file = scripts && scriptFile(scripts, req.url ?? '');
    if (file !== undefined) {
      fs.readFile(file, (err, data) => {
        res.writeHead(err ? 404 : 200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(err ? '' : data);
      });
      return;
    }
    if (req.url === '/feed') {
      stream?.end();
      stream = res;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': open\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"></head><body>${body}${HOST_SCRIPT}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    ...(scripts ? { scriptUrl: `${url}panel/webview.js` } : {}),
    async open(page, html) {
      body = html;
      // What the panel posts to its host (the page's acquireVsCodeApi stub), as a message from another process.
      page.on('console', (m) => {
        const text = m.text();
        if (!text.startsWith(HOST_PREFIX) || text.length > 1 << 20) return;
        try {
          hostListener?.(JSON.parse(text.slice(HOST_PREFIX.length)));
        } catch {
          // not JSON: nothing for the host
        }
      });
      await page.goto(url);
      await page.waitForFunction(() => (globalThis as unknown as { __feedOpen?: boolean }).__feedOpen === true);
    },
    async post(messages) {
      stream?.write(`data: ${JSON.stringify(messages)}\n\n`);
    },
    onHostMessage(listener) {
      hostListener = listener;
    },
    async close() {
      stream?.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The file a request for the panel's scripts names: `/panel/webview.js`, or one under `/panel/highlight/`. */
function scriptFile(scripts: PanelScripts, url: string): string | undefined {
  if (url === '/panel/webview.js') return scripts.webview;
  const rest = /^\/panel\/highlight\/([\w/.-]+\.js)$/.exec(url)?.[1];
  if (rest === undefined) return undefined;
  const file = path.resolve(scripts.highlightDir, rest);
  return file.startsWith(path.resolve(scripts.highlightDir) + path.sep) ? file : undefined;
}

function cdpFeed(): PanelFeed {
  let current: Page | undefined;
  return {
    async open(page, html) {
      current = page;
      await page.setContent(`<html><body>${html}</body></html>`);
    },
    async post(messages) {
      await current?.evaluate((ms) => {
        const w = globalThis as unknown as { postMessage(m: unknown, origin: string): void };
        for (const m of ms) w.postMessage(m, '*');
      }, messages);
    },
    onHostMessage() {},
    async close() {},
  };
}
