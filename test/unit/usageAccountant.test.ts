import type { BudgetSettings } from '../../src/core/usage/budgets';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReplyAccounting, SendCheck } from '../../src/core/usage/accounting';
import { resolveModel } from '../../src/core/tokens/models';
import { silentLogger, type Clock } from '../../src/core/ports';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import { UsageAccountant } from '../../src/core/usage/accountant';
import { UsageLedger } from '../../src/core/usage/ledger';

const clock: Clock = { now: () => new Date(2025, 7, 20, 12, 0).getTime(), sleep: () => Promise.resolve() };
const near = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≈ ${expected}`);

describe('usage accountant', () => {
  const tokenizers = new Tokenizers();
  let root: string;
  let n = 0;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-accountant-'));
  });
  after(async () => {
    await tokenizers.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  function setup(budgets: BudgetSettings = {}, workspace = 'ws1') {
    const dir = path.join(root, `a${++n}`);
    const ledger = new UsageLedger({ dir, clock });
    const settings = { budgets };
    let id = 0;
    const accountant = new UsageAccountant({
      ledger,
      tokenizers,
      clock,
      logger: silentLogger,
      workspace,
      budgets: () => settings.budgets,
      modelOverrides: () => ({}),
      newId: (p) => `${p}${++id}`,
    });
    return { dir, ledger, accountant, settings };
  }
  const gpt4o = resolveModel('gpt-4o');
  const sendCheck = (over: Partial<SendCheck> = {}): SendCheck => ({
    requestId: 'r1',
    conversationId: 'c1',
    model: gpt4o,
    promptTokens: 1000,
    maxReplyTokens: 4096,
    maxUsd: 0.05,
    ...over,
  });
  const reply = (over: Partial<ReplyAccounting> = {}): ReplyAccounting => ({
    requestId: 'r1',
    conversationId: 'c1',
    model: gpt4o,
    promptTokens: 1000,
    completionText: '',
    outcome: 'complete',
    cacheHit: false,
    ...over,
  });

  it('prices the API-reported usage exactly, records it, and tells listeners', async () => {
    const { dir, ledger, accountant } = setup();
    let changes = 0;
    const sub = accountant.onDidChange(() => {
      changes++;
    });
    await accountant.check(sendCheck());
    const usage = { promptTokens: 1000, completionTokens: 500, totalTokens: 1500, cachedPromptTokens: 400 };
    const cost = await accountant.finish(reply({ usage, completionText: 'Hello', apiRequestId: 'req_abc' }));
    // 600 uncached × $2.50/M + 400 cached × $1.25/M + 500 out × $10/M
    near(cost?.costUsd, 0.007);
    assert.deepEqual(cost?.usage, usage);
    assert.equal(cost?.savedUsd, undefined);
    assert.ok(changes >= 1);
    sub.dispose();
    const today = ledger.snapshot('ws1').today;
    assert.equal(today.requests, 1);
    assert.equal(today.tokensIn, 1000);
    assert.equal(today.cachedTokensIn, 400);
    assert.equal(today.tokensOut, 500);
    near(today.costUsd, 0.007);
    const reread = new UsageLedger({ dir, clock });
    await reread.load();
    near(reread.totals().costUsd, 0.007);
    const [line] = (await fs.readFile(path.join(dir, 'usage-2025-08.jsonl'), 'utf8')).trim().split('\n');
    const stored = JSON.parse(line) as Record<string, unknown>;
    assert.equal(stored.requestId, 'req_abc');
    assert.equal(stored.conversationId, 'c1');
    assert.equal(stored.workspace, 'ws1');
    assert.equal(stored.model, 'gpt-4o');
    assert.equal(stored.estimated, false);
  });

  it('estimates a stopped reply with the tokenizer and marks it estimated', async () => {
    const { ledger, accountant } = setup();
    await accountant.check(sendCheck());
    const text = 'The quick brown fox jumps over the lazy dog, then stops halfway through the';
    const expected = await tokenizers.asyncCounter('o200k_base').count(text);
    const cost = await accountant.finish(reply({ outcome: 'stopped', completionText: text }));
    assert.equal(cost?.usage.estimated, true);
    assert.equal(cost?.usage.completionTokens, expected);
    assert.equal(cost?.usage.promptTokens, 1000);
    near(cost?.costUsd, (1000 * 2.5 + expected * 10) / 1e6);
    const today = ledger.snapshot().today;
    assert.equal(today.estimatedRequests, 1);
    assert.equal(today.tokensOut, expected);
  });

  it('records nothing for a failure before any token without usage, but estimates one after tokens', async () => {
    const { ledger, accountant } = setup();
    await accountant.check(sendCheck());
    assert.equal(await accountant.finish(reply({ outcome: 'failed' })), undefined);
    assert.equal(ledger.snapshot().today.requests, 0);
    await accountant.check(sendCheck({ requestId: 'r2' }));
    const cost = await accountant.finish(
      reply({ requestId: 'r2', outcome: 'failed', completionText: 'partial answer' }),
    );
    assert.equal(cost?.usage.estimated, true);
    assert.equal(ledger.snapshot().today.requests, 1);
  });

  it('records a cache hit as $0 with what it saved', async () => {
    const { ledger, accountant } = setup();
    await accountant.check(sendCheck());
    const savedUsage = { promptTokens: 2000, completionTokens: 1000, totalTokens: 3000 };
    const cost = await accountant.finish(reply({ cacheHit: true, savedUsage, completionText: 'cached answer' }));
    assert.equal(cost?.costUsd, 0);
    near(cost?.savedUsd, (2000 * 2.5 + 1000 * 10) / 1e6);
    assert.deepEqual(cost?.usage, savedUsage);
    const month = ledger.snapshot().month;
    assert.equal(month.cacheHits, 1);
    assert.equal(month.costUsd, 0);
    assert.equal(month.tokensIn, 0, 'a cache hit bills no tokens');
    near(month.savedUsd, 0.015);
  });

  it('refuses a request over the daily budget before it is sent, with the actions', async () => {
    const { accountant } = setup({ dailyUsd: 0.01 });
    await accountant.check(sendCheck());
    await accountant.finish(reply({ usage: { promptTokens: 1000, completionTokens: 500, totalTokens: 1500 } })); // $0.0075
    const verdict = await accountant.check(sendCheck({ requestId: 'r2', maxUsd: 0.005 }));
    assert.equal(verdict.refuse?.kind, 'budget');
    assert.deepEqual(verdict.refuse?.actions, ['raiseBudget', 'sendAnyway']);
    assert.match(verdict.refuse?.message ?? '', /Daily budget \$0\.01 would be exceeded/);
    assert.match(verdict.refuse?.message ?? '', /tally\.budget\.dailyUsd/);
    assert.equal(verdict.warning, undefined);
  });

  it('sends anyway with ignoreBudget, saying so', async () => {
    const { accountant } = setup({ dailyUsd: 0 });
    const verdict = await accountant.check(sendCheck({ ignoreBudget: true }));
    assert.equal(verdict.refuse, undefined);
    assert.match(verdict.warning ?? '', /^Sent past the budget: /);
  });

  it("warns at the configured percentage and counts other windows' spend", async () => {
    const { dir, accountant } = setup({ monthlyUsd: 1, warnAtFraction: 0.5 });
    // Another window (its own ledger on the same folder) spent $0.50 this month.
    const other = new UsageLedger({ dir, clock });
    const otherAccountant = new UsageAccountant({
      ledger: other,
      tokenizers,
      clock,
      logger: silentLogger,
      workspace: 'ws2',
      budgets: () => ({}),
      modelOverrides: () => ({}),
      newId: (p) => `${p}other`,
    });
    await otherAccountant.finish(
      reply({ usage: { promptTokens: 200_000, completionTokens: 0, totalTokens: 200_000 } }),
    );
    const verdict = await accountant.check(sendCheck({ maxUsd: 0.01 }));
    assert.equal(verdict.refuse, undefined);
    assert.match(verdict.warning ?? '', /Monthly budget \$1\.00 is 51 % used with this request/);
    const quiet = setup({ monthlyUsd: 1 });
    assert.deepEqual(await quiet.accountant.check(sendCheck({ maxUsd: 0.5 })), {});
  });

  it('workspace limits count this workspace only', async () => {
    const { accountant } = setup({ workspaceDailyUsd: 0.01 }, 'ws1');
    await accountant.finish(reply({ usage: { promptTokens: 4000, completionTokens: 0, totalTokens: 4000 } })); // $0.01
    assert.equal((await accountant.check(sendCheck({ maxUsd: 0.001 }))).refuse?.kind, 'budget');
    const none = setup({ workspaceDailyUsd: 0 }, '');
    assert.deepEqual(await none.accountant.check(sendCheck()), {}, 'no folder open: workspace limits do not apply');
  });

  it('keeps a live estimate while a reply streams, cleared when it finishes', async () => {
    const { accountant } = setup();
    await accountant.check(sendCheck());
    assert.equal(accountant.liveExtra().requests, 0, 'nothing streams yet');
    accountant.progress('r1', 400);
    const live = accountant.liveExtra();
    assert.equal(live.requests, 1);
    assert.equal(live.tokensIn, 1000);
    assert.equal(live.tokensOut, 100);
    near(live.costUsd, (1000 * 2.5 + 100 * 10) / 1e6);
    await accountant.finish(reply({ usage: { promptTokens: 1000, completionTokens: 100, totalTokens: 1100 } }));
    assert.equal(accountant.liveExtra().requests, 0);
  });
});
