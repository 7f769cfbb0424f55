// Security UI tests: the packaged Tally in real VS Code (code-server) in real Chromium, under the panel's real CSP.
//   xss corpus      a reply of raw HTML, event handlers, javascript:/data:/vbscript:/command:/file: links in markdown
//                   and autolinks, entity tricks and look-alike links, streamed in 5-character pieces (tags split
//                   across chunks): nothing executes, no CSP violation (event or console), no dangerous element or
//                   attribute in the reply's DOM, the look-alike links show their real host
//   link click      clicking the look-alike link goes through the host: VS Code asks before opening the real URL
//   hostile stream  a 1.25 MiB reply in 4 KiB chunks ends with the size error, what arrived stays on screen, the
//                   markdown work is bounded by frames and by twice the text (not per chunk), and a follow-up works
// Each scenario counts as one test: TALLY_E2E_RESULT passed=N failed=N.
//   node --import tsx test/e2e/security.e2e.ts
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { CHUNK_CHARS } from '../../src/webview/chunkRule';
import { SLICE_CHARS } from '../../src/webview/streamPacer';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const SHOTS = SCREENSHOTS;

// What a payload does if it ever runs: each effect is checked (a global, the title, a message, a dialog).
const P = "window.__pwned=1;document.title='pwned';parent.postMessage('pwned','*');alert('pwned')";

/** The XSS corpus, as a model might stream it. */
const CORPUS = [
  '# Corpus',
  '',
  `<script>${P}</script>`,
  `<img src=x onerror="${P}">`,
  `<svg onload="${P}"><circle r=1 /></svg>`,
  `<iframe src="javascript:${P}" srcdoc="<script>${P}</script>"></iframe>`,
  '<style>body{background:url(https://evil.example/x.png)}</style>',
  `<a href="javascript:${P}">raw anchor</a> <div onclick="${P}" style="position:fixed;inset:0">overlay</div>`,
  `<details open ontoggle="${P}">x</details> <math><mtext><table><mglyph><style><img src=x onerror="${P}">`,
  '',
  `Markdown links: [md js](javascript:${P}) [md JS](JaVaScRiPt:${P}) [md data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `[md vb](vbscript:msgbox(1)) [md cmd](command:tally.setApiKey) [md file](file:///etc/passwd) [md img](data:image/svg+xml,<svg onload=alert(1)>)`,
  '',
  `Autolinks: <javascript:${P}> <data:text/html,hi> <vbscript:msgbox(1)> <command:workbench.action.terminal.new> <file:///etc/passwd>`,
  '',
  `Entities: [entity](&#106;avascript:${P}) [hex](&#x6A;avascript:${P}) [tab](java&#x09;script:${P}) [ref][r] &lt;script&gt;`,
  '',
  `[r]: javascript:${P}`,
  '',
  `\`<script>${P}</script>\` in code, and a fence:`,
  '',
  '```html',
  `<script>${P}</script>`,
  '```',
  '',
  `![image](https://evil.example/track.png) ![inline](data:image/png;base64,iVBORw0KGgo=)`,
  '',
  'Look-alikes: [https://github.com](https://evil.example/login) and [g\u0456thub.com](https://github.com) and',
  '[ｇｉｔｈｕｂ．ｃｏｍ](https://evil.example/fw) and [git\u202Ehub\u200B.com](https://evil.example/bidi) and [fine](https://example.com/docs).',
].join('\n');

// What the in-page functions use (this program is typechecked without the DOM lib; no named functions inside them:
// tsx would wrap those in a __name() helper the page does not have).
interface Attr {
  name: string;
  value: string;
}
interface El {
  tagName: string;
  attributes: ArrayLike<Attr>;
  textContent: string | null;
  closest(s: string): El | null;
}
interface PageGlobals {
  __pwned?: unknown;
  tallySecurity?: { violations: string[]; messages: string[]; title: string };
  document: {
    title: string;
    body: { dataset: Record<string, string | undefined> };
    addEventListener(type: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void;
    querySelectorAll(selector: string): ArrayLike<El>;
  };
  addEventListener(type: string, f: (e: { data: unknown }) => void): void;
}

/** Starts recording CSP violations and posted messages in the webview's document (before the reply arrives). */
async function watch(view: FrameLocator): Promise<void> {
  await view.locator('body').evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    if (page.tallySecurity) return;
    const rec = { violations: [] as string[], messages: [] as string[], title: page.document.title };
    page.tallySecurity = rec;
    page.document.addEventListener('securitypolicyviolation', (e) => {
      rec.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
    page.addEventListener('message', (e) => {
      if (e.data === 'pwned') rec.messages.push(String(e.data));
    });
  });
}

async function pageState(
  view: FrameLocator,
): Promise<{ pwned: unknown; title: string; rec: PageGlobals['tallySecurity'] }> {
  return view.locator('body').evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    return { pwned: page.__pwned, title: page.document.title, rec: page.tallySecurity };
  });
}

