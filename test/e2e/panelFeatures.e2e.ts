// UI tests of the panel's features, in one real VS Code (the packaged .vsix in code-server) driven in real Chromium:
//   estimate       the composer's live estimate equals the prompt_tokens the server counts (with gpt-tokenizer) for
//                  the request the draft becomes
//   conversations  switching between two conversations in the panel's list
//   retry          a 429 with Retry-After shows "Rate limited — retrying in N s (attempt 2 of 4)" counting down,
//                  then the reply arrives
//   auth           a 401 shows the auth error with its Set API Key action; the action asks for a key (password input)
//                  and the next request uses it
//   usage report   Tally: Show Usage Report shows the chart and the per-model totals
//   streamed = opened  a long reply shown as it streamed is the same DOM (chunks, blocks, highlighting) as the same
//                  reply rendered at once when its conversation is opened again; its blocks were laid out in slices
//                  ahead of the paints, and no frame showed a paragraph twice
//   end in view    a reply whose last piece brings two chunks' worth of blocks ends with its end on screen, and so
//                  does its conversation opened again (a chunk skipped at a guessed height grows when laid out)
//   next request while slices render  a reply that ends with much text at once, and the next request starting
//                  before the slices rendered it: the ended reply is still finished, in slices
// Each scenario counts as one test: TALLY_E2E_RESULT passed=N failed=N.
//   node --import tsx test/e2e/panelFeatures.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { LAYOUT_CHARS, SLICE_CHARS } from '../../src/webview/streamPacer';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const SHOTS = SCREENSHOTS;

async function send(view: FrameLocator, text: string): Promise<void> {
  await view.locator('#composer-input').fill(text);
  await view.locator('#send').click();
}

async function replyFor(view: FrameLocator, text: string, timeout = 30_000): Promise<void> {
  await view
    .locator('.message.assistant[data-status="complete"]', { hasText: `Echo: ${text}` })
    .first()
    .waitFor({ timeout });
}

/** A markdown reply of about `chars` characters: sections with headings, paragraphs, lists, tables, quotes and code. */
function longReply(chars: number): string {
  const parts: string[] = [];
  for (let n = 0, length = 0; length < chars; n++) {
    const table = n % 4 === 2 ? `| key | value |\n|---|---|\n| k${n} | ${n * 7} |\n\n` : '';
    const part =
      `## Section ${n}\n\nParagraph ${n} with **bold**, \`code\` and a [link](https://example.com/${n}). ` +
      `${'The quick brown fox jumps over the lazy dog. '.repeat(6)}\n\n- item a${n}\n- item b${n}\n\n${table}` +
      `> quoted ${n}\n\n\`\`\`ts\nconst x${n} = ${n};\nexport function f${n}() { return x${n} * 2; }\n\`\`\`\n\n`;
    parts.push(part);
    length += part.length;
  }
  return parts.join('').trimEnd();
}

interface ListEl {
  scrollHeight: number;
  scrollTop: number;
  clientHeight: number;
  dataset: Record<string, string | undefined>;
  getBoundingClientRect(): { top: number; bottom: number };
  querySelectorAll(selector: string): ArrayLike<{ getBoundingClientRect(): { top: number; bottom: number } }>;
}

/** Waits (up to `ms`) for the message list to show its end: scrolled to the bottom, the last reply's last paragraph on
 *  screen. Returns what it saw last. */
async function endInView(
  view: FrameLocator,
  ms = 5_000,
): Promise<{ fromEnd: number; lastOnScreen: boolean; kept: number }> {
  const list = view.locator('#messages');
  let seen = { fromEnd: -1, lastOnScreen: false, kept: 0 };
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    seen = await list.evaluate((e) => {
      const l = e as unknown as ListEl;
      const ps = l.querySelectorAll('.message.assistant .content p');
      const last = ps[ps.length - 1].getBoundingClientRect();
      const box = l.getBoundingClientRect();
      return {
        fromEnd: l.scrollHeight - l.scrollTop - l.clientHeight,
        lastOnScreen: last.top >= box.top && last.bottom <= box.bottom + 1,
        kept: Number(l.dataset.endKept ?? 0),
      };
    });
    if (seen.fromEnd < 40 && seen.lastOnScreen) break;
  }
  return seen;
}

