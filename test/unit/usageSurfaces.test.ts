// Usage by surface (issue #16 item 3): records carry where they came from, old ledger lines and summaries read as the
// panel's, totals and the report split and filter by surface, and the CSV names it.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger, systemClock } from '../../src/core/ports';
import { UsageLedger } from '../../src/core/usage/ledger';
import { parseSummary, serializeSummary } from '../../src/core/usage/ledgerFiles';
import {
  makeUsageRecord,
  parseLines,
  parseUsageRecord,
  serializeUsageRecord,
  type UsageRecord,
} from '../../src/core/usage/records';
import { reportData } from '../../src/core/usage/report';
import { surfaceOf, type UsageSurface } from '../../src/core/usage/surfaces';
import { totalsBySurface, UsageBuckets } from '../../src/core/usage/totals';
import { toCsv } from '../../src/core/usage/usageCsv';

const NOW = new Date(2025, 5, 15, 12).getTime();
const rec = (id: string, surface: UsageSurface | undefined, completionTokens = 100): UsageRecord =>
  makeUsageRecord({
    id,
    at: NOW,
    workspace: 'ws',
    model: 'gpt-4o-mini',
    ...(surface ? { surface } : {}),
    usage: { promptTokens: 1000, completionTokens, totalTokens: 1000 + completionTokens },
  });
const roundTrip = (r: UsageRecord) => parseUsageRecord(JSON.parse(serializeUsageRecord(r)));

describe('usage records by surface', () => {
  it('round-trips with a surface and without one', () => {
    const agent = rec('u1', 'agent');
    assert.equal(agent.surface, 'agent');
    assert.deepEqual(roundTrip(agent), agent);
    const plain = rec('u2', undefined);
    assert.equal('surface' in plain, false);
    assert.deepEqual(roundTrip(plain), plain);
  });

  it('reads a line written before surfaces existed as the panel', () => {
    const old =
      '{"v":1,"id":"u-old","at":1749981600000,"workspace":"ws","model":"gpt-4o","promptTokens":10,' +
      '"cachedPromptTokens":0,"completionTokens":5,"costUsd":0.0001,"estimated":false,"cacheHit":false}';
    const { records, skipped } = parseLines(`${old}\n`);
    assert.equal(skipped, 0);
    assert.equal(records[0].surface, undefined);
    assert.equal(surfaceOf(records[0].surface), 'panel');
    const buckets = new UsageBuckets();
    buckets.addRecord(records[0]);
    assert.deepEqual(
      buckets.list().map((b) => b.surface),
      ['panel'],
    );
  });

  it('keeps a record whose surface it does not know, without the surface; other bad fields still reject it', () => {
    const line = { ...rec('u3', 'chatView'), surface: 'hologram' };
    const parsed = parseUsageRecord(line);
    assert.ok(parsed, 'the record (and its cost) is kept');
    assert.equal('surface' in parsed, false);
    assert.equal(parsed.id, 'u3');
    assert.equal(parseUsageRecord({ ...rec('u4', 'agent'), promptTokens: -1 }), undefined);
  });
});

describe('totals and report by surface', () => {
  const records = [
    rec('a', 'panel', 100),
    rec('b', 'action', 200),
    rec('c', 'chatView', 300),
    rec('d', 'chatView', 400),
    rec('e', 'agent', 500),
    rec('f', undefined, 600),
  ];

  it('sums per surface, every surface listed in a fixed order, old records with the panel', () => {
    const buckets = new UsageBuckets();
    for (const r of records) buckets.addRecord(r);
    assert.deepEqual(
      totalsBySurface(buckets.values()).map((s) => [s.surface, s.totals.requests, s.totals.tokensOut]),
      [
        ['panel', 2, 700],
        ['action', 1, 200],
        ['chatView', 2, 700],
        ['agent', 1, 500],
      ],
    );
    assert.deepEqual(
      totalsBySurface(buckets.values(), { model: 'other' }).map((s) => s.totals.requests),
      [0, 0, 0, 0],
    );
  });

  it('the report filters rows, days, models and totals by surface; the per-surface table stays whole', () => {
    const all = reportData(records, { now: NOW, days: 7 });
    assert.equal(all.surface, undefined);
    assert.equal(all.total.requests, 6);
    assert.deepEqual(
      all.rows.map((r) => r.surface),
      ['panel', 'action', 'chatView', 'agent'],
    );
    const chat = reportData(records, { now: NOW, days: 7, surface: 'chatView' });
    assert.equal(chat.surface, 'chatView');
    assert.equal(chat.total.requests, 2);
    assert.equal(chat.total.tokensOut, 700);
    assert.deepEqual(
      chat.rows.map((r) => [r.surface, r.totals.requests]),
      [['chatView', 2]],
    );
    assert.equal(chat.perDay.at(-1)?.totals.requests, 2);
    assert.equal(chat.perModel[0].totals.requests, 2);
    assert.deepEqual(
      chat.perSurface.map((s) => s.totals.requests),
      [2, 1, 2, 1],
    );
    assert.deepEqual(chat.perSurface, all.perSurface);
  });

  it('the CSV has one line per day × model × surface with the surface named', () => {
    const lines = toCsv(reportData(records, { now: NOW, days: 1 }).rows)
      .trim()
      .split('\r\n');
    assert.equal(lines[0].split(',')[2], 'surface');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',').slice(1, 4)),
      [
        ['gpt-4o-mini', 'panel', '2'],
        ['gpt-4o-mini', 'action', '1'],
        ['gpt-4o-mini', 'chatView', '2'],
        ['gpt-4o-mini', 'agent', '1'],
      ],
    );
  });
});

describe('ledger files by surface', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });

  it('a compacted summary keeps the surface; an old summary without one reads as the panel', () => {
    const buckets = new UsageBuckets();
    for (const r of [rec('a', 'agent'), rec('b', undefined)]) buckets.addRecord(r);
    const month = '2025-06';
    const parsed = parseSummary(JSON.parse(serializeSummary(month, NOW, 2, 0, buckets.list())), month);
    assert.deepEqual(
      parsed?.map((b) => b.surface),
      ['panel', 'agent'],
    );
    const old = JSON.parse(serializeSummary(month, NOW, 2, 0, buckets.list())) as { buckets: object[] };
    for (const b of old.buckets) delete (b as { surface?: string }).surface;
    assert.deepEqual(
      parseSummary(old, month)?.map((b) => [b.surface, b.totals.requests]),
      [
        ['panel', 1],
        ['panel', 1],
      ],
    );
  });

  it('a ledger file with old and new lines totals by surface', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-surface-'));
    dirs.push(dir);
    const clock = { ...systemClock, now: () => NOW };
    const writer = new UsageLedger({ dir, clock, logger: silentLogger });
    await writer.append(rec('w1', 'chatView'));
    await writer.append(rec('w2', undefined));
    const reader = new UsageLedger({ dir, clock, logger: silentLogger });
    await reader.refresh();
    assert.deepEqual(
      totalsBySurface(reader.buckets()).map((s) => [s.surface, s.totals.requests]),
      [
        ['panel', 1],
        ['action', 0],
        ['chatView', 1],
        ['agent', 0],
      ],
    );
  });
});
