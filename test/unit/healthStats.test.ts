import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEGRADED_THRESHOLDS, degradedToNotify, detectDegraded } from '../../src/core/metrics/degraded';
import { healthReport } from '../../src/core/metrics/healthStats';
import { healthHtml } from '../../src/core/metrics/healthHtml';
import type { RequestMetric } from '../../src/core/metrics/requestMetric';
import { requestMetricAt as req } from '../support/requestMetrics';

const NOW = new Date(2026, 5, 30, 18, 0).getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('health report', () => {
  it('figures for a known set: percentiles, error rate by kind, retries, cache hits and money saved', () => {
    const t = NOW - 2 * HOUR;
    const records = [
      ...Array.from({ length: 20 }, (_, i) => req(t + i * 1000, { ms: (i + 1) * 100, ttft: (i + 1) * 10 })),
      req(t + 30_000, { outcome: 'failed', errorKind: 'server', ms: 50 }),
      req(t + 31_000, { outcome: 'failed', errorKind: 'rateLimited', ms: 50 }),
      req(t + 32_000, { outcome: 'interrupted', errorKind: 'timeout', ms: 5000 }),
      req(t + 33_000, { outcome: 'stopped', ms: 90_000 }),
      req(t + 34_000, { cacheHit: true, ms: 2, savedUsd: 0.25 }),
      req(t + 35_000, { cacheHit: true, ms: 3, savedUsd: 0.5 }),
      req(t + 36_000, { model: 'gpt-4o', ms: 400 }),
      req(NOW - 3 * DAY, { ms: 1 }),
    ];
    const r = healthReport(records, { fromMs: NOW - DAY, toMs: NOW, model: 'gpt-4o-mini' });
    assert.deepEqual(r.models, ['gpt-4o', 'gpt-4o-mini']);
    assert.equal(r.requests, 26);
    assert.equal(r.apiRequests, 24);
    assert.equal(r.cacheHits, 2);
    assert.equal(r.cacheHitRate, 2 / 26);
    assert.equal(r.savedUsd, 0.75);
    assert.equal(r.errors, 3);
    assert.equal(r.errorRate, 3 / 24);
    assert.deepEqual(r.errorsByKind, [
      { kind: 'rateLimited', count: 1 },
      { kind: 'server', count: 1 },
      { kind: 'timeout', count: 1 },
    ]);
    // 23 latencies (the stopped one left out): 50, 50, 100, 200 … 2000, 5000; nearest ranks 12, 22 and 23
    assert.deepEqual(r.latencyMs, { count: 23, p50: 1000, p95: 2000, p99: 5000 });
    assert.equal(r.ttftMs.count, 21, 'the 20, and the stopped reply that had text');
    assert.equal(r.stopped, 1);
    assert.equal(r.slowest[0].durationMs, 90_000);
    assert.equal(r.slowest.length, 10);
    assert.equal(r.overTime.length, 25, 'hourly for one day');
    assert.equal(
      r.overTime.reduce((n, b) => n + b.ok + b.errors + b.cacheHits, 0),
      26,
    );
    // 90 tokens over (ms - ttft) = k × 90 ms: 1000/k tokens/s for k = 1..20, and ~1 for the stopped reply; rank 11
    assert.equal(r.outputTokensPerS.p50, 90.9);
  });

  it('a week is counted per day, and an empty period has no rates', () => {
    const r = healthReport([], { fromMs: NOW - 6 * DAY, toMs: NOW });
    assert.equal(r.overTime.length, 7);
    assert.equal(r.errorRate, undefined);
    assert.equal(r.cacheHitRate, undefined);
    assert.deepEqual(r.latencyMs, { count: 0 });
  });

  it('the page escapes text, labels its controls and has a caption on every table', () => {
    const r = healthReport([req(NOW - HOUR, { model: '<img src=x onerror=alert(1)>' })], {
      fromMs: NOW - DAY,
      toMs: NOW,
    });
    const html = healthHtml(r, {
      cspSource: 'vscode-resource:',
      cssUris: ['x.css'],
      nonce: 'abc',
      days: 1,
      dayChoices: [1, 7],
    });
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes("script-src 'nonce-abc'"));
    assert.equal((html.match(/<table /g) ?? []).length, (html.match(/<caption>/g) ?? []).length);
    assert.ok(html.includes('<label for="period">') && html.includes('<label for="model">'));
    assert.ok(html.includes('<desc id="over-time-desc">1 request in 25 periods'));
  });
});

describe('degraded detection', () => {
  const baseline = (errorsEvery = 0): RequestMetric[] =>
    Array.from({ length: 7 * 10 }, (_, i) =>
      req(NOW - DAY - Math.floor(i / 10) * DAY - (i % 10) * HOUR, {
        ms: 1000 + (i % 10) * 100,
        ...(errorsEvery && i % errorsEvery === 0 ? { outcome: 'failed' as const, errorKind: 'server' as const } : {}),
      }),
    );
  const today = (n: number, over: Parameters<typeof req>[1] = {}) =>
    Array.from({ length: n }, (_, i) => req(NOW - (i + 1) * 60_000, over));

  it('an error rate well above the last 7 days is pointed out', () => {
    const d = detectDegraded(
      [...baseline(35), ...today(6), ...today(4, { outcome: 'failed', errorKind: 'server' })],
      NOW,
    );
    assert.ok(d);
    assert.equal(d.errorRate, true);
    assert.equal(d.latency, false);
    assert.equal(d.today.errorRate, 0.4);
    assert.match(d.message, /40% of requests failed \(last 7 days: 3%\)/);
  });

  it('a p95 latency well above the last 7 days is pointed out; slightly above is not', () => {
    const slow = detectDegraded([...baseline(), ...today(10, { ms: 6000 })], NOW);
    assert.equal(slow?.latency, true);
    assert.match(slow?.message ?? '', /p95 latency is 6\.0 s \(last 7 days: 1\.9 s\)/);
    // 2× the baseline's p95 (1.9 s) but not 2 s above it
    assert.equal(detectDegraded([...baseline(), ...today(10, { ms: 3800 })], NOW), undefined);
  });

  it('too few requests today or in the baseline: nothing is judged', () => {
    const failing = today(DEGRADED_THRESHOLDS.minTodayRequests - 1, { outcome: 'failed', errorKind: 'server' });
    assert.equal(detectDegraded([...baseline(), ...failing], NOW), undefined);
    const allFailing = today(10, { outcome: 'failed', errorKind: 'server' });
    assert.equal(detectDegraded([...baseline().slice(0, 19), ...allFailing], NOW), undefined);
    assert.ok(detectDegraded([...baseline().slice(0, 20), ...allFailing], NOW));
  });

  it('pointed out once per day: not again the same day, again the next day', () => {
    const records = [...baseline(), ...today(10, { outcome: 'failed', errorKind: 'server' })];
    const first = degradedToNotify(records, NOW, undefined);
    assert.ok(first);
    assert.equal(degradedToNotify(records, NOW + HOUR, first.day), undefined);
    assert.ok(degradedToNotify(records, NOW + HOUR, '2026-06-29'), 'pointed out yesterday: again today');
  });
});