/** Away and back through the conversation list: the first conversation (asked `first`, titled "How many tokens…"),
 *  then the one that asked `ask` again, read back from disk and rendered at once. */
async function awayAndBack(view: FrameLocator, first: string, ask: string): Promise<void> {
  await view.locator('#conversation-title').click(); // opens the list
  await view.locator('.conversation-item', { hasText: 'How many tokens' }).locator('.conversation-open').click();
  await view.locator('.message.user', { hasText: first }).waitFor({ timeout: 10_000 });
  await view.locator('.conversation-item', { hasText: ask }).locator('.conversation-open').click();
  await view.locator('.message.user', { hasText: ask }).waitFor({ timeout: 10_000 });
}

interface DuplicateWatch {
  frames: number;
  twice: string[];
  /** Code blocks whose content changed after they were in the page (highlighted late: laid out twice). */
  codeRepainted: number;
  stop?: boolean;
}

/** From now on, at every frame until stopDuplicateWatch: the streaming reply's paragraphs ("Paragraph N with", one per
 *  section of longReply) that it shows twice. A paint's blocks are inserted ahead of it in slices while the open tail
 *  still holds the start of the first one (main.ts, markdownBody.ts insertReady): a frame drawn between two slices
 *  must not show that text both as a block and in the tail. Also counts code blocks highlighted after they were
 *  inserted (a MutationObserver on the list): once their language is loaded, blocks are highlighted before, so that a
 *  slice lays each out once (render/codeHighlight.ts). */
async function watchDuplicates(view: FrameLocator): Promise<void> {
  // (No named function inside: tsx would wrap it in a __name() helper the page does not have; a property is not named.)
  await view.locator('body').evaluate(() => {
    interface Mutated {
      target: { nodeName: string; parentNode: { nodeName: string } | null };
    }
    const g = globalThis as unknown as {
      __dup: DuplicateWatch & { tick: () => void; observer: { disconnect(): void } };
      requestAnimationFrame(cb: () => void): void;
      document: { querySelector(s: string): { textContent: string | null } | null };
      MutationObserver: new (cb: (records: Mutated[]) => void) => {
        observe(target: unknown, options: { childList: boolean; subtree: boolean }): void;
        disconnect(): void;
      };
    };
    g.__dup = { frames: 0, twice: [], codeRepainted: 0 } as unknown as DuplicateWatch & {
      tick: () => void;
      observer: { disconnect(): void };
    };
    const observer = new g.MutationObserver((records) => {
      for (const r of records)
        if (r.target.nodeName === 'CODE' && r.target.parentNode?.nodeName === 'PRE') g.__dup.codeRepainted++;
    });
    observer.observe(g.document.querySelector('#messages'), { childList: true, subtree: true });
    g.__dup.observer = observer;
    g.__dup.tick = () => {
      const content = g.document.querySelector('.message.assistant[data-status="streaming"] .content');
      if (content) {
        g.__dup.frames++;
        const seen = new Set<string>();
        for (const m of (content.textContent ?? '').matchAll(/Paragraph (\d+) with/g)) {
          if (seen.has(m[1]) && g.__dup.twice.length < 10) g.__dup.twice.push(m[1]);
          seen.add(m[1]);
        }
      }
      if (!g.__dup.stop) g.requestAnimationFrame(g.__dup.tick);
    };
    g.requestAnimationFrame(g.__dup.tick);
  });
}

async function stopDuplicateWatch(view: FrameLocator): Promise<DuplicateWatch> {
  return view.locator('body').evaluate(() => {
    const w = (globalThis as unknown as { __dup: DuplicateWatch & { observer: { disconnect(): void } } }).__dup;
    w.stop = true;
    w.observer.disconnect();
    return { frames: w.frames, twice: w.twice, codeRepainted: w.codeRepainted };
  });
}

