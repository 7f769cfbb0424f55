import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayKey, monthFilter, monthKey, previousMonthKey, todayFilter } from '../../src/core/usage/periods';
import {
  estimateRecordForPartial,
  makeUsageRecord,
  parseLines,
  parseUsageRecord,
  priceUsage,
  type RecordBase,
  serializeUsageRecord,
  type UsageRecord,
} from '../../src/core/usage/records';
import { addRecord, emptyTotals, totalsByModel, totalsOf, UsageBuckets } from '../../src/core/usage/totals';
import { usageSnapshot } from '../../src/core/usage/snapshot';
import { formatTotalCost, statusBarText, tooltipLines } from '../../src/core/usage/usageText';
import { formatTokensShort, formatUsd } from '../../src/shared/format';

/** Float sums of prices: equal to a billionth of a cent. */
function near(actual: number | undefined, expected: number, what = ''): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-11, `${what}: ${actual} != ${expected}`);
}

const base = (over: Partial<RecordBase> = {}): RecordBase => ({
  id: 'r1',
  at: new Date(2025, 5, 15, 12, 0).getTime(),
  workspace: 'ws1',
  model: 'gpt-4o',
  ...over,
});
const usage = (promptTokens: number, completionTokens: number, cachedPromptTokens?: number) => ({
  promptTokens,
  completionTokens,
  totalTokens: promptTokens + completionTokens,
  cachedPromptTokens,
});

describe('pricing a request (hand-computed from the table in models.ts, USD per 1M tokens)', () => {
  it('gpt-4o with cached prompt tokens', () => {
    // gpt-4o: input 2.50, cached 1.25, output 10.00. 1,000 prompt of which 400 cached, 500 completion:
    // 600 × 2.50/1e6 = 0.0015; 400 × 1.25/1e6 = 0.0005; 500 × 10/1e6 = 0.005 → 0.007
    near(priceUsage(usage(1000, 500, 400), 'gpt-4o'), 0.007, 'gpt-4o');
    // Without the cache hit the same prompt costs 1,000 × 2.50/1e6 = 0.0025 → 0.0075.
    near(priceUsage(usage(1000, 500), 'gpt-4o'), 0.0075, 'gpt-4o uncached');
  });

  it('gpt-4o-mini, and its dated snapshot at the same price', () => {
    // gpt-4o-mini: input 0.15, output 0.60. 12,000 × 0.15/1e6 = 0.0018; 800 × 0.60/1e6 = 0.00048 → 0.00228
    near(priceUsage(usage(12_000, 800), 'gpt-4o-mini'), 0.00228, 'gpt-4o-mini');
    near(priceUsage(usage(12_000, 800), 'gpt-4o-mini-2024-07-18'), 0.00228, 'snapshot');
  });

  it('gpt-5: reasoning tokens are part of the completion tokens', () => {
    // gpt-5: input 1.25, cached 0.125, output 10.00. 2,000 prompt (1,024 cached), 3,000 completion (2,400 of them
    // reasoning): 976 × 1.25/1e6 = 0.00122; 1,024 × 0.125/1e6 = 0.000128; 3,000 × 10/1e6 = 0.03 → 0.031348
    near(priceUsage(usage(2000, 3000, 1024), 'gpt-5'), 0.031348, 'gpt-5');
  });

  it('o1, an expensive one', () => {
    // o1: input 15, cached 7.50, output 60. 10,000 prompt (5,000 cached), 20,000 completion:
    // 5,000 × 15/1e6 = 0.075; 5,000 × 7.5/1e6 = 0.0375; 20,000 × 60/1e6 = 1.2 → 1.3125
    near(priceUsage(usage(10_000, 20_000, 5000), 'o1'), 1.3125, 'o1');
  });

  it('legacy gpt-4: per-1K prices × 1000; cached tokens billed at the input price (no cached price)', () => {
    // gpt-4: $0.03 / $0.06 per 1K = 30 / 60 per 1M. 1,500 × 30/1e6 = 0.045; 250 × 60/1e6 = 0.015 → 0.06
    near(priceUsage(usage(1500, 250), 'gpt-4'), 0.06, 'gpt-4');
    near(priceUsage(usage(1500, 250, 500), 'gpt-4'), 0.06, 'gpt-4 cached');
  });

  it('a custom model priced through overrides; an unknown model has no price (not $0)', () => {
    // 2,000 × 0.5/1e6 = 0.001; 1,000 × 1.5/1e6 = 0.0015 → 0.0025
    near(
      priceUsage(usage(2000, 1000), 'my-model', { 'my-model': { prices: { inputPerM: 0.5, outputPerM: 1.5 } } }),
      0.0025,
    );
    assert.equal(priceUsage(usage(2000, 1000), 'llama3.1:8b'), undefined);
  });
});

