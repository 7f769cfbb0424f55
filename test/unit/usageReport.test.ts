import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeUsageRecord, type UsageRecord } from '../../src/core/usage/records';
import { emptyTotals, type UsageBucket } from '../../src/core/usage/totals';
import { reportData, type ReportRow } from '../../src/core/usage/report';
import { barChartSvg, escapeXml } from '../../src/core/usage/usageChart';
import { csvField, toCsv } from '../../src/core/usage/usageCsv';
import { plainNumber } from '../../src/shared/format';

const at = (m: number, d: number, h = 12) => new Date(2025, m - 1, d, h).getTime();
const rec = (time: number, model: string, workspace = 'ws1', tokens: [number, number] = [1000, 100]): UsageRecord =>
  makeUsageRecord({
    id: `${time}${model}`,
    at: time,
    workspace,
    model,
    usage: { promptTokens: tokens[0], completionTokens: tokens[1], totalTokens: tokens[0] + tokens[1] },
  });
const bucket = (day: string, model: string, workspace: string, costUsd: number, requests = 1): UsageBucket => ({
  day,
  model,
  workspace,
  surface: 'panel',
  totals: { ...emptyTotals(), requests, tokensIn: 100 * requests, tokensOut: 10 * requests, costUsd },
});

describe('report data', () => {
  it('sums per day × model over the last N local days, with every day present for the chart', () => {
    const now = at(6, 15, 9);
    const data = reportData(
      [
        bucket('2025-06-15', 'gpt-4o', 'ws1', 0.5),
        bucket('2025-06-15', 'gpt-4o', 'ws2', 0.25, 2),
        bucket('2025-06-10', 'gpt-4o-mini', 'ws1', 0.01),
        bucket('2025-06-08', 'gpt-4o', 'ws1', 1),
        bucket('2025-06-07', 'gpt-4o', 'ws1', 100), // outside 8 days ending 2025-06-15
        bucket('2025-06-16', 'gpt-4o', 'ws1', 100), // the future (clock moved back): outside
      ],
      { now, days: 8 },
    );
    assert.equal(data.fromDay, '2025-06-08');
    assert.equal(data.toDay, '2025-06-15');
    assert.deepEqual(
      data.rows.map((r) => [r.day, r.model, r.totals.requests, r.totals.costUsd]),
      [
        ['2025-06-08', 'gpt-4o', 1, 1],
        ['2025-06-10', 'gpt-4o-mini', 1, 0.01],
        ['2025-06-15', 'gpt-4o', 3, 0.75],
      ],
    );
    assert.equal(data.perDay.length, 8);
    assert.deepEqual(
      data.perDay.map((d) => d.totals.requests),
      [1, 0, 1, 0, 0, 0, 0, 3],
    );
    assert.deepEqual(
      data.perModel.map((m) => [m.model, m.totals.costUsd]),
      [
        ['gpt-4o', 1.75],
        ['gpt-4o-mini', 0.01],
      ],
    );
    assert.equal(data.total.requests, 5);
    assert.equal(
      reportData([bucket('2025-06-15', 'gpt-4o', 'ws1', 0.5), bucket('2025-06-15', 'gpt-4o', 'ws2', 0.25)], {
        now,
        workspace: 'ws2',
      }).total.costUsd,
      0.25,
    );
  });

  it('takes records as well, defaults to 30 days, and spans month ends in local time', () => {
    const data = reportData([rec(at(3, 1, 0), 'gpt-4o'), rec(at(2, 28, 23), 'gpt-4o'), rec(at(1, 29), 'o3')], {
      now: at(3, 1, 1),
    });
    assert.equal(data.perDay.length, 30);
    assert.equal(data.fromDay, '2025-01-31');
    assert.deepEqual(
      data.rows.map((r) => r.day),
      ['2025-02-28', '2025-03-01'],
    );
  });
});

