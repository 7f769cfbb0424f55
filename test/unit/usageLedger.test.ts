import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Clock, Logger } from '../../src/core/ports';
import { monthFilter, todayFilter } from '../../src/core/usage/periods';
import { makeUsageRecord, serializeUsageRecord, type UsageRecord } from '../../src/core/usage/records';
import { UsageLedger } from '../../src/core/usage/ledger';

/** A clock set by hand, in local time. */
class TestClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
  set(y: number, m: number, d: number, h = 12, min = 0): void {
    this.t = new Date(y, m - 1, d, h, min).getTime();
  }
}

function warnings(): Logger & { warns: string[] } {
  const warns: string[] = [];
  const none = () => {};
  return {
    warns,
    trace: none,
    debug: none,
    info: none,
    error: none,
    warn: (m: string) => {
      warns.push(m);
    },
  };
}

let seq = 0;
const rec = (clock: Clock, over: Partial<UsageRecord> & { usage?: [number, number, number?] } = {}): UsageRecord => {
  const [promptTokens, completionTokens, cachedPromptTokens] = over.usage ?? [1000, 100];
  return {
    ...makeUsageRecord({
      id: `r${++seq}`,
      at: clock.now(),
      workspace: over.workspace ?? 'ws1',
      model: over.model ?? 'gpt-4o-mini',
      usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedPromptTokens },
    }),
    ...(over.id ? { id: over.id } : {}),
  };
};

