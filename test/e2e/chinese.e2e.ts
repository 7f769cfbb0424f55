// UI test of issue #15: Tally in Simplified Chinese, in real VS Code (the packaged .vsix in code-server) driven in real
// Chromium. The workbench starts with display language zh-cn (Workbench.open's displayLanguage): code-server accepts a
// non-English language only from a language pack's languagepacks.json, so the harness writes a stand-in pack that
// translates NOTHING and passes --locale zh-cn. vscode.env.language is then "zh-cn", and Tally's own strings
// (l10n/bundle.l10n.zh-cn.json, package.nls.zh-cn.json) load; VS Code's own chrome (menus, palette frame, hovers,
// built-in views) stays English, so only Tally's text is checked here.
//   english      the same panel in English first, for docs/screenshot-en.png (and as the control: no CJK in it)
//   panel        every visible text, aria-label, placeholder and title in the chat panel (composer, estimate,
//                buttons, a reply's usage line) is Chinese, or a number, money, a model id or punctuation;
//                docs/screenshot-zh-cn.png
//   error        the loopback server answers 401: the error and its Set API Key action are in Chinese, and the key
//                prompt the action opens too
//   status bar   the usage item's tooltip is Chinese
//   palette      Tally's commands are listed with Chinese titles; the usage report opened by its Chinese title says
//                its period with zh-CN dates ("2026年12月1日"), and counts and money formatted for zh-CN
// Each scenario counts as one test: TALLY_E2E_RESULT passed=N failed=N.
//   npm test -- --only build,package && node --import tsx test/e2e/chinese.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

// TALLY_E2E_VSIX: another .vsix (e.g. a copy, while other builds rewrite .cache/).
const VSIX = process.env.TALLY_E2E_VSIX ?? path.join(REPO, '.cache', 'tally.vsix');
const FOLDER = path.join(REPO, 'test', 'fixtures', 'workspace');
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const ZH_QUESTION = '这段代码的费用是多少？';
const EN_QUESTION = 'What does this question cost?';

/**
 * Text that is the same in every language: numbers, money, percentages, model ids, the product's name, codicon
 * names, punctuation. What is left after removing these must have no letters.
 */
const NEUTRAL = [
  /\b[a-z]+:\/\/\S+/g, // the endpoint's URL
  /\b(gpt|o\d|chatgpt|text-embedding)[\w.-]*/gi,
  /\bTally\b/g,
  /\bauto\b/g,
  /\$\([\w~-]+\)/g, // $(codicon)
  /\d+(\.\d+)?\s?[kMB]\b/g, // 12.4k
];
/** `entry` is "<where>: <text>" (panelTexts) or a bare text; true when the text is English. */
const untranslated = (entry: string) => {
  const text = entry.replace(/^(text|aria-label of <\w+>|placeholder of <\w+>|title of <\w+>): /, '');
  let rest = text;
  for (const re of NEUTRAL) rest = rest.replace(re, '');
  return !CJK.test(text) && /[A-Za-z]/.test(rest);
};