/** The newest reply's body once every code block in it is highlighted. */
async function settledReplyHtml(view: FrameLocator): Promise<string> {
  const content = view.locator('.message.assistant[data-status="complete"] .content').last();
  await content.locator('pre code').first().waitFor({ timeout: 30_000 });
  for (let i = 0; i < 300; i++) {
    const [all, done] = await Promise.all([
      content.locator('pre code').count(),
      content.locator('pre code[data-highlighted="done"]').count(),
    ]);
    if (all > 0 && done === all) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return content.innerHTML();
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  server.setDefault({ chunkDelayMs: 20 });
  let wb: Workbench | undefined;
  const results = new E2eResults('features');
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

    const first = 'How many tokens will this exact question cost, including the chat format?';
    await scenario('estimate', async () => {
      await view.locator('#composer-input').fill(first);
      const estimate = view.locator('#estimate');
      await estimate.filter({ hasText: /tokens/ }).waitFor({ timeout: 30_000 });
      const shown = (await estimate.textContent()) ?? '';
      log('estimate shown:', JSON.stringify(shown));
      const tokens = Number(/^([\d,]+) tokens/.exec(shown)?.[1].replace(/,/g, ''));
      assert.match(shown, /\$[\d.]+–\$[\d.]+ · gpt-4o-mini/, 'the cost range and the model are shown');
      await view.locator('#send').click();
      await replyFor(view, first);
      const counted = server.requests.at(-1)?.promptTokens;
      assert.ok(tokens > 0 && counted !== undefined);
      assert.equal(tokens, counted, `estimate ${tokens} = server's prompt_tokens ${counted}`);
      await bench.screenshot(path.join(SHOTS, 'features-estimate.png'));
    });

    const second = 'A second conversation about something else';
    await scenario('conversations', async () => {
      await view.locator('#conversation-new').click();
      await view.locator('.message').first().waitFor({ state: 'detached', timeout: 10_000 });
      await send(view, second);
      await replyFor(view, second);
      await view.locator('#conversation-title').click(); // opens the list
      const items = view.locator('.conversation-item');
      await items.nth(1).waitFor({ timeout: 10_000 });
      await view.locator('.conversation-item', { hasText: 'How many tokens' }).locator('.conversation-open').click();
      await view.locator('.message.user', { hasText: first }).waitFor({ timeout: 10_000 });
      assert.equal(
        await view.locator('.message.user', { hasText: second }).count(),
        0,
        'only the opened conversation is shown',
      );
      await view
        .locator('.conversation-item', { hasText: 'A second conversation' })
        .locator('.conversation-open')
        .click();
      await view.locator('.message.user', { hasText: second }).waitFor({ timeout: 10_000 });
      assert.equal(await view.locator('.message.user', { hasText: first }).count(), 0);
      // A conversation read back from disk still shows each reply's cost (gpt-4o-mini's price is known).
      const footer = (await view.locator('.message.assistant .usage').last().textContent()) ?? '';
      assert.match(footer, /tokens · (<)?\$/, `reopened reply shows its cost: ${footer}`);
      await bench.screenshot(path.join(SHOTS, 'features-conversations.png'));
      await view.locator('#conversation-title').click(); // closes the list
    });

    await scenario('streamed = opened', async () => {
      // A reply with a ```ts block first, so that the language is loaded when the long reply streams, as it is after
      // the first block in that language: from then on each block is highlighted before it is inserted.
      server.enqueue({ text: 'First a block:\n\n```ts\nconst warm = 1;\n```' });
      await send(view, 'A code block first');
      await view
        .locator('.message.assistant[data-status="complete"] pre > code[data-highlighted="done"]')
        .last()
        .waitFor({ timeout: 30_000 });
      const ask = 'A long answer with code, please';
      await view.locator('#conversation-new').click();
      await view.locator('.message').first().waitFor({ state: 'detached', timeout: 10_000 });
      const text = longReply(25_000);
      // Fast: the reply comes faster than it is painted, and its blocks are rendered ahead of the paints, in slices.
      server.enqueue({ text, chunkSize: 120, chunkDelayMs: 1 });
      const before = await view
        .locator('body')
        .evaluate((b) => ({ ...(b as unknown as { dataset: Record<string, string> }).dataset }));
      await watchDuplicates(view);
      await send(view, ask);
      await view.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 60_000 });
      const watched = await stopDuplicateWatch(view);
      const after = await view
        .locator('body')
        .evaluate((b) => ({ ...(b as unknown as { dataset: Record<string, string> }).dataset }));
      const slices = Number(after.slicesAhead) - Number(before.slicesAhead ?? 0);
      const ahead = Number(after.charsAhead) - Number(before.charsAhead ?? 0);
      const layouts = Number(after.layoutsAhead ?? 0) - Number(before.layoutsAhead ?? 0);
      const paints = Number(after.paints) - Number(before.paints);
      log(
        `${paints} paints, ${slices} slices rendered ${ahead} characters ahead (at most ${after.maxSliceChars} in one), ` +
          `${layouts} tasks laid out what was held (at most ${after.maxLayoutChars} characters); ` +
          `${watched.frames} frames watched, paragraphs shown twice: ${JSON.stringify(watched.twice)}; ` +
          `code blocks highlighted after they were inserted: ${watched.codeRepainted}`,
      );
      assert.ok(watched.frames >= 5, `frames watched while the reply streamed: ${watched.frames}`);
      assert.deepEqual(watched.twice, [], 'no frame shows a paragraph twice');
      // Every block of this reply is ```ts (one per section, ~55), a language loaded already: none is highlighted
      // after it was inserted (each would be laid out twice).
      assert.ok(
        watched.codeRepainted === 0,
        `code blocks highlighted before they were inserted, once their language was loaded: ${watched.codeRepainted} highlighted after`,
      );
      // More was rendered ahead than one slice takes, and no slice took more than SLICE_CHARS and a block (here under
      // 500): the blocks were rendered in more than one task.
      assert.ok(ahead > SLICE_CHARS + 500, `characters rendered ahead of paints: ${ahead}`);
      assert.ok(
        Number(after.maxSliceChars) <= SLICE_CHARS + 500,
        `a slice rendered at most SLICE_CHARS and a block: ${after.maxSliceChars}`,
      );
      assert.ok(slices >= 2, `slices: ${slices}`);
      // Rendered blocks are held out of the page and inserted and laid out LAYOUT_CHARS or more at a time (or by the
      // paint): not a layout, and a frame after it, per slice (streamPacer.ts); and no task lays out much more.
      assert.ok(
        layouts <= Math.floor(ahead / LAYOUT_CHARS),
        `layouts ahead of paints of LAYOUT_CHARS or more each: ${layouts} for ${ahead} characters`,
      );
      assert.ok(
        Number(after.maxLayoutChars ?? 0) <= SLICE_CHARS + LAYOUT_CHARS + 500,
        `a task laid out at most what a slice and LAYOUT_CHARS hold: ${after.maxLayoutChars}`,
      );
      const streamed = await settledReplyHtml(view);
      const chunks = await view.locator('.message.assistant .content > .chunk').count();
      const closed = await view.locator('.message.assistant .content > .chunk.closed').count();
      log(`streamed reply: ${text.length} characters, ${chunks} chunks (${closed} closed), ${streamed.length} of HTML`);
      assert.ok(chunks >= 5, `the reply is in chunks: ${chunks}`);
      assert.equal(closed, chunks - 1, 'every chunk but the last is closed');
      await awayAndBack(view, first, ask);
      const opened = await settledReplyHtml(view);
      assert.ok(opened.length > text.length, `the opened reply is rendered: ${opened.length} of HTML`);
      assert.equal(opened, streamed, 'the reply as it streamed is the reply rendered at once');
      await view.locator('#conversation-title').click(); // closes the list
    });

    await scenario('end in view', async () => {
      // The end of a stream renders what arrived since the last paint. Here that is two chunks' worth of blocks: the
      // chunk that another follows is closed at once, skipped at a guessed height (it was never laid out), and laid
      // out when it comes near the screen; it grows, and the list must still show the reply's end (messageList.ts:
      // keepEnd). Opening the conversation again renders the reply at once: the same.
      const ask = 'Two pieces, the second one long';
      await view.locator('#conversation-new').click();
      await view.locator('.message').first().waitFor({ state: 'detached', timeout: 10_000 });
      const para = (i: number) =>
        `Paragraph ${i}: ${'The quick brown fox jumps over the lazy dog. '.repeat(11).trim()}`;
      const part1 = `${[1, 2, 3, 4, 5, 6, 7].map(para).join('\n\n')}\n\n`;
      const part2 = `${[8, 9, 10, 11, 12].map(para).join('\n\n')}\n\nThe end of the reply.`;
      server.enqueue({ chunks: [part1, part2], chunkDelayMs: 1_000 });
      await send(view, ask);
      await view
        .locator('.message.assistant[data-status="complete"]', { hasText: 'The end of the reply.' })
        .waitFor({ timeout: 30_000 });
      const streamed = await endInView(view);
      const chunks = await view.locator('.message.assistant .content > .chunk').count();
      log(`streamed: ${chunks} chunks, ${JSON.stringify(streamed)}`);
      assert.ok(chunks >= 3, `the end brought more than one chunk: ${chunks}`);
      assert.ok(
        streamed.fromEnd < 40 && streamed.lastOnScreen,
        `the reply's end is on screen: ${JSON.stringify(streamed)}`,
      );
      await awayAndBack(view, first, ask);
      const opened = await endInView(view);
      log(`opened: ${JSON.stringify(opened)}`);
      assert.ok(
        opened.fromEnd < 40 && opened.lastOnScreen,
        `the opened reply's end is on screen: ${JSON.stringify(opened)}`,
      );
      await view.locator('#conversation-title').click(); // closes the list
    });

    await scenario('retry countdown', async () => {
      server.enqueue({ status: 429, headers: { 'retry-after': '3' } });
      const text = 'Rate limit me, then answer';
      await send(view, text);
      const notice = view.locator('#retry-notice');
      await notice
        .filter({ hasText: /Rate limited — retrying in \d s \(attempt 2 of 4\)/ })
        .waitFor({ timeout: 15_000 });
      const before = Number(/in (\d) s/.exec((await notice.textContent()) ?? '')?.[1]);
      await bench.screenshot(path.join(SHOTS, 'features-retry.png'));
      await view.locator('#retry-notice', { hasText: new RegExp(`in ${before - 1} s`) }).waitFor({ timeout: 3_000 });
      log(`countdown went from ${before} s to ${before - 1} s`);
      await replyFor(view, text);
      assert.equal(await notice.isHidden(), true, 'the notice goes away when the reply arrives');
    });

    await scenario('auth error action', async () => {
      server.enqueue({ status: 401 });
      await send(view, 'This key is wrong');
      const error = view.locator('#error[data-kind="auth"]');
      await error.waitFor({ timeout: 15_000 });
      assert.match((await error.textContent()) ?? '', /rejected the API key/);
      await error.locator('button[data-action="setApiKey"]').click();
      const input = bench.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10_000 });
      assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password box');
      await input.fill('sk-e2e-new-key-0002');
      await bench.page.keyboard.press('Enter');
      const text = 'Now with the new key';
      await (await bench.webview('#composer-input')).locator('#composer-input').waitFor();
      await send(view, text);
      await replyFor(view, text);
      assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer sk-e2e-new-key-0002');
    });

    await scenario('usage report', async () => {
      await bench.runCommand('Tally: Show Usage Report');
      const report = await bench.webview('#usage-chart svg', 30_000);
      const bars = await report.locator('#usage-chart svg rect.bar').count();
      const rows = report.locator('#per-model tbody tr');
      await rows.first().waitFor({ timeout: 10_000 });
      const firstCells = await rows.locator('td:first-child').allTextContents();
      log('usage report: bars', bars, 'models', JSON.stringify(firstCells));
      assert.ok(bars >= 1, 'the chart has bars');
      assert.ok(firstCells.includes('gpt-4o-mini'), 'the per-model table lists gpt-4o-mini');
      const row = rows.filter({ hasText: 'gpt-4o-mini' });
      assert.match((await row.textContent()) ?? '', /\$/);
      await bench.screenshot(path.join(SHOTS, 'features-usage-report.png'));
    });

    // Last: it posts host messages into the panel's page itself, so the panel shows a conversation the host does not.
    await scenario('next request while slices render', async () => {
      // A streamed reply ends with ~100,000 characters at once, and the next request starts in the same task, before
      // the slices have rendered them (a command run as a reply ends). The messages are dispatched in the page, so
      // the order is exact. The ended reply must still be finished by the slices: the paint in between left it alone
      // (MessageView.update) and the slices follow it, not only the last message (MessageList.withWorkAhead).
      const text = longReply(100_000);
      // The reply ends in a code block: its last line is what the screen ends with.
      const last = text.split('\n').at(-2) ?? '?';
      const dataset = () =>
        view.locator('body').evaluate((b) => ({ ...(b as unknown as { dataset: Record<string, string> }).dataset }));
      const post = (messages: unknown[]) =>
        view.locator('body').evaluate((_, ms) => {
          const w = globalThis as unknown as {
            dispatchEvent(e: unknown): void;
            MessageEvent: new (type: string, init: { data: unknown }) => unknown;
          };
          for (const data of ms) w.dispatchEvent(new w.MessageEvent('message', { data }));
        }, messages);
      const m = (id: string, role: string, content: string, status?: string) => ({
        id,
        role,
        content,
        createdAt: Date.now(),
        ...(status ? { status } : {}),
      });
      await post([
        {
          type: 'chat/started',
          requestId: 'inj1',
          user: m('inj-u1', 'user', 'first'),
          assistant: m('inj-a1', 'assistant', '', 'streaming'),
        },
        { type: 'chat/delta', requestId: 'inj1', text: text.slice(0, 2_000) },
      ]);
      const first = view.locator('[data-id="inj-a1"][data-status="streaming"] .content');
      await first.filter({ hasText: 'Section 1' }).waitFor({ timeout: 10_000 });
      const before = await dataset();
      await post([
        { type: 'chat/done', requestId: 'inj1', assistant: m('inj-a1', 'assistant', text, 'complete') },
        {
          type: 'chat/started',
          requestId: 'inj2',
          user: m('inj-u2', 'user', 'second'),
          assistant: m('inj-a2', 'assistant', '', 'streaming'),
        },
      ]);
      const done = view.locator('[data-id="inj-a1"][data-status="complete"] .content');
      await done.waitFor({ timeout: 20_000 });
      const shown = ((await done.textContent()) ?? '').trimEnd();
      await view.locator('[data-id="inj-a2"][data-status="streaming"]').waitFor({ timeout: 10_000 });
      const after = await dataset();
      const n = (k: string) => Number(after[k] ?? 0) - Number(before[k] ?? 0);
      log(
        `ended reply: ${n('slicesAhead')} slices over ${n('charsAhead')} characters, ${n('markdownRendersInPaints')} renders inside paints, ${n('markdownChars')} characters rendered`,
      );
      assert.ok(shown.endsWith(last), `the ended reply is shown whole: ...${JSON.stringify(shown.slice(-60))}`);
      const middle = /Section \d+/.exec(text.slice(text.length / 2))?.[0] ?? '?';
      assert.ok(shown.includes(middle), `its middle is there (${middle})`);
      assert.ok(
        n('charsAhead') >= text.length - 2_000 - SLICE_CHARS,
        `what the end brought was rendered in slices ahead of the paint: ${n('charsAhead')} characters`,
      );
      assert.ok(n('slicesAhead') >= Math.floor((text.length - 2_000) / (SLICE_CHARS + 2_000)), 'in several slices');
      assert.ok(n('markdownRendersInPaints') <= 1, 'inside a paint at most the text after the last block');
      assert.ok(n('markdownChars') <= text.length, `each character rendered once: ${n('markdownChars')}`);
      // The panel goes back to the host's own state.
      await post([{ type: 'chat/done', requestId: 'inj2', assistant: m('inj-a2', 'assistant', 'ok', 'complete') }]);
    });
  } catch (e) {
    results.aborted(e);
  } finally {
    await wb?.close({ passed: results.failed === 0 });
    await server.close();
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  return results.report();
}

runE2e(main);
