// Money, numbers and dates follow the display language (issue #15): grouping, decimals and date words change with
// setDisplayLocale, the amounts stay "$" (the price table is in USD), the CSV's plain numbers never change, and a
// change of language is followed (formatters are kept per locale, not frozen on the first one).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { setDisplayLocale } from '../../src/shared/displayLocale';
import {
  formatDateTime,
  formatReplyUsd,
  formatTimeOfDay,
  formatTokens,
  formatTokensShort,
  formatUsd,
  plainNumber,
  priceUnknown,
} from '../../src/shared/format';

// Local time, so the expected text does not depend on the machine's time zone.
const JUNE_15_14_05_09 = new Date(2025, 5, 15, 14, 5, 9).getTime();

afterEach(() => {
  setDisplayLocale('en');
  l10n.config({ contents: {} });
});

describe('format in the display language', () => {
  it('zh-cn: numbers, money and dates as zh-CN writes them; amounts stay in dollars', () => {
    setDisplayLocale('zh-cn');
    assert.equal(formatTokens(1_234_567), new Intl.NumberFormat('zh-CN').format(1_234_567));
    assert.equal(formatUsd(1234.5), `$${new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2 }).format(1234.5)}`);
    assert.equal(formatDateTime(JUNE_15_14_05_09), '6月15日 14:05');
    assert.equal(formatTimeOfDay(JUNE_15_14_05_09), '14:05:09');
  });

  it('a language with other separators shows them, so the locale is really followed', () => {
    setDisplayLocale('de');
    assert.equal(formatTokens(1_234_567), '1.234.567');
    assert.equal(formatUsd(1234.5), '$1.234,50');
    assert.equal(formatReplyUsd(0.0031), '$0,0031');
    assert.equal(formatUsd(0.004), '<$0,01');
    assert.equal(formatTokensShort(12_400), '12,4k');
  });

  it('back to English restores English formatting (formatters are per locale, not frozen on the first)', () => {
    setDisplayLocale('de');
    assert.equal(formatUsd(1234.5), '$1.234,50');
    setDisplayLocale('en');
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatTokens(1_234_567), '1,234,567');
    assert.equal(formatTokensShort(12_400), '12.4k');
    assert.equal(formatDateTime(JUNE_15_14_05_09), 'Jun 15, 02:05 PM');
  });

  it('plain numbers for the CSV are the same in every language', () => {
    setDisplayLocale('de');
    assert.deepEqual([1234.5, 1e-7].map(plainNumber), ['1234.5', '0.0000001']);
  });

  it('"price unknown" is read from the bundle at each call, not frozen at load', () => {
    assert.equal(priceUnknown(), 'price unknown');
    l10n.config({ contents: { 'price unknown': '价格未知' } });
    assert.equal(priceUnknown(), '价格未知');
    assert.equal(formatUsd(undefined), '价格未知');
    l10n.config({ contents: {} });
    assert.equal(formatReplyUsd(undefined), 'price unknown');
  });
});