// What the in-page function below uses (this program is typechecked without the DOM lib).
interface PageNode {
  nodeType: number;
  textContent: string | null;
  parentElement: PageElement | null;
}
interface PageElement {
  tagName: string;
  closest(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  checkVisibility(): boolean;
  querySelector(selector: string): PageNode | null;
}
interface PageGlobals {
  document: {
    body: unknown;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    createTreeWalker(root: unknown, what: number): { nextNode(): PageNode | null };
  };
}

/** Every visible text node and every aria-label, placeholder and title in the panel, outside message bodies. */
async function panelTexts(view: FrameLocator): Promise<string[]> {
  return view.locator('body').evaluate(() => {
    // No named function inside: tsx's esbuild would wrap it in a __name() helper that the page does not have.
    const page = globalThis as unknown as PageGlobals;
    const skip = '.message .content, script, style, option';
    const out: string[] = [];
    const walker = page.document.createTreeWalker(page.document.body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (text && el && !el.closest(skip) && el.checkVisibility()) out.push(`text: ${text}`);
    }
    const all = page.document.querySelectorAll('*');
    for (let i = 0; i < all.length; i++) {
      const el = all[i];
      if (el.closest(skip) || !el.checkVisibility()) continue;
      for (const name of ['aria-label', 'placeholder', 'title']) {
        const value = (el.getAttribute(name) ?? '').trim();
        if (value) out.push(`${name} of <${el.tagName.toLowerCase()}>: ${value}`);
      }
    }
    return out;
  });
}

/** Opens the panel, asks `question`, waits for the reply and its usage line; returns the panel. */
async function askInPanel(wb: Workbench, question: string): Promise<FrameLocator> {
  await wb.clickActivityBar('Tally');
  const view = await wb.webview('#composer-input');
  await widenSideBar(wb);
  await view.locator('#composer-input').fill(question);
  await estimateShown(view);
  await view.locator('#send').click();
  const reply = view.locator('.message.assistant[data-status="complete"]', { hasText: `Echo: ${question}` });
  await reply.waitFor({ timeout: 30_000 });
  await view.locator('.message.assistant .usage').last().waitFor({ state: 'visible', timeout: 10_000 });
  // A draft in the composer shows the live estimate in the screenshot too.
  await view.locator('#composer-input').fill(question);
  await estimateShown(view);
  return view;
}

/** The estimate has arrived (its text, whether or not the row has room to show it). */
const estimateShown = (view: FrameLocator) =>
  view.locator('#estimate').filter({ hasText: /\d/ }).waitFor({ state: 'attached', timeout: 30_000 });

/** Drags the side bar's sash to ~520 px wide, so the composer's row has room for the estimate in the screenshots. */
async function widenSideBar(wb: Workbench): Promise<void> {
  const bar = await wb.page.locator('.part.sidebar').boundingBox();
  if (!bar) return;
  const edge = bar.x + bar.width;
  const sashes = wb.page.locator('.monaco-sash.vertical');
  for (let i = 0; i < (await sashes.count()); i++) {
    const box = await sashes.nth(i).boundingBox();
    if (!box || box.height < 200 || Math.abs(box.x + box.width / 2 - edge) > 6) continue;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await wb.page.mouse.move(x, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(x + 50, y, { steps: 5 });
    await wb.page.mouse.move(bar.x + 520, y, { steps: 5 });
    await wb.page.mouse.up();
    break;
  }
  log('side bar width:', String((await wb.page.locator('.part.sidebar').boundingBox())?.width));
}

async function english(server: FakeOpenAIServer, results: E2eResults): Promise<void> {
  const wb = await Workbench.open({ vsix: VSIX, folder: FOLDER, env: envFor(server) });
  let passed = false;
  try {
    await results.scenarios(wb)('english', async () => {
      const view = await askInPanel(wb, EN_QUESTION);
      const texts = await panelTexts(view);
      log('English panel:', JSON.stringify(texts));
      assert.deepEqual(
        texts.filter((t) => CJK.test(t)),
        [],
        'the English panel has no Chinese',
      );
      assert.ok(texts.some((t) => /tokens/.test(t)));
      const shot = await wb.screenshot(path.join(SCREENSHOTS, 'l10n-en.png'));
      fs.copyFileSync(shot, path.join(REPO, 'docs', 'screenshot-en.png'));
    });
    passed = results.failed === 0;
  } finally {
    await wb.close({ passed });
  }
}

const envFor = (server: FakeOpenAIServer) => ({
  ...process.env,
  OPENAI_BASE_URL: server.baseUrl,
  OPENAI_API_KEY: 'sk-e2e-chinese-0001',
});

async function chinese(server: FakeOpenAIServer, results: E2eResults): Promise<void> {
  const wb = await Workbench.open({ vsix: VSIX, folder: FOLDER, env: envFor(server), displayLanguage: 'zh-cn' });
  const scenario = results.scenarios(wb);
  const failedBefore = results.failed;
  try {
    let view: FrameLocator | undefined;
    await scenario('panel', async () => {
      view = await askInPanel(wb, ZH_QUESTION);
      const texts = await panelTexts(view);
      log('Chinese panel:', JSON.stringify(texts));
      assert.ok(texts.length >= 5, `too few texts found: ${JSON.stringify(texts)}`);
      assert.deepEqual(texts.filter(untranslated), [], 'panel text still in English');
      const shot = await wb.screenshot(path.join(SCREENSHOTS, 'l10n-zh-cn.png'));
      fs.copyFileSync(shot, path.join(REPO, 'docs', 'screenshot-zh-cn.png'));
    });

    await scenario('error', async () => {
      const panel = view ?? (await wb.webview('#composer-input'));
      server.enqueue({ status: 401 });
      await panel.locator('#composer-input').fill('密钥错误');
      await panel.locator('#send').click();
      const error = panel.locator('#error[data-kind="auth"]');
      await error.waitFor({ timeout: 15_000 });
      const text = (await error.textContent()) ?? '';
      log('error:', JSON.stringify(text));
      const action = error.locator('button[data-action="setApiKey"]');
      const label = ((await action.textContent()) ?? '').trim();
      assert.match(label, CJK, `the action's label: ${label}`);
      assert.match(text.replace(label, ''), CJK, `the error text: ${text}`);
      await action.click();
      const input = wb.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10_000 });
      const prompt = [
        await input.getAttribute('placeholder'),
        await input.getAttribute('aria-label'),
        await wb.page.locator('.quick-input-widget .quick-input-message').textContent(),
        await wb.page.locator('.quick-input-widget .quick-input-title').textContent(),
      ].join(' | ');
      log('key prompt:', prompt);
      assert.match(prompt, CJK, `the key prompt: ${prompt}`);
      await wb.page.keyboard.press('Escape');
    });

    await scenario('status bar', async () => {
      const item = wb.page.locator('.part.statusbar .statusbar-item[id*="tally.usage"]').first();
      await item.waitFor({ timeout: 10_000 });
      await item.hover();
      const hover = wb.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /\S/ }).first();
      await hover.waitFor({ timeout: 10_000 });
      const tooltip = (await hover.textContent()) ?? '';
      log('status bar tooltip:', JSON.stringify(tooltip));
      assert.match(tooltip, /Tally/, 'it is Tally’s tooltip');
      assert.match(tooltip, CJK);
      await wb.page.mouse.move(0, 0);
    });

    await scenario('palette', async () => {
      await wb.page.locator('.part.editor').click();
      await wb.page.keyboard.press('F1');
      const input = wb.page.locator('.quick-input-widget input');
      await input.fill('>Tally: ');
      const rows = wb.page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: 10_000 });
      // The first label only: a localized command's row also shows its English title (VS Code's alias, on purpose).
      // "Focus on … View" is VS Code's own wording around the view's (Chinese) name; the stand-in translates nothing.
      const firstLabels = await rows.evaluateAll((all) =>
        all.map((r) => (r as unknown as PageElement).querySelector('.label-name')?.textContent ?? ''),
      );
      const labels = firstLabels
        .filter((l) => l.startsWith('Tally: '))
        .filter((l) => !/^Tally: Focus on .* View$/.test(l));
      log('palette:', JSON.stringify(labels));
      if (labels.length < 5) log('first row:', (await rows.first().innerHTML()).slice(0, 1500));
      assert.ok(labels.length >= 5, `Tally's commands listed: ${JSON.stringify(labels)}`);
      assert.deepEqual(
        labels.filter((l) => untranslated(l.replace(/^Tally: /, ''))),
        [],
        'command titles in English',
      );
      await wb.page.keyboard.press('Escape');
      // Run one by its Chinese title: the usage report, whose dates, counts and money follow zh-CN.
      await wb.runCommand('Tally: 显示用量报告');
      const report = await wb.webview('table', 30_000);
      const body = (await report.locator('body').textContent()) ?? '';
      const today = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium' }).format(new Date());
      log('usage report:', body.replace(/\s+/g, ' ').slice(0, 400));
      assert.match(today, /^\d{4}年\d{1,2}月\d{1,2}日$/);
      assert.ok(body.includes(today), `the period ends today in zh-CN form (${today})`);
      assert.match(body, CJK);
      assert.match(body, /\$\d+\.\d{2}/, 'money is shown as US dollars with cents');
      await wb.screenshot(path.join(SCREENSHOTS, 'l10n-zh-cn-usage-report.png'));
    });
  } finally {
    await wb.close({ passed: results.failed === failedBefore });
  }
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  server.setDefault({ chunkDelayMs: 20 });
  const results = new E2eResults('l10n');
  try {
    await english(server, results);
    await chinese(server, results);
  } catch (e) {
    results.aborted(e);
  } finally {
    await server.close();
  }
  return results.report();
}

runE2e(main);
