// UI tests of code blocks in replies (issue #13 item 4), in one real VS Code (the packaged .vsix in code-server)
// driven in real Chromium, under the panel's real CSP:
//   highlighted     a reply with a ```ts block shows highlight.js's token spans in theme colours (the core and the
//                   TypeScript file loaded on demand from dist/highlight/), and the block's action bar
//   replace         with code selected in an editor, Replace… shows the diff and a notification; Accept replaces the
//                   selection, and one undo brings the old code back
//   themes          in dark, dark high contrast, light high contrast and light themes every token kind keeps a
//                   contrast of at least 4.5:1 (WCAG AA for text) against the block's background, and keywords stand
//                   out from the text
// Each scenario counts as one test: TALLY_E2E_RESULT passed=N failed=N.
//   npm test -- --only build,package && node --import tsx test/e2e/codeBlocks.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');
const ORIGINAL = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';
const BLOCK = [
  'export function add(a: number, b: number): number {',
  '  // Adds two numbers.',
  '  const total = a + b;',
  "  console.log('total', total);",
  '  return total;',
  '}',
].join('\n');
const REPLY = `Here is the function with an explicit return type:\n\n\`\`\`ts\n${BLOCK}\n\`\`\`\n\nIt logs the total too.`;

/** The page's getComputedStyle (this file is typed without the DOM library). */
interface ComputedStyle {
  getComputedStyle(el: unknown): { color: string; backgroundColor: string };
}

type Rgba = [number, number, number, number];

function parseColour(css: string): Rgba {
  const n = (css.match(/[\d.]+/g) ?? []).map(Number);
  return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 1];
}

/** The colour seen through the stacked backgrounds (innermost first), each laid over the ones behind it. */
function seenBackground(layers: string[]): Rgba {
  let out: Rgba = [255, 255, 255, 1];
  for (const layer of [...layers].reverse()) {
    const [r, g, b, a] = parseColour(layer);
    out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a), 1];
  }
  return out;
}