describe('usage records', () => {
  it('records the API-reported usage and its cost', () => {
    const r = makeUsageRecord({ ...base({ conversationId: 'c1', requestId: 'q1' }), usage: usage(1000, 500, 400) });
    assert.equal(r.v, 1);
    assert.deepEqual(
      { ...r, costUsd: undefined },
      {
        v: 1,
        id: 'r1',
        at: base().at,
        workspace: 'ws1',
        model: 'gpt-4o',
        promptTokens: 1000,
        cachedPromptTokens: 400,
        completionTokens: 500,
        costUsd: undefined,
        estimated: false,
        cacheHit: false,
        conversationId: 'c1',
        requestId: 'q1',
      },
    );
    near(r.costUsd, 0.007);
  });

  it('leaves the cost out when the price is unknown, and totals count it apart', () => {
    const r = makeUsageRecord({ ...base({ model: 'mystery' }), usage: usage(100, 10) });
    assert.equal('costUsd' in r, false);
    const t = addRecord(emptyTotals(), r);
    assert.equal(t.costUsd, 0);
    assert.equal(t.unknownCostRequests, 1);
    assert.equal(formatTotalCost(t), 'price unknown');
  });

  it('estimates a cancelled reply from locally counted tokens, priced the same way and marked', () => {
    // Stop after 37 tokens of reply on gpt-4o-mini, prompt counted before sending as 1,200:
    // 1,200 × 0.15/1e6 = 0.00018; 37 × 0.60/1e6 = 0.0000222 → 0.0002022
    const seen: string[] = [];
    const r = estimateRecordForPartial({
      ...base({ model: 'gpt-4o-mini' }),
      promptTokens: 1200,
      completionText: 'Sure, here is the',
      countTokens: (text) => {
        seen.push(text);
        return 37;
      },
    });
    assert.deepEqual(seen, ['Sure, here is the']);
    assert.equal(r.estimated, true);
    assert.equal(r.promptTokens, 1200);
    assert.equal(r.completionTokens, 37);
    assert.equal(r.cachedPromptTokens, 0);
    near(r.costUsd, 0.0002022);
    // Stopped before any token: the prompt is still billed.
    const none = estimateRecordForPartial({
      ...base({ model: 'gpt-4o-mini' }),
      promptTokens: 1200,
      completionText: '',
      countTokens: () => {
        throw new Error('not called');
      },
    });
    near(none.costUsd, 0.00018);
    assert.equal(addRecord(emptyTotals(), r).estimatedRequests, 1);
  });

  it('a cache hit costs nothing and records what it saved', () => {
    const r = makeUsageRecord({ ...base(), usage: usage(1000, 500, 400), cacheHit: true });
    assert.equal(r.costUsd, 0);
    near(r.savedUsd, 0.007);
    const t = addRecord(emptyTotals(), r);
    assert.deepEqual({ ...t, savedUsd: 0 }, { ...emptyTotals(), requests: 1, cacheHits: 1 });
    near(t.savedUsd, 0.007);
  });

  it('cleans impossible counts and clamps long names so a ledger line stays small', () => {
    const r = makeUsageRecord({
      ...base({ model: 'm'.repeat(5000), workspace: 'w'.repeat(5000) }),
      usage: { promptTokens: -5, completionTokens: Number.NaN, totalTokens: 0, cachedPromptTokens: 10 },
    });
    assert.equal(r.promptTokens, 0);
    assert.equal(r.completionTokens, 0);
    assert.equal(r.cachedPromptTokens, 0, 'cached never exceeds the prompt');
    assert.ok(serializeUsageRecord(r).length < 1024);
  });

  it('serialises with v first and parses back; rejects what is not a record', () => {
    const r = makeUsageRecord({ ...base(), usage: usage(10, 5) });
    const line = serializeUsageRecord(r);
    assert.ok(line.startsWith('{"v":1,"id":'));
    assert.deepEqual(parseUsageRecord(JSON.parse(line)), r);
    for (const bad of [
      null,
      [],
      'x',
      { ...r, v: 2 },
      { ...r, promptTokens: -1 },
      { ...r, costUsd: 'free' },
      { ...r, at: 1.5 },
    ]) {
      assert.equal(parseUsageRecord(bad), undefined, JSON.stringify(bad));
    }
  });

  it('parses lines, splitting a record glued to a torn one', () => {
    const a = serializeUsageRecord(makeUsageRecord({ ...base({ id: 'a' }), usage: usage(1, 1) }));
    const b = serializeUsageRecord(makeUsageRecord({ ...base({ id: 'b' }), usage: usage(2, 2) }));
    const c = serializeUsageRecord(makeUsageRecord({ ...base({ id: 'c' }), usage: usage(3, 3) }));
    const { records, skipped } = parseLines([a, 'not json', `${b.slice(0, 30)}${c}`, '', `${a}${b}`].join('\n'));
    assert.deepEqual(
      records.map((r) => r.id),
      ['a', 'c', 'a', 'b'],
    );
    assert.equal(skipped, 2);
  });
});

