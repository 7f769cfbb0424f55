// UI test of the API health report in one real VS Code (the packaged .vsix in code-server) driven in real Chromium:
// three requests through the panel against the loopback server (ok; 429 with Retry-After then ok; 500s until the
// retries run out), then Tally: Show API Health shows their figures (requests, error rate, retries, errors by kind,
// the chart), the model is picked with the keyboard alone, and the page is screenshot (api-health.png, copied to
// docs/screenshot-api-health.png for the README).
//   node --import tsx test/e2e/healthReport.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { E2eResults, REPO, SCREENSHOTS, Workbench, log, runE2e } from './workbench';

const VSIX = path.join(REPO, '.cache', 'tally.vsix');

async function send(view: FrameLocator, text: string): Promise<void> {
  await view.locator('#composer-input').fill(text);
  await view.locator('#send').click();
}

async function main(): Promise<number> {
  const server = await FakeOpenAIServer.start();
  server.setDefault({ chunkDelayMs: 20 });
  let wb: Workbench | undefined;
  const results = new E2eResults('health');
  try {
    wb = await Workbench.open({
      vsix: VSIX,
      folder: path.join(REPO, 'test', 'fixtures', 'workspace'),
      env: { ...process.env, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-e2e-env-key-0014' },
    });
    const bench = wb;
    await bench.clickActivityBar('Tally');
    const view = await bench.webview('#composer-input');
    const scenario = results.scenarios(bench);

    await scenario('three requests', async () => {
      await send(view, 'First, a plain question');
      await view.locator('.message.assistant[data-status="complete"]').first().waitFor({ timeout: 30_000 });
      server.enqueue({ status: 429, headers: { 'retry-after-ms': '500' } });
      await send(view, 'Second, after a rate limit');
      await view.locator('.message.assistant[data-status="complete"]').nth(1).waitFor({ timeout: 30_000 });
      for (let i = 0; i < 4; i++) server.enqueue({ status: 500 });
      await send(view, 'Third, the server fails');
      await view.locator('#error[data-kind="server"]').waitFor({ timeout: 60_000 });
      assert.equal(server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1 + 2 + 4);
    });

    await scenario('report', async () => {
      await bench.runCommand('Tally: Show API Health');
      const report = await bench.webview('#summary', 30_000);
      const summary = (await report.locator('#summary').textContent()) ?? '';
      log('summary:', summary);
      assert.match(summary, /Requests3 \(3 to the API\)/);
      assert.match(summary, /Error rate33\.3% \(1 of 3\)/);
      assert.match(summary, /Retries4 \(2 requests retried\)/);
      assert.match(summary, /rate limits: 500 ms/);
      assert.match((await report.locator('#errors tbody').textContent()) ?? '', /Server error\s*1/);
      assert.match(
        (await report.locator('#attempt-errors tbody').textContent()) ?? '',
        /Server error\s*3.*Rate limited\s*1/s,
      );
      assert.equal(await report.locator('#latency tbody tr').count(), 3);
      assert.ok((await report.locator('#over-time svg rect').count()) >= 2, 'answered and failed segments');
      assert.equal(await report.locator('#slowest tbody tr').count(), 3);
      // Keyboard only: focus the model picker, choose the first model; the page comes back with that model and the
      // picker still focused.
      await report.locator('#model').focus();
      await bench.page.keyboard.press('ArrowDown');
      await report.locator('#period-text', { hasText: 'gpt-4o-mini' }).waitFor({ timeout: 10_000 });
      const fresh = await bench.webview('#summary', 10_000);
      assert.equal(await fresh.locator('#model').evaluate((el) => el === el.ownerDocument.activeElement), true);
      assert.match((await fresh.locator('#summary').textContent()) ?? '', /Requests3/);
      const shot = await bench.screenshot(path.join(SCREENSHOTS, 'api-health.png'));
      fs.copyFileSync(shot, path.join(REPO, 'docs', 'screenshot-api-health.png'));
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