describe('CSV export', () => {
  it('has a header, CRLF line ends, ISO dates and unformatted numbers', () => {
    const rows: ReportRow[] = [
      {
        day: '2025-06-15',
        model: 'gpt-4o',
        surface: 'chatView',
        totals: {
          ...emptyTotals(),
          requests: 3,
          tokensIn: 12_000,
          cachedTokensIn: 400,
          tokensOut: 1500,
          costUsd: 0.1 + 0.2,
          cacheHits: 1,
          savedUsd: 0.0000001,
          estimatedRequests: 1,
        },
      },
    ];
    assert.equal(
      toCsv(rows),
      'date,model,surface,requests,prompt_tokens,cached_prompt_tokens,completion_tokens,cost_usd,' +
        'unknown_price_requests,estimated_requests,cache_hits,saved_usd\r\n' +
        '2025-06-15,gpt-4o,chatView,3,12000,400,1500,0.3,0,1,1,0.0000001\r\n',
    );
  });

  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    const row = (model: string, costUsd = 0.5, unknown = 0): ReportRow => ({
      day: '2025-06-15',
      model,
      surface: 'panel',
      totals: { ...emptyTotals(), requests: 1, costUsd, unknownCostRequests: unknown },
    });
    const lines = toCsv([
      row('my,model'),
      row('say "hi"'),
      row('two\nlines'),
      row('=HYPERLINK("x")'),
      row('local', 0, 1),
    ]).split('\r\n');
    assert.ok(lines[1].startsWith('2025-06-15,"my,model",panel,1,'));
    assert.ok(lines[2].startsWith('2025-06-15,"say ""hi""",panel,1,'));
    assert.ok(lines[3].startsWith('2025-06-15,"two\nlines",panel,1,'));
    assert.ok(lines[4].startsWith(`2025-06-15,"'=HYPERLINK(""x"")",panel,1,`));
    assert.equal(lines[5], '2025-06-15,local,panel,1,0,0,0,,1,0,0,0', 'every price unknown: cost left empty, not 0');
    assert.equal(lines[6], '');
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('-1', false), '-1');
  });

  it('writes numbers without exponents or float noise', () => {
    assert.deepEqual([1e-7, 0.30000000000000004, 12, 1e21, -0.0000000000001, Number.NaN].map(plainNumber), [
      '0.0000001',
      '0.3',
      '12',
      '1e+21',
      '0',
      '',
    ]);
  });
});

describe('bar chart SVG', () => {
  const perDay = [
    { day: '2025-06-13', totals: { ...emptyTotals(), requests: 2, costUsd: 0.5 } },
    { day: '2025-06-14', totals: emptyTotals() },
    { day: '2025-06-15', totals: { ...emptyTotals(), requests: 1, costUsd: 0.25 } },
  ];

  it('is accessible: role img, a title and a description, one bar per day with its own tooltip', () => {
    const svg = barChartSvg(perDay);
    assert.match(
      svg,
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*role="img" aria-labelledby="usage-chart-title usage-chart-desc"/,
    );
    assert.ok(svg.includes('<title id="usage-chart-title">Cost per day from Jun 13, 2025 to Jun 15, 2025</title>'));
    assert.ok(
      svg.includes(
        '<desc id="usage-chart-desc">3 days. Total $0.75, 3 requests. Highest: $0.50 on Jun 13, 2025.</desc>',
      ),
    );
    assert.equal(svg.match(/<rect /g)?.length, 3);
    assert.ok(svg.includes('<title>Jun 14, 2025: $0.00, 0 requests</title>'));
    assert.ok(svg.endsWith('</svg>'));
    assert.equal(svg.match(/<title/g)?.length, svg.match(/<\/title>/g)?.length);
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(heights[0], 2 * heights[2]);
    assert.equal(heights[1], 0);
  });

  it('escapes every text and carries no script or handler', () => {
    const svg = barChartSvg([{ day: '<script>alert(1)</script>', totals: emptyTotals() }], {
      title: 'A "b" & <c> \'d\'',
      idPrefix: '"><script>',
      metric: 'tokens',
    });
    assert.ok(!/<script/i.test(svg));
    assert.ok(!/\son\w+=/i.test(svg));
    assert.ok(svg.includes('A &quot;b&quot; &amp; &lt;c&gt; &#39;d&#39;'));
    assert.ok(svg.includes('aria-labelledby="script-title script-desc"'));
    assert.ok(svg.includes('No usage in this period.'));
    assert.equal(escapeXml('a\u0000b<'), 'ab&lt;');
  });

  it('draws an empty period', () => {
    const svg = barChartSvg([]);
    assert.ok(svg.includes('<title id="usage-chart-title">Cost per day</title>'));
    assert.equal(svg.match(/<rect /g), null);
  });
});