describe('totals by local day and month', () => {
  const at = (y: number, m: number, d: number, h = 12, min = 0, s = 0, ms = 0) =>
    new Date(y, m - 1, d, h, min, s, ms).getTime();
  const rec = (id: string, time: number, model = 'gpt-4o-mini', workspace = 'ws1'): UsageRecord =>
    makeUsageRecord({ ...base({ id, at: time, model, workspace }), usage: usage(1000, 100) });

  it('keys days and months in local time', () => {
    assert.equal(dayKey(at(2025, 1, 31, 23, 59, 59, 999)), '2025-01-31');
    assert.equal(dayKey(at(2025, 2, 1, 0, 0)), '2025-02-01');
    assert.equal(monthKey(at(2025, 2, 1, 0, 0)), '2025-02');
    assert.equal(previousMonthKey(at(2025, 1, 15)), '2024-12');
    assert.equal(previousMonthKey(at(2025, 3, 31)), '2025-02');
  });

  it('counts a record at 23:59:59.999 in its own day and month, not the next', () => {
    const buckets = new UsageBuckets();
    for (const r of [
      rec('a', at(2025, 1, 31, 23, 59, 59, 999)),
      rec('b', at(2025, 2, 1, 0, 0)),
      rec('c', at(2025, 2, 1, 18, 0), 'gpt-4o', 'ws2'),
      rec('d', at(2025, 2, 28, 23, 0)),
    ])
      buckets.addRecord(r);
    const now = at(2025, 2, 1, 20, 0);
    const all = [...buckets.values()];
    assert.equal(totalsOf(all, todayFilter(now)).requests, 2);
    assert.equal(totalsOf(all, todayFilter(now, 'ws2')).requests, 1);
    assert.equal(totalsOf(all, monthFilter(now)).requests, 3);
    assert.equal(totalsOf(all, monthFilter(at(2025, 1, 1, 0, 0))).requests, 1);
    assert.deepEqual(
      totalsByModel(all, monthFilter(now)).map((m) => [m.model, m.totals.requests]),
      [
        ['gpt-4o', 1],
        ['gpt-4o-mini', 2],
      ],
    );
    const snap = usageSnapshot(all, { now, workspace: 'ws2', session: emptyTotals() });
    assert.equal(snap.today.requests, 2);
    // gpt-4o-mini: 1,000 × 0.15/1e6 + 100 × 0.6/1e6 = 0.00021; gpt-4o: 1,000 × 2.5/1e6 + 100 × 10/1e6 = 0.0035
    near(snap.spent.globalToday, 0.00021 + 0.0035);
    near(snap.spent.globalMonth, 2 * 0.00021 + 0.0035);
    near(snap.spent.workspaceToday, 0.0035);
    near(snap.spent.workspaceMonth, 0.0035);
    assert.equal(usageSnapshot(all, { now, session: emptyTotals() }).spent.workspaceMonth, 0);
  });
});

describe('formatting', () => {
  it('formats money, never rounding a cost to $0.00 or an unknown price to $0', () => {
    assert.equal(formatUsd(0.23), '$0.23');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.004), '<$0.01');
    assert.equal(formatUsd(0.0099), '<$0.01');
    assert.equal(formatUsd(0.01), '$0.01');
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatUsd(undefined), 'price unknown');
  });

  it('formats token counts short', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [950, '950'],
      [1000, '1k'],
      [12_400, '12.4k'],
      [12_000, '12k'],
      [99_960, '100k'],
      [123_456, '123k'],
      [999_950, '1M'],
      [1_250_000, '1.3M'],
      [2_000_000_000, '2B'],
    ];
    for (const [n, s] of cases) assert.equal(formatTokensShort(n), s, String(n));
  });

  it('builds the status bar text and tooltip', () => {
    const t = {
      ...emptyTotals(),
      requests: 12,
      tokensIn: 10_100,
      cachedTokensIn: 4100,
      tokensOut: 2300,
      costUsd: 0.23,
    };
    assert.equal(statusBarText(t), '12.4k tok · $0.23 today');
    assert.equal(statusBarText({ ...t, unknownCostRequests: 2 }), '12.4k tok · ≥$0.23 today');
    const month = { ...t, cacheHits: 2, savedUsd: 0.05, estimatedRequests: 1, unknownCostRequests: 3 };
    const lines = tooltipLines({ session: t, today: t, month, byModel: [{ model: 'gpt-4o', totals: t }] });
    assert.equal(lines[0], 'This session: 12.4k tok (10.1k in, 4.1k cached; 2.3k out) · $0.23 · 12 requests');
    assert.ok(lines.includes('  gpt-4o: 12.4k tok · $0.23'));
    assert.ok(lines.some((l) => l.includes('2 hits, saved $0.05')));
    assert.ok(lines.some((l) => l.startsWith('Estimated this month: 1 request')));
    assert.ok(lines.some((l) => l.startsWith('Price unknown this month: 3 requests')));
  });
});
