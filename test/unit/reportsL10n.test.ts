// The usage and API health reports, the status bar's usage texts, budget messages and the degraded-API notice in
// Simplified Chinese (issue #15): with i18n/zh-cn/reports.json loaded and the display language zh-cn, the pages say
// <html lang="zh-CN">, every visible text with Latin letters in it is a name or id that stays as it is (model ids,
// Tally, API, CSV, setting ids, the price page's address), days and times are written the Chinese way, and with no
// bundle everything is English again (strings are read at each use, never frozen at load).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { detectDegraded } from '../../src/core/metrics/degraded';
import { healthHtml } from '../../src/core/metrics/healthHtml';
import { healthReport } from '../../src/core/metrics/healthStats';
import { checkBudget } from '../../src/core/usage/budgets';
import { makeUsageRecord } from '../../src/core/usage/records';
import { reportData } from '../../src/core/usage/report';
import { reportHtml } from '../../src/core/usage/reportHtml';
import { emptyTotals } from '../../src/core/usage/totals';
import { statusBarText, tooltipLines } from '../../src/core/usage/usageText';
import { setDisplayLocale } from '../../src/shared/displayLocale';
import { englishAfterEach, useChinese } from '../support/displayLanguage';
import { requestMetricAt } from '../support/requestMetrics';

englishAfterEach();

const NOW = new Date(2025, 5, 15, 12).getTime();
const HOUR = 3_600_000;
const usagePage = () =>
  reportHtml(
    reportData(
      [
        makeUsageRecord({
          id: 'a',
          at: NOW,
          workspace: 'ws',
          model: 'gpt-4o-mini',
          surface: 'agent',
          usage: { promptTokens: 1000, completionTokens: 100, totalTokens: 1100 },
        }),
      ],
      { now: NOW, days: 30 },
    ),
    { cspSource: 'vscode-resource:', cssUri: 'report.css' },
  );

const metric = (time: number, failed = false) => requestMetricAt(time, failed ? { outcome: 'failed' } : {});
const healthPage = () =>
  healthHtml(healthReport([metric(NOW - HOUR), metric(NOW - 2 * HOUR, true)], { fromMs: NOW - 20 * HOUR, toMs: NOW }), {
    cspSource: 'vscode-resource:',
    cssUris: ['report.css', 'health.css'],
    nonce: 'abc',
    days: 1,
    dayChoices: [1, 7],
  });

/** The page's visible texts (element contents and the accessible names in aria-label), script left out. */
function visibleTexts(html: string): string[] {
  const body = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<head>[\s\S]*?<\/head>/, '');
  const labels = [...body.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);
  const texts = body.split(/<[^>]*>/).map((t) => t.trim());
  return [...texts, ...labels].filter((t) => t !== '');
}

/** Names and ids that stay as they are in Chinese, and figures (p95, 12.4k, $0.23, 2025-…). */
const KEPT =
  /gpt-4o-mini|Tally|API|CSV|JSON|https?:\/\/[\w./:-]+|tally\.[\w.]+|@tally|\bp\d\d\b|\d+(\.\d+)?k\b|&[a-z]+;|VS Code/g;
const english = (texts: string[]) => texts.filter((t) => /[A-Za-z]/.test(t.replace(KEPT, '')));

describe('reports in zh-cn', () => {
  it('the usage report: lang, Chinese headings, days and filter, no English left', () => {
    useChinese();
    const h = usagePage();
    assert.match(h, /<html lang="zh-CN">/);
    assert.match(h, /<h1>Tally 用量<\/h1>/);
    assert.match(h, /<p class="period">最近 30 天：2025年5月17日 至 2025年6月15日，所有工作区，所有来源。<\/p>/);
    assert.match(h, /aria-current="true">所有来源<\/a>/);
    assert.match(h, /<td class="surface">代理<\/td>/);
    assert.match(h, /<th scope="col">费用<\/th>/);
    assert.deepEqual(english(visibleTexts(h)), []);
  });

  it('the API health report: lang, Chinese figures and units, no English left but ids', () => {
    useChinese();
    const h = healthPage();
    assert.match(h, /<html lang="zh-CN">/);
    assert.match(h, /<dt>错误率<\/dt><dd>50%（2 个中的 1 个）<\/dd>/);
    assert.match(h, /<td class="num">1,000 毫秒<\/td>/);
    assert.match(h, /<th scope="row">首个令牌时间<\/th>/);
    assert.match(h, /<desc id="over-time-desc">21 个时段内共 2 个请求/);
    assert.deepEqual(english(visibleTexts(h)), []);
  });

  it('the status bar, its tooltip, a budget warning and the degraded notice', () => {
    useChinese();
    const t = {
      ...emptyTotals(),
      requests: 12,
      tokensIn: 10_100,
      cachedTokensIn: 4100,
      tokensOut: 2300,
      costUsd: 0.23,
    };
    assert.equal(statusBarText(t), '12.4k 令牌 · 今天 $0.23');
    const lines = tooltipLines({ session: t, today: t, month: t, byModel: [] });
    assert.equal(lines[0], '本次会话：12.4k 令牌（输入 10.1k，其中缓存 4.1k；输出 2.3k）· $0.23 · 12 个请求');
    const spent = { globalToday: 0.75, globalMonth: 0, workspaceToday: 0, workspaceMonth: 0 };
    const warn = checkBudget({ spent, maxCostOfNext: 0.05, budgets: { dailyUsd: 1 } });
    assert.equal(
      warn.verdict === 'ok' ? '' : warn.message,
      '加上此请求，每日预算 $1.00 将用掉 80%：今天已花费 $0.75，此请求最多可能花费 $0.05。',
    );
    const DAY = 24 * HOUR;
    const records = [
      ...Array.from({ length: 30 }, (_, i) => metric(NOW - DAY - i * HOUR)),
      ...Array.from({ length: 10 }, (_, i) => metric(NOW - i * 60_000 - 60_000, i < 5)),
    ];
    assert.match(
      detectDegraded(records, NOW)?.message ?? '',
      /^API 今天似乎性能下降：50% 的请求失败（最近 7 天：0%）。$/,
    );
  });

  it('is English again without the bundle', () => {
    useChinese();
    usagePage();
    l10n.config({ contents: {} });
    setDisplayLocale('en');
    const h = usagePage();
    assert.match(h, /<html lang="en-US">/);
    assert.match(h, /Last 30 days: May 17, 2025 to Jun 15, 2025, all workspaces, all surfaces\./);
  });
});
