// Request metrics and the API health report in the real extension host: a scripted sequence on the loopback server
// (ok, 429 with Retry-After then ok, 500s until retries run out, a stall after the first text, a cache hit) gives
// exactly the expected records and the report's figures, its export, and the status bar's tooltip. The model is a
// custom one made for this run (tally.models), so the report for today and that model holds this run's requests
// only, whatever other tests recorded in the shared store.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RequestMetric } from '../../src/core/metrics/requestMetric';
import { useChatSuite, waitFor } from './helpers';

const KEY = 'sk-integration-test-key-0014';
const MODEL = `health-probe-${Date.now()}`;
const QUESTION = `What is the health of the API? ${Date.now()}`;
const near = (a: number | undefined, b: number, what: string) =>
  assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${what}: ${a} ≈ ${b}`);

describe('API health: request metrics and the report', () => {
  const suite = useChatSuite(KEY, {
    model: MODEL,
    models: {
      [MODEL]: {
        contextWindow: 128_000,
        maxOutputTokens: 4096,
        encoding: 'o200k_base',
        prices: { inputPerM: 1, outputPerM: 2 },
      },
    },
    'cache.mode': 'always',
    'retry.maxRetries': 2,
    'retry.initialDelaySeconds': 0,
    'retry.maxDelaySeconds': 0,
    'timeout.idleSeconds': 1,
  });

  /** The stored records of this run's model (all windows' files are read again). */
  const mine = async () =>
    (await suite.api.metrics.store.records(Date.now() - 3_600_000)).filter((r) => r['gen_ai.request.model'] === MODEL);
  async function recorded(id: string): Promise<RequestMetric> {
    for (let i = 0; i < 400; i++) {
      const r = (await mine()).find((x) => x.id === id);
      if (r) return r;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no metrics record for ${id}`);
  }
  async function send(id: string, text: string, ends: 'chat/done' | 'chat/error'): Promise<RequestMetric> {
    await suite.api.receive({ type: 'chat/send', requestId: id, text });
    await suite.posts.next(ends, id, 30_000);
    return recorded(id);
  }

  it('a scripted sequence gives exactly the expected records, report figures, export and tooltip', async () => {
    const { server, api } = suite;
    await vscode.commands.executeCommand('tally.clearCache');
    const usage = { prompt_tokens: 1000, completion_tokens: 500 };

    server.enqueue({ text: 'All good.', usage });
    const ok = await send('h-ok', QUESTION, 'chat/done');
    assert.equal(ok.outcome, 'complete');
    assert.equal(ok.retries, 0);
    assert.equal(ok['http.response.status_code'], 200);
    assert.equal(ok['gen_ai.usage.input_tokens'], 1000);
    assert.equal(ok['gen_ai.usage.output_tokens'], 500);
    near(ok.costUsd, 0.002, 'cost of 1000 in at $1/M and 500 out at $2/M');
    assert.ok(ok.ttftMs !== undefined && ok.ttftMs <= ok.durationMs);
    assert.equal(ok['server.address'], '127.0.0.1');
    assert.equal(ok['url.scheme'], 'http');

    await vscode.commands.executeCommand('tally.newChat');
    server.enqueue({ status: 429, headers: { 'retry-after-ms': '300' } });
    server.enqueue({ text: 'After the wait.', usage });
    const limited = await send('h-429', `${QUESTION} (again)`, 'chat/done');
    assert.equal(limited.outcome, 'complete');
    assert.equal(limited.retries, 1);
    assert.equal(limited.rateLimitWaitMs, 300);
    assert.equal(limited.waitMs, 300);
    assert.deepEqual(
      limited.attempts.map((a) => [a['http.response.status_code'], a['error.type'], a.waitMs]),
      [
        [429, 'rateLimited', 0],
        [200, undefined, 300],
      ],
    );
    assert.ok(limited.durationMs >= 300 && (limited.ttftMs ?? 0) >= 300, 'the wait is in the latency and TTFT');

    await vscode.commands.executeCommand('tally.newChat');
    for (let i = 0; i < 3; i++) server.enqueue({ status: 500 });
    const failed = await send('h-500', `${QUESTION} (fails)`, 'chat/error');
    assert.equal(failed.outcome, 'failed');
    assert.equal(failed['error.type'], 'server');
    assert.equal(failed.retries, 2);
    assert.equal(failed['http.response.status_code'], 500);
    assert.equal(failed.ttftMs, undefined);

    await vscode.commands.executeCommand('tally.newChat');
    server.enqueue({ text: 'Partial reply that stalls', chunkSize: 8, stallAfterChunks: 1 });
    const stalled = await send('h-stall', `${QUESTION} (stalls)`, 'chat/error');
    assert.equal(stalled.outcome, 'interrupted');
    assert.equal(stalled['error.type'], 'timeout');
    assert.equal(stalled.retries, 0, 'never retried once text arrived');
    assert.equal(stalled.usageEstimated, true);

    await vscode.commands.executeCommand('tally.newChat');
    const hit = await send('h-hit', QUESTION, 'chat/done');
    assert.equal(hit.cacheHit, true);
    assert.equal(hit.attempts.length, 0);
    assert.equal(hit.costUsd, 0);
    near(hit.savedUsd, 0.002, 'saved: what the original request cost');
    const completions = server.requests.filter((q) => q.path.endsWith('/chat/completions'));
    assert.equal(completions.length, 1 + 2 + 3 + 1, 'the cache hit sent nothing');

    assert.deepEqual(
      (await mine()).map((r) => r.id),
      ['h-ok', 'h-429', 'h-500', 'h-stall', 'h-hit'],
    );

    // The report for today and this model.
    await vscode.commands.executeCommand('tally.showApiHealth');
    await api.metrics.report.show({ days: 1, model: MODEL });
    const r = api.metrics.report.shown;
    assert.ok(r, 'the report is open');
    assert.equal(r.requests, 5);
    assert.equal(r.apiRequests, 4);
    assert.equal(r.cacheHits, 1);
    assert.equal(r.cacheHitRate, 0.2);
    near(r.savedUsd, 0.002, 'money saved');
    assert.equal(r.errors, 2);
    assert.equal(r.errorRate, 0.5);
    assert.deepEqual(r.errorsByKind, [
      { kind: 'server', count: 1 },
      { kind: 'timeout', count: 1 },
    ]);
    assert.deepEqual(r.attemptErrorsByKind, [
      { kind: 'server', count: 2 },
      { kind: 'rateLimited', count: 1 },
    ]);
    assert.equal(r.retries, 3);
    assert.equal(r.requestsRetried, 2);
    assert.equal(r.rateLimitWaitMs, 300);
    assert.equal(r.latencyMs.count, 4);
    assert.equal(r.ttftMs.count, 3);
    assert.equal(r.latencyMs.p99, Math.max(ok.durationMs, limited.durationMs, failed.durationMs, stalled.durationMs));
    assert.equal(r.slowest.length, 4);
    const html = api.metrics.report.html ?? '';
    for (const shown of ['50% (2 of 4)', '20% (1 hit)', '3 (2 requests retried)', 'rate limits: 300 ms', MODEL])
      assert.ok(html.includes(shown), `the page shows "${shown}"`);

    // Export: one line per request, never the question or the key.
    const file = vscode.Uri.file(path.join(os.tmpdir(), `tally-health-${Date.now()}.csv`));
    await api.metrics.report.export('csv', file);
    const csv = await fs.readFile(file.fsPath, 'utf8');
    await fs.rm(file.fsPath, { force: true });
    assert.equal(csv.trim().split('\r\n').length, 1 + 5);
    const metricsDir = path.join(path.dirname(api.usage.ledgerDir), 'metrics');
    const names = await fs.readdir(metricsDir);
    const stored = (await Promise.all(names.map((n) => fs.readFile(path.join(metricsDir, n), 'utf8')))).join('');
    for (const text of [csv, stored]) {
      assert.ok(!text.includes('health of the API'), 'no message text');
      assert.ok(!text.includes(KEY), 'no key');
    }

    // The status bar's tooltip: the last request (the cache hit) and today's error rate.
    assert.match(
      api.metrics.glance().join('\n'),
      /^Last request: .*first token .*\(from the cache\)\nAPI today: [\d.]+% errors/,
    );
    // (appendText escapes the lines' spaces; the link to the report is added with them)
    await waitFor('the health lines in the tooltip', () =>
      api.usage.statusBar.tooltip.includes('command:tally.showApiHealth'),
    );
  });
});
