// Cost you can trust, in the real extension host: the status bar after a priced reply, a budget refusal that never
// reaches the server (and "send this one anyway"), the report page, the CSV export, and ledger totals that survive
// a restart.
//
// The restart: with TALLY_TEST_PHASE=1 the last test records a request and writes the ledger totals to a file beside
// the ledger (not globalState: under code-server that lives in the browser profile, which each run starts afresh);
// a second VS Code run on the same profile with TALLY_TEST_PHASE=2 checks that the freshly started extension reads
// them back. Without TALLY_TEST_PHASE both halves run here, the second by a new UsageLedger on the same folder: that
// proves the records are on disk, not a real extension-host restart.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { addTotals, emptyTotals, type UsageTotals } from '../../src/core/usage/totals';
import { statusBarText } from '../../src/core/usage/usageText';
import { formatUsd } from '../../src/shared/format';
import { UsageLedger } from '../../src/core/usage/ledger';
import type { TallyTestApi } from '../../src/host/testApi';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { configure, useChatSuite, waitFor, type PostRecorder } from './helpers';

const KEY = 'sk-integration-test-key-0002';
const PHASE = process.env.TALLY_TEST_PHASE;
/** A dated snapshot no other test uses, so its per-model totals are this file's alone. */
const PROBE_MODEL = 'gpt-4o-2024-08-06';
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} ≈ ${b}`);

describe('usage: status bar, budgets, report, ledger', () => {
  const suite = useChatSuite(KEY, { model: 'gpt-4o', 'budget.dailyUsd': undefined });
  let server: FakeOpenAIServer;
  let api: TallyTestApi;
  let posts: PostRecorder;
  let n = 0;
  const text = (what: string) => `${what} ${Date.now()}-${++n}`; // unique: never a response-cache hit
  before(async () => {
    await suite.api.usage.loaded;
  });
  beforeEach(() => ({ server, api, posts } = suite));

  it('after a reply with reported usage, the reply and the status bar show its exact cost', async () => {
    const before = (await api.usage.totals()).today;
    server.enqueue({
      text: 'Priced reply.',
      usage: { prompt_tokens: 100_000, completion_tokens: 50_000, cached_tokens: 40_000 },
    });
    await api.receive({ type: 'chat/send', requestId: 'priced1', text: text('price this') });
    const done = await posts.next('chat/done', 'priced1');
    // gpt-4o: 60k uncached × $2.50/M + 40k cached × $1.25/M + 50k out × $10/M = $0.15 + $0.05 + $0.50
    near(done.assistant.costUsd ?? NaN, 0.7, 'reply cost');
    assert.equal(done.assistant.usage?.promptTokens, 100_000);
    assert.equal(done.assistant.usage?.cachedPromptTokens, 40_000);
    assert.equal(done.assistant.usage?.completionTokens, 50_000);
    assert.notEqual(done.assistant.usage?.estimated, true);
    const expected = addTotals(
      { ...before },
      { ...emptyTotals(), requests: 1, tokensIn: 100_000, cachedTokensIn: 40_000, tokensOut: 50_000, costUsd: 0.7 },
    );
    const want = `$(pulse) ${statusBarText(expected)}`;
    await waitFor(
      `status bar "${want}" (is "${api.usage.statusBar.text}")`,
      () => api.usage.statusBar.text === want,
      5000,
    );
    assert.ok(api.usage.statusBar.text.includes(`${formatUsd(before.costUsd + 0.7)} today`));
  });

  it('a request over the daily budget is refused before it is sent; "send anyway" sends it', async () => {
    const spent = (await api.usage.totals()).today.costUsd;
    // A gpt-4o reply may use tally.maxReplyTokens (4096 by default): up to ~$0.04, far above this headroom.
    await configure({ 'budget.dailyUsd': spent + 0.001 });
    try {
      await api.receive({ type: 'chat/send', requestId: 'over1', text: text('too expensive') });
      const refused = await posts.next('chat/error', 'over1');
      assert.equal(refused.error.kind, 'budget');
      assert.deepEqual(refused.error.actions, ['raiseBudget', 'sendAnyway']);
      assert.match(refused.error.message, /Daily budget .* would be exceeded/);
      assert.equal(posts.of('chat/started', 'over1').length, 0);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(server.requests.length, 0, 'nothing reached the server');

      await api.receive({ type: 'action/run', action: 'sendAnyway' });
      const done = await posts.next('chat/done');
      assert.equal(done.assistant.status, 'complete');
      assert.equal(server.requests.filter((r) => r.path === '/v1/chat/completions').length, 1);
      assert.match(
        posts
          .of('chat/notice')
          .map((m) => m.text)
          .join(' '),
        /Sent past the budget/,
      );
    } finally {
      await configure({ 'budget.dailyUsd': undefined });
    }
  });

  it('the usage report shows the chart and the per-model totals', async () => {
    await vscode.commands.executeCommand('tally.showUsage');
    const html = await waitFor('the report', () => api.usage.report.html);
    assert.match(html, /<section id="usage-chart"[^>]*>[\s\S]*<svg /);
    assert.match(html, /<table id="per-model">[\s\S]*<td class="model">gpt-4o<\/td>/);
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src [^;"]+; img-src [^;"]+ data:"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('exports the usage as CSV', async () => {
    const file = vscode.Uri.file(path.join(os.tmpdir(), `tally-usage-${process.pid}-${Date.now()}.csv`));
    try {
      const written = await api.usage.exportCsv(file);
      assert.equal(written?.fsPath, file.fsPath);
      const csv = await fs.readFile(file.fsPath, 'utf8');
      const [header, ...rows] = csv.trimEnd().split('\r\n');
      assert.match(
        header,
        /^date,model,surface,requests,prompt_tokens,cached_prompt_tokens,completion_tokens,cost_usd,/,
      );
      assert.ok(
        rows.some((r) => /^\d{4}-\d{2}-\d{2},gpt-4o,panel,/.test(r)),
        csv,
      );
    } finally {
      await fs.rm(file.fsPath, { force: true });
    }
  });

  it('ledger totals survive a restart', async () => {
    const phaseFile = () => path.join(path.dirname(api.usage.ledgerDir), 'usage-test-phase1.json');
    const probeTotals = async (): Promise<UsageTotals | undefined> =>
      (await api.usage.totals()).byModel.find((m) => m.model === PROBE_MODEL)?.totals;
    if (PHASE === '2') {
      const stored = JSON.parse(await fs.readFile(phaseFile(), 'utf8')) as UsageTotals;
      const now = await probeTotals();
      assert.ok(now, `the restarted extension has no ${PROBE_MODEL} usage`);
      assert.equal(now.requests, stored.requests);
      near(now.costUsd, stored.costUsd, 'cost after the restart');
      await fs.rm(phaseFile(), { force: true });
      return;
    }
    await configure({ model: PROBE_MODEL });
    try {
      server.enqueue({ text: 'Remember me.', usage: { prompt_tokens: 2000, completion_tokens: 1000 } });
      await api.receive({ type: 'chat/send', requestId: 'persist1', text: text('persist this') });
      await posts.next('chat/done', 'persist1');
    } finally {
      await configure({ model: 'gpt-4o' });
    }
    const inHost = await probeTotals();
    assert.ok(inHost && inHost.requests >= 1);
    if (PHASE === '1') {
      await fs.writeFile(phaseFile(), JSON.stringify(inHost));
      return;
    }
    // No phases: a second ledger on the same folder (as a restarted host would open it) reads the same totals.
    const reopened = new UsageLedger({ dir: api.usage.ledgerDir });
    await reopened.load();
    const fromDisk = reopened.totalsByModel().find((m) => m.model === PROBE_MODEL)?.totals;
    assert.ok(fromDisk, 'the records are on disk');
    assert.equal(fromDisk.requests, inHost.requests);
    assert.equal(fromDisk.tokensIn, inHost.tokensIn);
    assert.equal(fromDisk.tokensOut, inHost.tokensOut);
    near(fromDisk.costUsd, inHost.costUsd, 'cost read back');
    const all = (await api.usage.totals()).all;
    assert.equal(reopened.totals().requests, all.requests, 'every request of the host is on disk');
    console.log(
      `      (persistence checked by a second ledger on ${api.usage.ledgerDir}; TALLY_TEST_PHASE=1/2 restarts the host)`,
    );
  });
});