/** Every element or attribute in the last reply that could run script, load content or open a non-web scheme. */
async function dangerousInLastReply(view: FrameLocator): Promise<string[]> {
  return view
    .locator('.message.assistant')
    .last()
    .evaluate((article) => {
      const root = article as unknown as El & { querySelectorAll(s: string): ArrayLike<El> };
      const bad: string[] = [];
      const banned =
        /^(script|iframe|frame|object|embed|style|link|meta|base|img|svg|math|form|input|textarea|select|video|audio|source|template)$/i;
      for (const e of Array.from(root.querySelectorAll('*'))) {
        if (banned.test(e.tagName)) bad.push(`<${e.tagName.toLowerCase()}>`);
        if (e.tagName === 'BUTTON' && !e.closest('.code-actions')) bad.push('<button> not ours');
        for (const a of Array.from(e.attributes)) {
          const n = a.name.toLowerCase();
          if (
            n.startsWith('on') ||
            n === 'style' ||
            n === 'src' ||
            n === 'srcdoc' ||
            n === 'action' ||
            n === 'formaction' ||
            n.includes(':')
          )
            bad.push(`${e.tagName}[${n}]`);
          if (n === 'href' && !/^(https?:\/\/|mailto:)/i.test(a.value))
            bad.push(`${e.tagName}[href=${a.value.slice(0, 40)}]`);
        }
      }
      return bad;
    });
}

/** The markdown work counters the panel keeps on <body> (see panel.ts). */
async function counters(view: FrameLocator): Promise<{
  paints: number;
  slices: number;
  renders: number;
  rendersInPaints: number;
  chars: number;
  maxCharsInPaint: number;
}> {
  const d = await view
    .locator('body')
    .evaluate(() => ({ ...(globalThis as unknown as PageGlobals).document.body.dataset }));
  return {
    paints: Number(d.paints ?? 0),
    slices: Number(d.slicesAhead ?? 0),
    renders: Number(d.markdownRenders ?? 0),
    rendersInPaints: Number(d.markdownRendersInPaints ?? 0),
    chars: Number(d.markdownChars ?? 0),
    maxCharsInPaint: Number(d.maxCharsInPaint ?? 0),
  };
}

interface ChunkEl {
  className: string;
  textContent: string | null;
  firstElementChild: { checkVisibility(options: { contentVisibilityAuto: boolean }): boolean } | null;
}

/** How a reply's body holds its blocks (render/blockChunks.ts): its children's classes, the text in each closed chunk,
 *  how many closed chunks skip rendering (off screen), and whether the list is at its end. */
async function chunkLayout(view: FrameLocator, reply: ReturnType<FrameLocator['locator']>) {
  const body = await reply.locator('.content').evaluate((content) => {
    const children = Array.from((content as unknown as { children: ArrayLike<ChunkEl> }).children);
    const closed = children.filter((c) => c.className === 'chunk closed');
    return {
      classes: [...new Set(children.map((c) => c.className))],
      chunks: children.length,
      closedChars: closed.map((c) => c.textContent?.length ?? 0),
      // A skipped chunk's box is there; what it holds is not rendered.
      skipped: closed.filter((c) => c.firstElementChild?.checkVisibility({ contentVisibilityAuto: true }) === false)
        .length,
    };
  });
  const atEnd = await view.locator('#messages').evaluate((l) => {
    const list = l as unknown as { scrollHeight: number; scrollTop: number; clientHeight: number };
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  });
  return { ...body, atEnd };
}