describe('usage ledger', () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-usage-'));
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  function setup(): { dir: string; clock: TestClock; logger: Logger & { warns: string[] }; open: () => UsageLedger } {
    const dir = path.join(root, `l${++n}`, 'usage');
    const clock = new TestClock(new Date(2025, 5, 15, 12, 0).getTime());
    const logger = warnings();
    return { dir, clock, logger, open: () => new UsageLedger({ dir, clock, logger }) };
  }
  const file = (dir: string, month: string) => path.join(dir, `usage-${month}.jsonl`);

  it('keeps its totals across a restart (a new instance reading the folder)', async () => {
    const { clock, logger, open } = setup();
    const a = open();
    await a.load();
    assert.equal(await a.append(rec(clock, { usage: [1000, 500, 400], model: 'gpt-4o' })), true);
    assert.equal(await a.append(rec(clock, { model: 'mystery' })), true);
    clock.t += 3_600_000;
    assert.equal(await a.append(rec(clock, { workspace: 'ws2' })), true);
    const before = {
      all: a.totals(),
      today: a.totals(todayFilter(clock.now())),
      byModel: a.totalsByModel(),
      buckets: a.buckets(),
      ws2: a.totals({ workspace: 'ws2' }),
    };
    assert.equal(before.all.requests, 3);
    assert.equal(before.all.unknownCostRequests, 1);
    assert.deepEqual(a.sessionTotals(), before.all);

    const b = open();
    await b.load();
    assert.deepEqual(
      {
        all: b.totals(),
        today: b.totals(todayFilter(clock.now())),
        byModel: b.totalsByModel(),
        buckets: b.buckets(),
        ws2: b.totals({ workspace: 'ws2' }),
      },
      before,
    );
    assert.equal(b.sessionTotals().requests, 0, 'a new session');
    assert.equal(b.snapshot('ws2').spent.workspaceToday, before.ws2.costUsd);
    assert.deepEqual(logger.warns, []);
  });

  it('does not count its own records twice when reading them back', async () => {
    const { clock, open } = setup();
    const a = open();
    await a.load();
    for (let i = 0; i < 3; i++) await a.append(rec(clock));
    await a.refresh();
    await a.refresh();
    assert.equal(a.totals().requests, 3);
    await a.load();
    assert.equal(a.totals().requests, 3);
  });

  it('two instances (two windows) appending at once: every record is there, none torn', async () => {
    const { dir, clock, logger, open } = setup();
    const [a, b] = [open(), open()];
    await Promise.all([a.load(), b.load()]);
    await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 ? a : b).append(rec(clock))));
    await Promise.all([a.refresh(), b.refresh()]);
    assert.equal(a.totals().requests, 400);
    assert.equal(b.totals().requests, 400);
    assert.equal(a.sessionTotals().requests, 200);
    const lines = (await fs.readFile(file(dir, '2025-06'), 'utf8')).split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(new Set(lines.map((l) => (JSON.parse(l) as UsageRecord).id)).size, 400);
    assert.deepEqual(logger.warns, []);
  });

  it('another process appending while this one appends and refreshes: all lines whole', async () => {
    const { dir, clock, logger, open } = setup();
    const a = open();
    await a.load();
    const modules = {
      ledger: path.resolve(__dirname, '../../src/core/usage/ledger.ts'),
      usage: path.resolve(__dirname, '../../src/core/usage/records.ts'),
    };
    const script = `
      const { UsageLedger } = require(${JSON.stringify(modules.ledger)});
      const { makeUsageRecord } = require(${JSON.stringify(modules.usage)});
      const clock = { now: () => ${clock.now()}, sleep: async () => {} };
      const ledger = new UsageLedger({ dir: ${JSON.stringify(dir)}, clock });
      (async () => {
        for (let i = 0; i < 300; i++) {
          const ok = await ledger.append(makeUsageRecord({ id: 'child' + i, at: ${clock.now()}, workspace: 'ws-child',
            model: 'gpt-4o', usage: { promptTokens: 10, completionTokens: 1, totalTokens: 11 } }));
          if (!ok) throw new Error('append failed');
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let done = false;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() => {
      done = true;
    });
    let mine = 0;
    while (!done || mine < 300) {
      await a.append(rec(clock));
      if (++mine % 10 === 0) await a.refresh();
    }
    assert.equal(await exited, 0, stderr);
    await a.refresh();
    assert.equal(a.totals().requests, mine + 300);
    assert.equal(a.totals({ workspace: 'ws-child' }).requests, 300);
    const owners = (await fs.readFile(file(dir, '2025-06'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as UsageRecord).workspace);
    const firstChild = owners.indexOf('ws-child');
    assert.ok(
      owners.slice(firstChild, owners.lastIndexOf('ws-child')).includes('ws1'),
      'the two processes interleaved',
    );
    assert.equal(a.stats().skippedLines, 0);
    const fresh = open();
    await fresh.load();
    assert.deepEqual(fresh.totals(), a.totals());
    assert.deepEqual(logger.warns, []);
  });

  it('skips a corrupt line and a torn last line, counts them, and keeps every good line', async () => {
    const { dir, clock, logger, open } = setup();
    await fs.mkdir(dir, { recursive: true });
    const [r1, r2, r3] = [rec(clock, { id: 'g1' }), rec(clock, { id: 'g2' }), rec(clock, { id: 'g3' })];
    const torn = serializeUsageRecord(rec(clock, { id: 'torn' })).slice(0, 40);
    await fs.writeFile(
      file(dir, '2025-06'),
      [
        serializeUsageRecord(r1),
        '{"v":1,"id":"bad", oops',
        '\u0000\u0000garbage',
        serializeUsageRecord(r2),
        serializeUsageRecord(r3),
        torn,
      ].join('\n'),
    );
    const a = open();
    await a.load();
    assert.equal(a.totals().requests, 3);
    assert.equal(a.stats().skippedLines, 2);
    assert.equal(a.stats().pendingBytes, Buffer.byteLength(torn), 'the unfinished last line waits');
    assert.equal(logger.warns.length, 1);
    assert.match(logger.warns[0], /skipped 2 unreadable lines in usage-2025-06\.jsonl/);

    // The next append (another window's) is glued to the torn fragment: the record survives, the fragment is counted.
    const b = open();
    await b.append(rec(clock, { id: 'after' }));
    await a.refresh();
    assert.equal(a.totals().requests, 4);
    assert.equal(a.stats().skippedLines, 3);
    assert.equal(a.stats().pendingBytes, 0);
    const c = open();
    await c.load();
    assert.equal(c.totals().requests, 4);
    assert.equal(c.stats().skippedLines, 3);
  });

  it('refresh reads only the bytes appended since the last read', async () => {
    const { dir, clock, open } = setup();
    const a = open();
    const b = open();
    await b.append(rec(clock));
    await b.append(rec(clock));
    await a.load();
    assert.equal(a.totals().requests, 2);
    // Overwrite the lines already read, same length: a full re-read would now skip them, an incremental one can't see it.
    const text = await fs.readFile(file(dir, '2025-06'), 'utf8');
    await fs.writeFile(file(dir, '2025-06'), text.replace(/[^\n]/g, 'x'));
    await b.append(rec(clock));
    await a.refresh();
    assert.equal(a.totals().requests, 3, 'old lines not read again, the new one read');
    assert.equal(a.stats().skippedLines, 0);
    await a.load();
    assert.equal(a.totals().requests, 1, 'a full load does read everything again');
    assert.equal(a.stats().skippedLines, 2);
  });

  it('reads a replaced (shorter) file from the start', async () => {
    const { dir, clock, open } = setup();
    const a = open();
    const b = open();
    for (let i = 0; i < 3; i++) await b.append(rec(clock));
    await a.load();
    await fs.writeFile(file(dir, '2025-06'), `${serializeUsageRecord(rec(clock))}\n`);
    await a.refresh();
    assert.equal(a.totals().requests, 1);
  });

  it('creates its folder on the first append and reads an empty or missing folder as no usage', async () => {
    const { dir, clock, open } = setup();
    const a = open();
    await a.load();
    assert.equal(a.totals().requests, 0);
    assert.equal(existsSync(dir), false);
    assert.equal(await a.append(rec(clock)), true);
    assert.equal(existsSync(file(dir, '2025-06')), true);
  });

  it('today and this month follow the clock in local time, across midnight and month ends', async () => {
    const { clock, open } = setup();
    const a = open();
    clock.set(2025, 6, 30, 23, 59);
    await a.append(rec(clock));
    clock.set(2025, 7, 1, 0, 1);
    await a.append(rec(clock, { workspace: 'ws2' }));
    let s = a.snapshot('ws2');
    assert.deepEqual([s.today.requests, s.month.requests, s.session.requests], [1, 1, 2]);
    near(s.spent.workspaceToday, 0.00021);
    clock.set(2025, 6, 30, 23, 59);
    s = a.snapshot('ws2');
    assert.deepEqual([s.today.requests, s.month.requests, s.spent.workspaceMonth], [1, 1, 0]);
    const b = open();
    await b.load();
    assert.equal(b.totals(monthFilter(new Date(2025, 5, 1).getTime())).requests, 1);
    assert.equal(b.totals(monthFilter(new Date(2025, 6, 1).getTime())).requests, 1);
  });

  it('compacts closed months into summaries: old detail removed, totals exact, restart-proof, idempotent', async () => {
    const { dir, clock, logger, open } = setup();
    const a = open();
    const months: [number, number][] = [
      [2025, 1],
      [2025, 2],
      [2025, 3],
      [2025, 4],
    ];
    for (const [y, m] of months) {
      for (let d = 1; d <= 3; d++) {
        clock.set(y, m, d * 9, 10);
        await a.append(rec(clock, { usage: [1000 * d, 100, 200], model: d === 2 ? 'gpt-4o' : 'gpt-4o-mini' }));
        await a.append(rec(clock, { model: 'mystery', workspace: `ws${d}` }));
      }
    }
    clock.set(2025, 4, 20);
    const other = open();
    await other.load();
    const before = { totals: a.totals(), buckets: a.buckets() };
    assert.deepEqual({ totals: other.totals(), buckets: other.buckets() }, before);

    const [c1, c2] = await Promise.all([a.compact(), open().compact()]);
    assert.deepEqual([...new Set([...c1, ...c2])].sort(), ['2025-01', '2025-02']);
    assert.deepEqual((await fs.readdir(dir)).sort(), [
      'usage-2025-01.summary.json',
      'usage-2025-02.summary.json',
      'usage-2025-03.jsonl',
      'usage-2025-04.jsonl',
    ]);
    assert.deepEqual({ totals: a.totals(), buckets: a.buckets() }, before);
    assert.deepEqual(a.stats().summaryMonths, ['2025-01', '2025-02']);

    await other.refresh();
    assert.deepEqual({ totals: other.totals(), buckets: other.buckets() }, before, 'a window that read the detail');
    const fresh = open();
    await fresh.load();
    assert.deepEqual({ totals: fresh.totals(), buckets: fresh.buckets() }, before, 'after a restart');
    assert.deepEqual(await fresh.compact(), []);

    // A crash between writing the summary and deleting the detail: the summary wins, the detail goes next time.
    await fs.writeFile(file(dir, '2025-01'), `${serializeUsageRecord(rec(clock))}\n`);
    await fresh.load();
    assert.deepEqual(fresh.totals(), before.totals);
    assert.deepEqual(await fresh.compact(), ['2025-01']);
    assert.equal(existsSync(file(dir, '2025-01')), false);
    assert.deepEqual(logger.warns, []);
  });

  it('a corrupt summary is reported once and the detail, if still there, is used', async () => {
    const { dir, clock, logger, open } = setup();
    const a = open();
    clock.set(2025, 1, 5);
    await a.append(rec(clock));
    clock.set(2025, 6, 5);
    await fs.writeFile(path.join(dir, 'usage-2025-01.summary.json'), '{"v":1,"month":"2025-01","buckets":[{"day":1}]}');
    const b = open();
    await b.load();
    await b.refresh();
    assert.equal(b.totals().requests, 1);
    assert.equal(logger.warns.filter((w) => w.includes('summary')).length, 1);
    assert.deepEqual(await b.compact(), ['2025-01'], 'compaction writes a good summary over it');
    const c = open();
    await c.load();
    assert.equal(c.totals().requests, 1);
  });
});

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-11, `${actual} != ${expected}`);
}
