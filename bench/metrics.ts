// What recording request metrics adds to a reply (issue #14: ≤ 1 % of a cache-hit reply's time, the fastest reply
// there is). The real ChatService serves the same question from a memory cache, with and without the metrics hook
// (makeRequestMetric and MetricsStore.append into a fresh folder, queued as the host does), interleaved. Also the
// recording's own time, write included, which runs after the reply was shown.
//   node --import tsx bench/metrics.ts [--runs 400]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenAIChatClient } from '../src/core/api/openaiClient';
import { DEFAULT_RETRY_POLICY } from '../src/core/api/retry';
import { DEFAULT_TIMEOUTS } from '../src/core/api/streamWatchdog';
import { MemoryStore } from '../src/core/cache/memoryStore';
import { ResponseCache } from '../src/core/cache/responseCache';
import type { ChatSink } from '../src/core/chat/chatInterfaces';
import { ChatService } from '../src/core/chat/chatService';
import { ConversationStore } from '../src/core/conversations/store';
import { makeRequestMetric, type FinishedRequest } from '../src/core/metrics/makeMetric';
import { MetricsStore } from '../src/core/metrics/metricsStore';
import { silentLogger, systemClock } from '../src/core/ports';
import { resolveModel } from '../src/core/tokens/models';
import { Tokenizers } from '../src/core/tokens/tokenizers';
import { FakeOpenAIServer } from '../test/support/fakeOpenAI';

export interface MetricsBench {
  runs: number;
  /** Until the panel is told `done` (what the user waits for). */
  plainDoneMs: number;
  recordedDoneMs: number;
  /** Until send() resolves (the reply saved, the record made). */
  plainMs: number;
  recordedMs: number;
  overheadPct: number;
  recordSyncMs: number;
  recordWithWriteMs: number;
}

let doneAt = 0;
const sink: ChatSink = {
  started() {},
  delta() {},
  done() {
    doneAt = performance.now();
  },
  error() {},
  removed() {},
  retrying() {},
  notice() {},
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchMetrics(runs = 400): Promise<MetricsBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-metrics-'));
  const server = await FakeOpenAIServer.start();
  let n = 0;
  try {
    const cache = new ResponseCache({ mode: 'always', store: new MemoryStore(), clock: systemClock });
    const metrics = new MetricsStore({ dir: path.join(dir, 'metrics'), retentionDays: () => 30 });
    let pending: Promise<unknown> = Promise.resolve();
    const record = (f: FinishedRequest) => {
      const r = makeRequestMetric(f);
      pending = pending.then(() => metrics.append(r));
    };
    const make = (hook: boolean) =>
      new ChatService({
        client: new OpenAIChatClient(),
        endpoint: async () => ({ baseUrl: server.baseUrl, apiKey: 'sk-bench-key-000000' }),
        tokenizers: new Tokenizers(),
        resolveModel: (id) => resolveModel(id),
        store: new ConversationStore({
          root: fs.mkdtempSync(path.join(dir, 'conv-')),
          logger: silentLogger,
          clock: systemClock,
          newId: (p) => `${p}${n++}`,
        }),
        cache,
        settings: () => ({
          model: 'gpt-4o-mini',
          systemPrompt: 'Be brief.',
          maxReplyTokens: 1000,
          retryPolicy: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 },
          timeouts: DEFAULT_TIMEOUTS,
        }),
        logger: silentLogger,
        clock: systemClock,
        newId: (p) => `${p}${n++}`,
        ...(hook ? { onRequestFinished: record } : {}),
      });
    const plain = make(false);
    const recorded = make(true);
    const question = 'What does a cache hit cost? '.repeat(20);
    await plain.send('prime', question, sink); // the one API request: every later send is a cache hit
    const times: Record<'plain' | 'recorded', number[]> = { plain: [], recorded: [] };
    const toDone: Record<'plain' | 'recorded', number[]> = { plain: [], recorded: [] };
    for (let i = 0; i < runs + 20; i++) {
      for (const [name, service] of (i % 2
        ? [
            ['plain', plain],
            ['recorded', recorded],
          ]
        : [
            ['recorded', recorded],
            ['plain', plain],
          ]) as ['plain' | 'recorded', ChatService][]) {
        service.clear();
        const start = performance.now();
        await service.send(`q${i}${name}`, question, sink);
        if (i < 20) continue; // the first 20 warm up
        times[name].push(performance.now() - start);
        toDone[name].push(doneAt - start);
      }
      await pending;
    }
    if (server.requests.length !== 1) throw new Error(`expected one API request, saw ${server.requests.length}`);
    const sample: FinishedRequest = {
      requestId: 'x',
      model: 'gpt-4o-mini',
      baseUrl: server.baseUrl,
      startedAt: Date.now(),
      endedAt: Date.now() + 5,
      outcome: 'complete',
      cacheHit: true,
      attempts: [],
    };
    const syncStart = performance.now();
    for (let i = 0; i < runs; i++) makeRequestMetric({ ...sample, requestId: `s${i}` });
    const recordSyncMs = (performance.now() - syncStart) / runs;
    const writeStart = performance.now();
    for (let i = 0; i < runs; i++) await metrics.append(makeRequestMetric({ ...sample, requestId: `w${i}` }));
    const recordWithWriteMs = (performance.now() - writeStart) / runs;
    const plainMs = median(times.plain);
    const recordedMs = median(times.recorded);
    return {
      runs,
      plainDoneMs: median(toDone.plain),
      recordedDoneMs: median(toDone.recorded),
      plainMs,
      recordedMs,
      overheadPct: ((recordedMs - plainMs) / plainMs) * 100,
      recordSyncMs,
      recordWithWriteMs,
    };
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function metricsTable(b: MetricsBench): string {
  const ms = (x: number) => x.toFixed(3);
  return [
    `### Request metrics: a cache-hit reply through ChatService, ${b.runs} interleaved sends each (median)`,
    '',
    '| | ms |',
    '|---|---|',
    `| until \`done\`, no recording | ${ms(b.plainDoneMs)} |`,
    `| until \`done\`, recorded | ${ms(b.recordedDoneMs)} |`,
    `| whole send (reply saved), no recording | ${ms(b.plainMs)} |`,
    `| whole send (reply saved), recorded | ${ms(b.recordedMs)} |`,
    `| difference, whole send (goal ≤ 1 %) | ${(b.recordedMs - b.plainMs).toFixed(3)} (${b.overheadPct.toFixed(1)} %) |`,
    `| making the record (on the reply path), mean | ${ms(b.recordSyncMs)} |`,
    `| making and appending it (after the reply), mean | ${ms(b.recordWithWriteMs)} |`,
  ].join('\n');
}

if (require.main === module) {
  const runs = Number(process.argv.find((_, i) => process.argv[i - 1] === '--runs') ?? 400);
  void benchMetrics(runs).then((b) => console.log(metricsTable(b)));
}