async function send(view: FrameLocator, text: string): Promise<void> {
  await view.locator('#composer-input').fill(text);
  await view.locator('#send').click();
}

/** A long markdown reply: numbered sections with headings, emphasis, links, lists and code, `chars` long. */
function hostileReply(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let n = 0; length < chars; n++) {
    const id = `P#${String(n).padStart(6, '0')}`;
    const part = `## Part ${n}\n\n${id} with **bold**, \`code\` and a [link](https://example.com/${n}). ${'lorem ipsum dolor '.repeat(12)}\n\n- item a\n- item b\n\n\`\`\`ts\nconst x${n} = ${n};\n\`\`\`\n\n`;
    parts.push(part);
    length += part.length;
  }
  return parts.join('').slice(0, chars);
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  let wb: Workbench | undefined;
  const results = new E2eResults('security');
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder: path.join(REPO, 'test', 'fixtures', 'workspace'),
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-e2e-env-key-0001' },
    });
    const bench = wb;
    const consoleLines: string[] = [];
    const dialogs: string[] = [];
    bench.page.on('console', (m) => {
      consoleLines.push(`${m.type()}: ${m.text().split('\n')[0].slice(0, 300)}`);
    });
    bench.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await bench.clickActivityBar('Tally');
    const view = await bench.webview('#composer-input');
    const scenario = results.scenarios(bench);
    const cspInConsole = (from: number) =>
      consoleLines
        .slice(from)
        .filter((l) => /Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(l));

    await scenario('xss corpus', async () => {
      await watch(view);
      const consoleFrom = consoleLines.length;
      server.enqueue({ text: CORPUS, chunkSize: 5, chunkDelayMs: 2 });
      await send(view, 'Show me the corpus');
      const reply = view.locator('.message.assistant[data-status="complete"]', { hasText: 'Look-alikes' });
      await reply.waitFor({ timeout: 60_000 });
      const state = await pageState(view);
      assert.ok(state.rec, 'the watcher is still installed (the webview did not reload)');
      assert.equal(state.pwned, undefined, 'no payload set the global');
      assert.equal(state.title, state.rec.title, 'no payload changed the title');
      assert.deepEqual(state.rec.messages, [], 'no payload posted a message');
      assert.deepEqual(dialogs, [], 'no payload opened a dialog');
      assert.deepEqual(state.rec.violations, [], 'no securitypolicyviolation event: nothing even tried to load or run');
      assert.deepEqual(cspInConsole(consoleFrom), [], 'no CSP violation in the console');
      assert.deepEqual(await dangerousInLastReply(view), [], 'no dangerous element or attribute in the reply');

      // Raw HTML and the refused links are shown as text.
      const text = (await reply.textContent()) ?? '';
      for (const shown of [
        '<script>',
        '<img src=x onerror=',
        '[md js](javascript:',
        '[md cmd](command:tally.setApiKey)',
        '<command:workbench.action.terminal.new>',
        '[md file](file:///etc/passwd)',
      ]) {
        assert.ok(text.includes(shown), `shown as text: ${shown}`);
      }
      const links = await reply.locator('a').evaluateAll((as) =>
        as.map((a) => {
          const e = a as unknown as El & { nextElementSibling: El | null; getAttribute(n: string): string | null };
          const next = e.nextElementSibling;
          return {
            text: e.textContent ?? '',
            href: e.getAttribute('href'),
            title: e.getAttribute('title'),
            marker: next && next.tagName === 'SPAN' ? next.textContent : null,
          };
        }),
      );
      log('links in the reply:', JSON.stringify(links));
      // (The URL inside the <style> text is linkified: a visible web link whose text is its URL.)
      assert.deepEqual(
        links.map((l) => l.href),
        [
          'https://evil.example/x.png',
          'https://evil.example/login',
          'https://github.com',
          'https://evil.example/fw',
          'https://evil.example/bidi',
          'https://example.com/docs',
        ],
        'only the web links are links',
      );
      assert.equal(links[0].marker, null, 'a link whose text is its own URL gets no marker');
      assert.equal(links[1].marker, ' → evil.example', 'the look-alike URL text shows its real host');
      assert.match(links[1].title ?? '', /^https:\/\/evil\.example\/login\n/, 'and the title has the real URL');
      assert.equal(links[2].marker, ' → github.com', 'Cyrillic look-alike text: the real host is shown');
      assert.equal(links[3].marker, ' → evil.example', 'full-width look-alike text: the real host is shown');
      assert.equal(links[4].text, 'github.com', 'bidi and zero-width characters are stripped from link text');
      assert.equal(links[4].marker, ' → evil.example');
      assert.equal(links[5].marker, null, 'a plain link gets no marker');
      assert.equal(links[5].title, 'https://example.com/docs', 'but its title is its real URL');
      await bench.screenshot(path.join(SHOTS, 'security-xss-corpus.png'));

      // The watchers can see a violation: a probe outside the reply that the CSP must block is reported.
      await view.locator('body').evaluate(() => {
        const d = (
          globalThis as unknown as {
            document: { createElement(t: string): { src: string; id: string }; body: { append(e: unknown): void } };
          }
        ).document;
        const img = d.createElement('img');
        img.id = 'csp-probe';
        img.src = 'https://evil.example/probe.png';
        d.body.append(img);
      });
      let seen: string[] = [];
      for (let i = 0; i < 50 && seen.length === 0; i++) {
        await bench.page.waitForTimeout(100);
        seen = (await pageState(view)).rec?.violations ?? [];
      }
      log('the probe was reported:', JSON.stringify(seen), JSON.stringify(cspInConsole(consoleFrom)));
      assert.equal(seen.length, 1, 'the securitypolicyviolation listener reports a blocked load');
      assert.ok(seen[0].startsWith('img-src'), seen[0]);
      assert.equal(cspInConsole(consoleFrom).length, 1, 'and the console check sees its message');
      await view.locator('#csp-probe').evaluate((e) => (e as unknown as { remove(): void }).remove());
    });

    await scenario('link click goes through the host', async () => {
      const link = view.locator('.message.assistant a', { hasText: 'https://github.com' }).last();
      await link.click();
      // The host opens the real URL with vscode.env.openExternal, which asks first for a domain not trusted yet.
      const dialog = bench.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 15_000 });
      const said = (await dialog.textContent()) ?? '';
      log('VS Code asked:', JSON.stringify(said.slice(0, 200)));
      assert.match(said, /https:\/\/evil\.example\/login/, 'VS Code names the real URL before opening it');
      await bench.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });
      const state = await pageState(view);
      assert.ok(state.rec, 'the webview did not navigate away');
    });

    await scenario('hostile stream', async () => {
      await watch(view);
      const consoleFrom = consoleLines.length;
      const violationsBefore = (await pageState(view)).rec?.violations.length ?? 0;
      const size = 1024 * 1024 + 256 * 1024;
      const text = hostileReply(size);
      const chunks = Math.ceil(text.length / 4096);
      const before = await counters(view);
      server.enqueue({ text, chunkSize: 4096 });
      await send(view, 'Flood me');
      const error = view.locator('#error[data-kind="replyTooLarge"]');
      await error.waitFor({ timeout: 180_000 });
      log('size error:', JSON.stringify(await error.locator('.error-message').textContent()));
      const reply = view.locator('.message.assistant').last();
      await view.locator('body[data-busy="false"]').waitFor({ timeout: 60_000 });
      const kept = (await reply.locator('.content').textContent()) ?? '';
      const ids = [...kept.matchAll(/P#(\d{6})/g)].map((m) => Number(m[1]));
      const lastId = Math.max(...ids);
      const partWhereLimitFalls = text.slice(0, 1024 * 1024).match(/P#\d{6}/g)?.length ?? 0;
      log(
        `kept ${kept.length} characters on screen, parts 0..${lastId}; the 1 MiB limit falls in part ${partWhereLimitFalls - 1}`,
      );
      assert.equal(ids[0], 0, 'the reply starts on screen');
      assert.ok(lastId >= partWhereLimitFalls - 2, `the partial reply up to the limit is kept (last part ${lastId})`);
      assert.ok(
        !kept.includes(`P#${String(partWhereLimitFalls + 5).padStart(6, '0')}`),
        'nothing past the limit is shown',
      );
      // The kept reply's blocks are in chunks; every chunk but the last is closed, holds at least CHUNK_CHARS
      // characters, and off screen skips rendering, at the size it was laid out at: the list still followed the
      // stream to its end (a closed chunk skipped at a guessed height would have left it short of the end).
      const layout = await chunkLayout(view, reply);
      log(
        `${layout.chunks} chunks (${layout.closedChars.length} closed, ${layout.skipped} skipped off screen), at the end: ${layout.atEnd}`,
      );
      assert.deepEqual(layout.classes.sort(), ['chunk', 'chunk closed'], 'the body holds chunks only');
      assert.equal(layout.closedChars.length, layout.chunks - 1, 'every chunk but the last is closed');
      assert.ok(
        layout.closedChars.every((n) => n >= CHUNK_CHARS && n < CHUNK_CHARS + 4096),
        `closed chunks of ${CHUNK_CHARS} characters or a block more: ${layout.closedChars.slice(0, 5)}`,
      );
      assert.ok(layout.skipped >= layout.chunks - 20, `closed chunks off screen skip rendering: ${layout.skipped}`);
      assert.ok(layout.atEnd, 'the list followed the stream to its end');
      const after = await counters(view);
      const renders = after.renders - before.renders;
      const paints = after.paints - before.paints;
      const chars = after.chars - before.chars;
      const inPaints = after.rendersInPaints - before.rendersInPaints;
      log(
        `${chunks} chunks, ${paints} paints, ${renders} markdown renders (${inPaints} inside a paint) over ${chars} characters`,
      );
      // Finished blocks are rendered a slice of about SLICE_CHARS at a time, each in a task ahead of the frame that
      // shows them (main.ts, Panel.layOutAhead): a render per slice, not per piece; inside paints only what follows
      // the last block at the end, and a render for a paint that a message other than a piece brought forward (here
      // the size error).
      const slices = after.slices - before.slices;
      assert.ok(
        renders <= slices + paints + 1,
        `markdown renders (${renders}) bounded by slices (${slices}) and frames painted (${paints}), plus the final render`,
      );
      assert.ok(
        slices <= Math.ceil(chars / SLICE_CHARS) + paints,
        `slices (${slices}) of SLICE_CHARS or more, but for the last of each paint (${chars} characters, ${paints} paints)`,
      );
      assert.ok(renders - inPaints >= 1, `blocks were rendered ahead of paints (${renders - inPaints} renders)`);
      assert.ok(inPaints <= 2, `markdown renders inside a paint: ${inPaints} of ${renders}`);
      // The size error comes while pieces wait to be painted: what they finished goes through the slices too, and no
      // paint in between renders what the slices have still to do (it once rendered ~1 MB in one task).
      log(`the most characters rendered inside one paint: ${after.maxCharsInPaint}`);
      assert.ok(
        after.maxCharsInPaint <= SLICE_CHARS,
        `a paint rendered ${after.maxCharsInPaint} characters (at most a slice: SLICE_CHARS = ${SLICE_CHARS})`,
      );
      // Each finished block is rendered once while streaming and the end renders only the text after the last one
      // (markdownBody.ts): about once per character (a whole second render at the end would be ~2 MiB).
      assert.ok(
        chars <= 1024 * 1024 + 256 * 1024,
        `markdown rendered ${chars} characters: each character about once, not twice nor once per chunk`,
      );
      assert.deepEqual(cspInConsole(consoleFrom), [], 'no CSP violation in the console');
      assert.equal(
        (await pageState(view)).rec?.violations.length,
        violationsBefore,
        'no securitypolicyviolation event',
      );

      // Still responsive: type in the composer and get a follow-up answered.
      const follow = 'Are you still there?';
      await send(view, follow);
      await view
        .locator('.message.assistant[data-status="complete"]', { hasText: `Echo: ${follow}` })
        .waitFor({ timeout: 60_000 });
      await bench.screenshot(path.join(SHOTS, 'security-hostile-stream.png'));
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
