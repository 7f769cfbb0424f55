import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttemptRecord } from '../../src/core/api/replyStream';
import { makeRequestMetric, type FinishedRequest } from '../../src/core/metrics/makeMetric';
import { percentileOfSorted, summarize } from '../../src/core/metrics/percentiles';
import {
  originOf,
  originText,
  parseMetricLines,
  parseRequestMetric,
  serializeRequestMetric,
} from '../../src/core/metrics/requestMetric';
import { healthCsv } from '../../src/core/metrics/healthExport';

const T0 = new Date(2026, 5, 10, 12, 0).getTime();

const attempt = (over: Partial<AttemptRecord>): AttemptRecord => ({
  requestId: 'q1',
  attempt: 1,
  waitBeforeMs: 0,
  startedAt: T0,
  latencyMs: 100,
  ...over,
});

const finished = (over: Partial<FinishedRequest> = {}): FinishedRequest => ({
  requestId: 'q1',
  model: 'gpt-4o-mini',
  baseUrl: 'https://user:secret@api.example.com:8443/v1/chat?key=sk-123#frag',
  startedAt: T0,
  endedAt: T0 + 1000,
  outcome: 'complete',
  cacheHit: false,
  attempts: [attempt({ status: 200, latencyMs: 1000, ttftMs: 200 })],
  usage: { promptTokens: 100, completionTokens: 40, totalTokens: 140, cachedPromptTokens: 60 },
  costUsd: 0.001,
  ...over,
});

describe('percentiles (nearest rank)', () => {
  it('matches the worked example: 15, 20, 35, 40, 50', () => {
    const s = [15, 20, 35, 40, 50];
    assert.deepEqual(
      [5, 30, 40, 50, 100].map((p) => percentileOfSorted(s, p)),
      [15, 20, 20, 35, 50],
    );
  });

  it('1..100 gives p50 = 50, p95 = 95, p99 = 99, in any order', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.deepEqual(summarize(values), { count: 100, p50: 50, p95: 95, p99: 99 });
  });

  it('few values: p99 is the largest; none: no percentile; non-finite values left out', () => {
    assert.deepEqual(summarize([300, 100, 200]), { count: 3, p50: 200, p95: 300, p99: 300 });
    assert.deepEqual(summarize([]), { count: 0 });
    assert.deepEqual(summarize([NaN, 5, Infinity]), { count: 1, p50: 5, p95: 5, p99: 5 });
    assert.equal(percentileOfSorted([1, 2], 0), undefined);
  });
});

describe('request metric', () => {
  it('keeps the origin only: no user, password, path, query or fragment', () => {
    const r = makeRequestMetric(finished());
    const line = serializeRequestMetric(r);
    for (const secret of ['secret', 'sk-123', '/v1', 'frag', 'user:']) assert.ok(!line.includes(secret), secret);
    assert.equal(r['server.address'], 'api.example.com');
    assert.equal(r['server.port'], 8443);
    assert.equal(originText(r), 'https://api.example.com:8443');
    assert.equal(originText(originOf('https://api.openai.com/v1')), 'https://api.openai.com');
    assert.equal(originText(originOf('not a url')), '(unknown)');
  });

  it('a 429 with Retry-After then ok: one retry, the wait counted as a rate-limit wait, TTFT from the start', () => {
    const r = makeRequestMetric(
      finished({
        endedAt: T0 + 3000,
        attempts: [
          attempt({ status: 429, errorKind: 'rateLimited', latencyMs: 50 }),
          attempt({ attempt: 2, waitBeforeMs: 2000, startedAt: T0 + 2050, status: 200, latencyMs: 950, ttftMs: 150 }),
        ],
      }),
    );
    assert.equal(r.retries, 1);
    assert.equal(r.waitMs, 2000);
    assert.equal(r.rateLimitWaitMs, 2000);
    assert.equal(r.durationMs, 3000);
    assert.equal(r.ttftMs, 2200);
    assert.equal(r['http.response.status_code'], 200);
    assert.equal(r['error.type'], undefined);
    assert.equal(r.attempts[0]['error.type'], 'rateLimited');
    // 40 tokens over the 800 ms after the first token
    assert.equal(r.outputTokensPerS, 50);
    assert.equal(r['gen_ai.usage.cache_read.input_tokens'], 60);
  });

  it('a failure keeps its kind; a server error retry wait is not a rate-limit wait; a cache hit has no attempts', () => {
    const failed = makeRequestMetric(
      finished({
        outcome: 'failed',
        errorKind: 'server',
        usage: undefined,
        costUsd: undefined,
        attempts: [
          attempt({ status: 500, errorKind: 'server' }),
          attempt({ attempt: 2, waitBeforeMs: 1000, status: 500, errorKind: 'server' }),
        ],
      }),
    );
    assert.equal(failed['error.type'], 'server');
    assert.equal(failed.rateLimitWaitMs, 0);
    assert.equal(failed.waitMs, 1000);
    assert.equal(failed['gen_ai.usage.input_tokens'], 0);
    assert.equal(failed.costUsd, undefined);
    const hit = makeRequestMetric(
      finished({ cacheHit: true, attempts: [], endedAt: T0 + 3, costUsd: 0, savedUsd: 0.01 }),
    );
    assert.equal(hit.cacheHit, true);
    assert.equal(hit.retries, 0);
    assert.equal(hit.ttftMs, 3);
    assert.equal(hit['http.response.status_code'], undefined);
    assert.equal(hit.savedUsd, 0.01);
  });

  it('round-trips through a line and refuses what is not a version-1 metric', () => {
    const r = makeRequestMetric(finished());
    assert.deepEqual(parseRequestMetric(JSON.parse(serializeRequestMetric(r))), r);
    assert.ok(serializeRequestMetric(r).startsWith('{"v":1,"id":'));
    assert.equal(parseRequestMetric({ ...r, v: 2 }), undefined);
    assert.equal(parseRequestMetric({ ...r, durationMs: -1 }), undefined);
    assert.equal(parseRequestMetric({ ...r, outcome: 'weird' }), undefined);
    assert.equal(parseRequestMetric({ ...r, attempts: [{ waitMs: 'x' }] }), undefined);
  });

  it('parses lines, skipping a torn one but keeping the record glued to it', () => {
    const a = serializeRequestMetric(makeRequestMetric(finished({ requestId: 'a' })));
    const b = serializeRequestMetric(makeRequestMetric(finished({ requestId: 'b' })));
    const c = serializeRequestMetric(makeRequestMetric(finished({ requestId: 'c' })));
    const text = [a, `${b.slice(0, 30)}${c}`, 'not json', ''].join('\n');
    const { records, skipped } = parseMetricLines(text);
    assert.deepEqual(
      records.map((r) => r.id),
      ['a', 'c'],
    );
    assert.equal(skipped, 2);
  });

  it('CSV has one line per request with the OpenTelemetry names as headers, formula-safe', () => {
    const csv = healthCsv([makeRequestMetric(finished({ model: '=HYPERLINK("x")' }))]);
    const [header, line] = csv.split('\r\n');
    assert.ok(header.includes('gen_ai.request.model') && header.includes('gen_ai.usage.input_tokens'));
    assert.ok(line.includes(`"'=HYPERLINK(""x"")"`));
    assert.equal(csv.split('\r\n').length, 3);
  });
});
