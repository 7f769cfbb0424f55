// The usage report's page: the filter by surface (links the page may run, the chosen one marked) and the per-surface
// table, all escaped and script-free.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeUsageRecord, type UsageRecord } from '../../src/core/usage/records';
import { reportData } from '../../src/core/usage/report';
import type { UsageSurface } from '../../src/core/usage/surfaces';
import { FILTER_COMMAND, reportHtml } from '../../src/core/usage/reportHtml';

const NOW = new Date(2025, 5, 15, 12).getTime();
const rec = (id: string, surface: UsageSurface, model = 'gpt-4o-mini'): UsageRecord =>
  makeUsageRecord({
    id,
    at: NOW,
    workspace: 'ws',
    model,
    surface,
    usage: { promptTokens: 1000, completionTokens: 100, totalTokens: 1100 },
  });
const records = [rec('a', 'panel'), rec('b', 'agent', 'gpt-4o'), rec('c', 'agent', 'gpt-4o'), rec('d', 'chatView')];
const page = { cspSource: 'vscode-resource:', cssUri: 'vscode-resource:/media/report.css' };
const html = (surface?: UsageSurface) =>
  reportHtml(reportData(records, { now: NOW, days: 30, ...(surface ? { surface } : {}) }), page);
const tbody = (h: string, id: string) =>
  new RegExp(`<table id="${id}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(h)?.[1] ?? '';
const firstCells = (body: string) => [...body.matchAll(/<tr[^>]*><td class="[^"]+">([^<]*)</g)].map((m) => m[1]);

describe('usage report page by surface', () => {
  it('offers a filter link per surface and all, each running the filter command with its id', () => {
    const h = html();
    const links = [...h.matchAll(/<a href="command:([^"?]+)\?([^"]+)"( aria-current="true")?>([^<]+)<\/a>/g)];
    assert.deepEqual(
      links.map((m) => [m[1], JSON.parse(decodeURIComponent(m[2])) as unknown, m[4]]),
      [
        [FILTER_COMMAND, ['all'], 'All surfaces'],
        [FILTER_COMMAND, ['panel'], 'Panel'],
        [FILTER_COMMAND, ['action'], 'Code action'],
        [FILTER_COMMAND, ['chatView'], 'Chat view'],
        [FILTER_COMMAND, ['agent'], 'Agent'],
      ],
    );
    assert.deepEqual(
      links.filter((m) => m[3]).map((m) => m[4]),
      ['All surfaces'],
      'nothing chosen: all is current',
    );
    assert.match(h, /<nav id="surface-filter" aria-label="Show usage of">/);
    assert.match(h, /all workspaces, all surfaces\./);
    assert.doesNotMatch(h, /<script/i);
  });

  it('shows every surface in the per-surface table and the whole report when nothing is chosen', () => {
    const h = html();
    const body = tbody(h, 'per-surface');
    assert.deepEqual(firstCells(body), ['Panel', 'Code action', 'Chat view', 'Agent']);
    assert.match(body, /<td class="surface">Agent<\/td><td class="num">2<\/td>/);
    assert.deepEqual(firstCells(tbody(h, 'per-model')), ['gpt-4o', 'gpt-4o-mini']);
  });

  it('limited to one surface: its models and totals only, the link and the table row marked', () => {
    const h = html('agent');
    assert.match(h, /all workspaces, Agent only\./);
    assert.match(h, /aria-current="true">Agent<\/a>/);
    assert.doesNotMatch(h, /aria-current="true">All surfaces<\/a>/);
    assert.deepEqual(firstCells(tbody(h, 'per-model')), ['gpt-4o']);
    assert.match(tbody(h, 'per-surface'), /<tr class="chosen" aria-current="true"><td class="surface">Agent<\/td>/);
    assert.match(h, /<dt>Requests<\/dt><dd>2<\/dd>/);
    assert.deepEqual(firstCells(tbody(h, 'per-surface')), ['Panel', 'Code action', 'Chat view', 'Agent']);
  });

  it('is navigable: lang, one main, h1 then h2s, every table captioned with scoped headers, an empty row when empty', () => {
    for (const h of [html(), reportHtml(reportData([], { now: NOW, days: 7 }), page)]) {
      assert.match(h, /<html lang="en-US">/);
      assert.equal(h.match(/<main>/g)?.length, 1);
      assert.deepEqual(
        [...h.matchAll(/<h(\d)[ >]/g)].map((m) => m[1]),
        ['1', '2', '2', '2', '2'],
      );
      const tables = h.match(/<table /g)?.length ?? 0;
      assert.equal(tables, 3);
      assert.equal(h.match(/<table [^>]*>\n<caption>[^<]+<\/caption>/g)?.length, tables);
      assert.equal(h.match(/<th(?! scope="col")[ >]/g), null, 'every header cell has its scope');
      assert.match(h, /<a id="export-csv" href="command:tally\.exportUsageCsv">Export as CSV<\/a>/);
    }
    const empty = reportHtml(reportData([], { now: NOW, days: 7 }), page);
    assert.match(tbody(empty, 'per-model'), /<td colspan="8" class="empty">No usage recorded in this period\.<\/td>/);
  });
});