/** WCAG 2 contrast ratio of a text colour (its alpha laid over `bg`) against `bg`. */
function contrast(text: string, bg: Rgba): number {
  const [r, g, b, a] = parseColour(text);
  const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  const lum = (c: number[]) =>
    c
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(fg), lum(bg.slice(0, 3))].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The text of the editor on screen (Monaco renders spaces as no-break spaces). */
async function editorText(wb: Workbench): Promise<string> {
  const lines = await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return lines.replace(/\u00a0/g, ' ');
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-code-'));
  fs.writeFileSync(path.join(folder, 'sample.ts'), ORIGINAL);
  let wb: Workbench | undefined;
  const results = new E2eResults('code-blocks');
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder,
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-e2e-env-key-0001' },
    });
    const bench = wb;
    const scenario = results.scenarios(bench);

    // The file to edit, open in an editor.
    await bench.openFile('sample.ts', 'return');

    await bench.clickActivityBar('Tally');
    const view = await bench.webview('#composer-input');
    server.enqueue({ text: REPLY });
    await view.locator('#composer-input').fill('Add a return type to add()');
    await view.locator('#send').click();
    const reply = view.locator('.message.assistant[data-status="complete"]').last();
    await reply.waitFor({ timeout: 30_000 });

    await scenario('highlighted', async () => {
      const code = reply.locator('pre > code[data-highlighted="done"]');
      await code.waitFor({ timeout: 20_000 });
      assert.match((await code.getAttribute('class')) ?? '', /\bhljs\b/);
      for (const cls of ['hljs-keyword', 'hljs-title', 'hljs-comment', 'hljs-string', 'hljs-built_in']) {
        assert.ok((await code.locator(`span.${cls}`).count()) > 0, `a span.${cls}`);
      }
      // Nothing but spans with hljs classes, and exactly the block's text.
      const tags = await code.evaluate((el) => [...el.querySelectorAll('*')].map((e) => e.tagName));
      assert.ok(tags.length > 5 && tags.every((t) => t === 'SPAN'), tags.join());
      assert.equal(await code.textContent(), `${BLOCK}\n`);
      // Theme colours: a keyword is not coloured like the plain text around it.
      const colour = (sel: string) =>
        code
          .locator(sel)
          .first()
          .evaluate((el) => (globalThis as unknown as ComputedStyle).getComputedStyle(el).color);
      const [keyword, plain, comment] = [
        await colour('span.hljs-keyword'),
        await code.evaluate((el) => (globalThis as unknown as ComputedStyle).getComputedStyle(el).color),
        await colour('span.hljs-comment'),
      ];
      log('colours: keyword', keyword, 'text', plain, 'comment', comment);
      assert.notEqual(keyword, plain);
      assert.notEqual(comment, plain);
      const labels = await reply.locator('.code-actions button').allTextContents();
      assert.deepEqual(labels, ['Copy', 'Insert', 'Replace…', 'New File']);
      // (The workbench's own gallery requests are refused by its CSP too: only the panel's scripts count here.)
      const csp = bench.consoleErrors.filter((e) => /script-src|highlight\//i.test(e));
      assert.deepEqual(csp, [], 'no script refused by the CSP');
      await bench.screenshot(path.join(SCREENSHOTS, 'highlighted-code-block.png'));
    });

    await scenario('replace', async () => {
      await bench.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await bench.page.keyboard.press('Control+A');
      await reply.locator('button[data-code-action="replace"]').click();
      await bench.page.locator('.monaco-diff-editor').first().waitFor({ timeout: 20_000 });
      const toast = bench.page.locator('.notification-toast', { hasText: 'Replace the selection in sample.ts' });
      await toast.waitFor({ timeout: 20_000 });
      assert.match(await editorText(bench), /return a \+ b;/, 'nothing replaced before Accept');
      await bench.screenshot(path.join(SCREENSHOTS, 'code-block-replace-diff.png'));
      await toast.locator('.monaco-button', { hasText: 'Accept' }).click();
      await bench.page.locator('.monaco-diff-editor').first().waitFor({ state: 'detached', timeout: 20_000 });
      await bench.page.locator('.editor-instance .view-lines', { hasText: 'const total = a + b;' }).first().waitFor();
      const replaced = await editorText(bench);
      assert.match(replaced, /\): number \{\n\s*\/\/ Adds two numbers\.\n\s*const total = a \+ b;/);
      assert.doesNotMatch(replaced, /return a \+ b;/);
      await bench.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await bench.page.keyboard.press('Control+Z');
      await bench.page.locator('.editor-instance .view-lines', { hasText: 'return a + b;' }).first().waitFor();
      assert.doesNotMatch(await editorText(bench), /const total/, 'one undo brings the old code back');
    });

    await scenario('themes', async () => {
      const code = reply.locator('pre > code.hljs');
      for (const theme of ['Dark Modern', 'Dark High Contrast', 'Light High Contrast', 'Light Modern']) {
        // Preferences: Color Theme, by its keybinding (the palette's first match can be the Marketplace browser).
        await bench.page.locator('.part.editor').click();
        await bench.page.keyboard.press('Control+K');
        await bench.page.keyboard.press('Control+T');
        await bench.page.locator('.quick-input-widget input').fill(theme);
        await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().click();
        await bench.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
        await bench.page.waitForTimeout(1500); // the webview gets the new theme's variables
        const seen = await code.evaluate((el) => {
          const g = globalThis as unknown as ComputedStyle;
          const colours: Record<string, string> = { text: g.getComputedStyle(el).color };
          for (const cls of ['hljs-keyword', 'hljs-string', 'hljs-comment', 'hljs-title', 'hljs-built_in']) {
            colours[cls] = g.getComputedStyle(el.querySelector(`span.${cls}`)).color;
          }
          const backgrounds: string[] = [];
          for (let n: typeof el.parentElement = el; n; n = n.parentElement)
            backgrounds.push(g.getComputedStyle(n).backgroundColor);
          return { colours, backgrounds };
        });
        const bg = seenBackground(seen.backgrounds);
        const ratios = Object.fromEntries(
          Object.entries(seen.colours).map(([k, c]) => [k, Math.round(contrast(c, bg) * 10) / 10]),
        );
        log(`${theme}: background rgb(${bg.slice(0, 3).map(Math.round).join(', ')}), contrast`, JSON.stringify(ratios));
        assert.notEqual(seen.colours['hljs-keyword'], seen.colours.text, `${theme}: keywords have their own colour`);
        for (const [k, ratio] of Object.entries(ratios))
          assert.ok(ratio >= 4.5, `${theme}: ${k} contrast ${ratio} < 4.5`);
        if (theme === 'Dark Modern') await bench.screenshot(path.join(SCREENSHOTS, 'highlighted-code-block-dark.png'));
      }
    });
  } catch (e) {
    results.aborted(e);
  } finally {
    await wb?.close({ passed: results.failed === 0 });
    await server.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return results.report();
}

runE2e(main);
