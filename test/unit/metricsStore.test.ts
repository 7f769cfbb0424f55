import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { healthReport } from '../../src/core/metrics/healthStats';
import { makeRequestMetric } from '../../src/core/metrics/makeMetric';
import { dayFileName, MetricsStore } from '../../src/core/metrics/metricsStore';
import { serializeRequestMetric, type RequestMetric } from '../../src/core/metrics/requestMetric';
import type { Clock } from '../../src/core/ports';
import { recordingLogger } from '../support/recordingLogger';

class TestClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

const DAY = 86_400_000;
const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

async function setup(retentionDays = 30) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-metrics-'));
  dirs.push(dir);
  const clock = new TestClock(new Date(2026, 5, 30, 12, 0).getTime());
  const logger = recordingLogger();
  const open = () => new MetricsStore({ dir, clock, logger, retentionDays: () => retentionDays });
  return { dir, clock, logger, open };
}

let seq = 0;
const metric = (time: number, over: Partial<RequestMetric> = {}): RequestMetric => ({
  ...makeRequestMetric({
    requestId: `q${++seq}`,
    model: 'gpt-4o-mini',
    baseUrl: 'https://api.openai.com/v1',
    startedAt: time,
    endedAt: time + 1000,
    outcome: 'complete',
    cacheHit: false,
    attempts: [{ requestId: 'x', attempt: 1, waitBeforeMs: 0, startedAt: time, latencyMs: 1000, status: 200 }],
    usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
    costUsd: 0.5,
  }),
  ...over,
});

