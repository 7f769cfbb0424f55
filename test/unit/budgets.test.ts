import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkBudget,
  parseBudgets,
  type BudgetCheck,
  type BudgetCheckInput,
  type BudgetSpent,
} from '../../src/core/usage/budgets';

const spent = (over: Partial<BudgetSpent> = {}): BudgetSpent => ({
  globalToday: 0,
  globalMonth: 0,
  workspaceToday: 0,
  workspaceMonth: 0,
  ...over,
});
/** The warning or refusal (fails the test on ok). */
function found(r: BudgetCheck): Exclude<BudgetCheck, { verdict: 'ok' }> {
  if (r.verdict === 'ok') assert.fail('expected a warning or a refusal');
  return r;
}
const check = (over: Partial<BudgetCheckInput>) =>
  checkBudget({ spent: spent(), maxCostOfNext: 0.01, budgets: {}, ...over });

describe('budget check', () => {
  it('no budgets: always ok, whatever the cost or an unknown price', () => {
    assert.deepEqual(check({ maxCostOfNext: 1000, spent: spent({ globalToday: 1e6 }) }), { verdict: 'ok' });
    assert.deepEqual(check({ maxCostOfNext: undefined }), { verdict: 'ok' });
  });

  it('below 80 %: ok', () => {
    const r = check({ budgets: { dailyUsd: 1 }, spent: spent({ globalToday: 0.7 }), maxCostOfNext: 0.0999 });
    assert.deepEqual(r, { verdict: 'ok' });
  });

  it('exactly at 80 % of the limit: warn', () => {
    const r = check({ budgets: { dailyUsd: 1 }, spent: spent({ globalToday: 0.75 }), maxCostOfNext: 0.05 });
    assert.equal(r.verdict, 'warn');
    assert.equal(
      found(r).message,
      'Daily budget $1.00 is 80 % used with this request: spent $0.75 today, this request may cost up to $0.05.',
    );
    assert.deepEqual(found(r).limit, {
      setting: 'dailyUsd',
      scope: 'global',
      period: 'day',
      limitUsd: 1,
      spentUsd: 0.75,
    });
  });

  it('exactly at the limit is allowed (warned); a nano-dollar above is refused', () => {
    assert.equal(
      check({ budgets: { dailyUsd: 1 }, spent: spent({ globalToday: 0.95 }), maxCostOfNext: 0.05 }).verdict,
      'warn',
    );
    // Float sums that land on the limit: 0.1 + 0.2 + 0.7 = 1.0000000000000002 in binary, still "equal".
    assert.equal(
      check({ budgets: { dailyUsd: 1 }, spent: spent({ globalToday: 0.1 + 0.2 }), maxCostOfNext: 0.7 }).verdict,
      'warn',
    );
    assert.equal(
      check({ budgets: { dailyUsd: 1 }, spent: spent({ globalToday: 0.95 }), maxCostOfNext: 0.050000001 }).verdict,
      'refuse',
    );
  });

  it('refuses with a message naming the limit', () => {
    const r = check({ budgets: { dailyUsd: 1 }, spent: spent({ globalToday: 0.95 }), maxCostOfNext: 0.08 });
    assert.equal(r.verdict, 'refuse');
    assert.equal(
      found(r).message,
      'Daily budget $1.00 would be exceeded: spent $0.95 today, this request may cost up to $0.08.',
    );
  });

  it('already over 80 %: warns even for a free request; already over the limit: refuses a paid one', () => {
    const free = check({ budgets: { monthlyUsd: 10 }, spent: spent({ globalMonth: 9 }), maxCostOfNext: 0 });
    assert.equal(free.verdict, 'warn');
    const overFree = check({ budgets: { monthlyUsd: 10 }, spent: spent({ globalMonth: 12 }), maxCostOfNext: 0 });
    assert.equal(overFree.verdict, 'warn', 'a free request cannot add to the spend');
    const over = check({ budgets: { monthlyUsd: 10 }, spent: spent({ globalMonth: 12 }), maxCostOfNext: 0.001 });
    assert.equal(
      found(over).message,
      'Monthly budget $10.00 is used up: spent $12.00 this month, this request may cost up to <$0.01.',
    );
  });

  it('a limit below a cent shows the limit, the spend and the cost in digits that can be compared', () => {
    const r = check({ budgets: { dailyUsd: 0.005 }, spent: spent({ globalToday: 0.0021 }), maxCostOfNext: 0.0031 });
    assert.equal(
      found(r).message,
      'Daily budget $0.005 would be exceeded: spent $0.0021 today, this request may cost up to $0.0031.',
    );
  });

  it('a zero budget refuses anything that may cost, and lets a free request through', () => {
    assert.equal(check({ budgets: { dailyUsd: 0 }, maxCostOfNext: 0.000001 }).verdict, 'refuse');
    assert.deepEqual(check({ budgets: { dailyUsd: 0 }, maxCostOfNext: 0 }), { verdict: 'ok' });
  });

  it('an unknown price is never refused on, but says the budget cannot be checked', () => {
    const r = check({ budgets: { dailyUsd: 1 }, maxCostOfNext: undefined, model: 'llama3' });
    assert.equal(r.verdict, 'warn');
    assert.equal(found(r).message, "The price of llama3 is unknown: the budget can't be checked for this model.");
    const over = check({ budgets: { dailyUsd: 1 }, spent: spent({ globalToday: 2 }), maxCostOfNext: undefined });
    assert.equal(over.verdict, 'warn');
    assert.match(found(over).message, /^Daily budget \$1\.00 is 200 % used already: .* can't be checked/);
  });

  it('workspace limits apply to the workspace spend, and not when no folder is open', () => {
    const input = {
      budgets: { dailyUsd: 10, workspaceDailyUsd: 1 },
      maxCostOfNext: 0.5,
      spent: spent({ globalToday: 2, workspaceToday: 0.6 }),
    };
    const r = check(input);
    assert.equal(r.verdict, 'refuse');
    assert.equal(found(r).limit.setting, 'workspaceDailyUsd');
    assert.equal(
      found(r).message,
      'Workspace daily budget $1.00 would be exceeded: spent $0.60 today ' +
        'in this workspace, this request may cost up to $0.50.',
    );
    assert.deepEqual(check({ ...input, workspaceOpen: false }), { verdict: 'ok' });
    const month = check({
      budgets: { workspaceMonthlyUsd: 5 },
      spent: spent({ workspaceMonth: 4.5 }),
      maxCostOfNext: 0.1,
    });
    assert.equal(found(month).limit.setting, 'workspaceMonthlyUsd');
  });

  it('names the worst limit and lists every one', () => {
    const r = check({
      budgets: { dailyUsd: 1, monthlyUsd: 5 },
      maxCostOfNext: 0.2,
      spent: spent({ globalToday: 0.7, globalMonth: 4.9 }),
    });
    assert.equal(r.verdict, 'refuse');
    assert.equal(found(r).limit.setting, 'monthlyUsd');
    assert.equal(found(r).messages.length, 2);
    assert.match(found(r).messages[1], /^Daily budget \$1\.00 is 90 % used/);
  });

  it('warns at a custom fraction', () => {
    const input = {
      budgets: { dailyUsd: 1, warnAtFraction: 0.5 },
      spent: spent({ globalToday: 0.45 }),
      maxCostOfNext: 0.05,
    };
    assert.equal(check(input).verdict, 'warn');
    assert.deepEqual(check({ ...input, maxCostOfNext: 0.04 }), { verdict: 'ok' });
  });

  it('ignores invalid limits that reach it without parsing', () => {
    assert.deepEqual(check({ budgets: { dailyUsd: Number.NaN, monthlyUsd: -1 }, maxCostOfNext: 5 }), { verdict: 'ok' });
  });
});

describe('budget settings', () => {
  it('keeps valid limits, 0 included; null or missing means no limit', () => {
    assert.deepEqual(parseBudgets({ dailyUsd: 2, monthlyUsd: 0, workspaceDailyUsd: null, warnAtFraction: 0.9 }), {
      budgets: { dailyUsd: 2, monthlyUsd: 0, warnAtFraction: 0.9 },
      problems: [],
    });
    assert.deepEqual(parseBudgets(undefined), { budgets: {}, problems: [] });
  });

  it('drops negative, NaN and non-number limits and a bad fraction, reporting each', () => {
    const { budgets, problems } = parseBudgets({
      dailyUsd: -1,
      monthlyUsd: Number.NaN,
      workspaceDailyUsd: '5',
      workspaceMonthlyUsd: Infinity,
      warnAtFraction: 1.5,
    });
    assert.deepEqual(budgets, {});
    assert.equal(problems.length, 5);
    assert.match(problems[0], /^budget\.dailyUsd: expected an amount in USD of 0 or more, got -1; ignored$/);
    assert.match(problems[4], /warnAtFraction.*using 0\.8/);
    assert.deepEqual(parseBudgets({ warnAtFraction: 0 }).problems.length, 1);
    assert.deepEqual(parseBudgets([1]), { budgets: {}, problems: ['budget: expected an object'] });
  });
});
