import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  budgetUsdFormatter,
  formatReplyUsd,
  formatTokens,
  formatTokensShort,
  formatUsd,
  formatUsdTo,
  plainNumber,
  joinSentences,
} from '../../src/shared/format';
import { formatTotalCost } from '../../src/core/usage/usageText';
import { formatEstimate, formatReplyCost } from '../../src/webview/format';

describe('shared money format', () => {
  it('totals: cents, a nonzero cost below a cent is "<$0.01", dollars grouped', () => {
    assert.deepEqual([0, 0.004, 0.0099, 0.01, 0.235, 1234.5, -0.5].map(formatUsd), [
      '$0.00',
      '<$0.01',
      '<$0.01',
      '$0.01',
      '$0.24',
      '$1,234.50',
      '-$0.50',
    ]);
    assert.equal(formatUsd(undefined), 'price unknown');
    assert.equal(formatUsd(Number.NaN), 'price unknown');
  });

  it('one reply: two significant digits below a dollar, at least cents, "<$0.0001" for dust', () => {
    assert.deepEqual([0.0031, 0.00314, 0.044, 0.5, 0.25, 0.00005, 0, 1234.5].map(formatReplyUsd), [
      '$0.0031',
      '$0.0031',
      '$0.044',
      '$0.50',
      '$0.25',
      '<$0.0001',
      '$0.00',
      '$1,234.50',
    ]);
    assert.equal(formatReplyUsd(undefined), 'price unknown');
  });

  it('a reply and a total of the same cents-sized amount read the same', () => {
    for (const usd of [0, 0.25, 0.5, 1, 12.34, 1234.5]) assert.equal(formatReplyUsd(usd), formatUsd(usd), String(usd));
  });

  it('budget amounts: cents for a limit of a cent or more; a limit below a cent sets the digits for all amounts', () => {
    const cents = budgetUsdFormatter(1);
    assert.deepEqual([1, 0.75, 0.003].map(cents), ['$1.00', '$0.75', '<$0.01']);
    const fine = budgetUsdFormatter(0.005);
    assert.deepEqual([0.005, 0.0031, 0, 0.00001].map(fine), ['$0.005', '$0.0031', '$0.00', '<$0.0001']);
    assert.equal(budgetUsdFormatter(0.0004)(0.0004), '$0.0004');
    assert.equal(budgetUsdFormatter(0)(0.003), '<$0.01', 'a zero limit: cents');
  });

  it('formatUsdTo clamps the decimals to 2..10', () => {
    assert.equal(formatUsdTo(0.123456, 0), '$0.12');
    assert.equal(formatUsdTo(1e-12, 40), '<$0.0000000001');
  });
});

describe('shared token format', () => {
  it('in full, grouped, whole tokens', () => {
    assert.deepEqual([0, 1_000, 1_234_567, 12.4].map(formatTokens), ['0', '1,000', '1,234,567', '12']);
  });

  it('short: k, M, B with one decimal below 100 of a unit', () => {
    assert.deepEqual([950, 12_400, 123_456, 1_234_567, 999_999].map(formatTokensShort), [
      '950',
      '12.4k',
      '123k',
      '1.2M',
      '1M',
    ]);
  });

  it('plain numbers for CSV: no exponent, no grouping', () => {
    assert.deepEqual([1234.5, 1e-7, 0.1 + 0.2].map(plainNumber), ['1234.5', '0.0000001', '0.3']);
  });
});

describe('every place uses the shared format', () => {
  it('the panel, the status bar and the report format a total the same way', () => {
    const total = { requests: 1, costUsd: 0.25, unknownCostRequests: 0, cacheHits: 0 };
    assert.equal(formatTotalCost(total), formatUsd(0.25));
    const usage = { promptTokens: 1200, completionTokens: 30, totalTokens: 1230 };
    assert.equal(formatReplyCost({ usage, costUsd: 0.25 }), `1,200 in · 30 out tokens · ${formatUsd(0.25)}`);
    assert.equal(formatReplyCost({ usage, costUsd: 0.0031 }), '1,200 in · 30 out tokens · $0.0031');
    assert.equal(formatReplyCost({ usage }), '1,200 in · 30 out tokens · price unknown');

    const estimate = { seq: 1, model: 'gpt-4o', promptTokens: 1234, maxReplyTokens: 4096, droppedCount: 0 };
    assert.equal(
      formatEstimate({ ...estimate, minUsd: 0.0031, maxUsd: 0.044 }),
      '1,234 tokens · $0.0031–$0.044 · gpt-4o',
    );
    assert.equal(formatEstimate(estimate), '1,234 tokens · price unknown · gpt-4o');
  });
});

describe('joinSentences', () => {
  it('puts a space after an English sentence and none after a Chinese one', () => {
    assert.equal(joinSentences(['Input truncated.', 'Budget at 80%.']), 'Input truncated. Budget at 80%.');
    assert.equal(joinSentences(['输入已截断。', '预算已用 80%。']), '输入已截断。预算已用 80%。');
  });
  it('decides by each sentence, so mixed languages read right', () => {
    assert.equal(
      joinSentences(['输入已截断。', 'Rate limit low.', '预算已用 80%。']),
      '输入已截断。Rate limit low. 预算已用 80%。',
    );
  });
  it('skips empty sentences and gives one sentence back as it is', () => {
    assert.equal(joinSentences(['', 'Only one.', '']), 'Only one.');
    assert.equal(joinSentences([]), '');
  });
});