describe('metrics store', () => {
  it('records are found again by a fresh instance, per local day of their start', async () => {
    const { dir, clock, open } = await setup();
    const a = open();
    assert.equal(await a.append(metric(clock.now() - DAY)), true);
    assert.equal(await a.append(metric(clock.now())), true);
    assert.equal((await a.records()).length, 2, 'the own appends are not counted twice when read back');
    const names = (await fs.readdir(dir)).sort();
    assert.deepEqual(names, [dayFileName('2026-06-29'), dayFileName('2026-06-30')]);
    const b = open();
    assert.equal((await b.records(clock.now() - 1000)).length, 1);
    assert.equal((await b.records()).length, 2);
  });

  it('bounded growth: beyond the retention records are gone, totals of kept days unchanged', async () => {
    const { dir, clock, open } = await setup(7);
    const store = open();
    const start = clock.now() - 20 * DAY;
    for (let d = 0; d <= 20; d++) for (let i = 0; i < 3; i++) await store.append(metric(start + d * DAY + i * 1000));
    const keptFrom = new Date(2026, 5, 24).getTime();
    const before = healthReport(await open().records(keptFrom), { fromMs: keptFrom, toMs: clock.now() + DAY });
    assert.equal(before.requests, 21, 'seven days of three');
    assert.equal((await store.records()).length, 21, 'older records are ignored before pruning');
    const gone = await store.prune();
    assert.equal(gone.length, 14);
    assert.equal((await fs.readdir(dir)).length, 7);
    const fresh = open();
    const afterPrune = healthReport(await fresh.records(), { fromMs: 0, toMs: clock.now() + DAY });
    assert.equal(afterPrune.requests, before.requests);
    assert.equal(afterPrune.costUsd, before.costUsd);
    assert.deepEqual(
      afterPrune.overTime.filter((b) => b.ok > 0).map((b) => [b.label, b.ok]),
      before.overTime.filter((b) => b.ok > 0).map((b) => [b.label, b.ok]),
    );
    assert.deepEqual(await fresh.prune(), [], 'pruning again finds nothing to do');
  });

  it('two instances appending at once lose nothing', async () => {
    const { clock, open, logger } = await setup();
    const a = open();
    const b = open();
    const writes: Promise<boolean>[] = [];
    for (let i = 0; i < 200; i++)
      writes.push(a.append(metric(clock.now(), { id: `a${i}` })), b.append(metric(clock.now(), { id: `b${i}` })));
    assert.ok((await Promise.all(writes)).every(Boolean));
    for (const s of [a, b, open()]) {
      const ids = new Set((await s.records()).map((r) => r.id));
      assert.equal(ids.size, 400);
    }
    assert.deepEqual(logger.at('warn'), []);
  });

  it('another process appending while this one appends and reads: all lines whole', async () => {
    const { dir, clock, open, logger } = await setup();
    const store = open();
    const modules = {
      store: path.resolve(__dirname, '../../src/core/metrics/metricsStore.ts'),
      make: path.resolve(__dirname, '../../src/core/metrics/makeMetric.ts'),
    };
    const script = `
      const { MetricsStore } = require(${JSON.stringify(modules.store)});
      const { makeRequestMetric } = require(${JSON.stringify(modules.make)});
      const clock = { now: () => ${clock.now()}, sleep: async () => {} };
      const store = new MetricsStore({ dir: ${JSON.stringify(dir)}, clock, retentionDays: () => 30 });
      (async () => {
        for (let i = 0; i < 300; i++) {
          const ok = await store.append(makeRequestMetric({ requestId: 'child' + i, model: 'm', baseUrl: 'http://127.0.0.1:1',
            startedAt: ${clock.now()}, endedAt: ${clock.now() + 5}, outcome: 'complete', cacheHit: false, attempts: [] }));
          if (!ok) throw new Error('append failed');
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let done = false;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() => (done = true));
    let mine = 0;
    while (!done || mine < 300) {
      await store.append(metric(clock.now(), { id: `mine${mine}` }));
      if (++mine % 10 === 0) await store.records();
    }
    assert.equal(await exited, 0, stderr);
    const ids = (await store.records()).map((r) => r.id);
    assert.equal(new Set(ids).size, mine + 300);
    assert.equal(ids.filter((id) => id.startsWith('child')).length, 300);
    assert.deepEqual(logger.at('warn'), []);
  });

  it('corrupt and torn lines are skipped with one warning; a line still being written waits', async () => {
    const { dir, clock, open, logger } = await setup();
    const good = serializeRequestMetric(metric(clock.now(), { id: 'good' }));
    const glued = serializeRequestMetric(metric(clock.now(), { id: 'glued' }));
    const file = path.join(dir, dayFileName('2026-06-30'));
    await fs.writeFile(file, `${good}\nnot json\n{"v":1,"id":"torn"${glued}\n{"v":1}\n{"v":1,"id":"partial`);
    const store = open();
    assert.deepEqual(
      (await store.records()).map((r) => r.id),
      ['good', 'glued'],
    );
    assert.equal(logger.at('warn').length, 1);
    assert.match(logger.at('warn')[0], /skipped 3 unreadable lines/);
    assert.equal(store.stats().skippedLines, 3);
    await fs.appendFile(file, `${'x'.repeat(3)}\n{oops}\n`);
    await store.records();
    assert.equal(store.stats().skippedLines, 5, 'the finished torn line and the new bad one');
    assert.equal(logger.at('warn').length, 1, 'still one warning for the file');
  });

  it('reads are incremental and size-checked: an oversized file is set aside, not read', async () => {
    const { dir, clock, open, logger } = await setup();
    const store = open();
    await store.append(metric(clock.now()));
    const other = open();
    await other.records();
    const read = other.stats().bytesRead;
    await store.append(metric(clock.now()));
    await other.records();
    assert.ok(other.stats().bytesRead < read * 2 + 10, 'only the new line was read');
    assert.equal(other.stats().bytesRead > read, true);
    const big = path.join(dir, dayFileName('2026-06-29'));
    const handle = await fs.open(big, 'w');
    await handle.truncate(65 * 1024 * 1024);
    await handle.close();
    assert.equal((await open().records()).length, 2);
    assert.ok((await fs.readdir(dir)).some((n) => n.startsWith(`${dayFileName('2026-06-29')}.unreadable-`)));
    assert.equal(logger.at('warn').length, 1);
  });
});
