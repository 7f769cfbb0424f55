// A finished request's metric for the health report's tests: one attempt of `ms` (default 1 s) starting at `time`,
// gpt-4o-mini at api.openai.com, 100 tokens in and 90 out (0 when it failed), $0.01; a failed or interrupted
// outcome makes the attempt a 500 of kind `errorKind` (default server); a cache hit has no attempt and costs nothing.
// Anything in `over` replaces the default. Each call gets a new request id.
import { makeRequestMetric, type FinishedRequest } from '../../src/core/metrics/makeMetric';
import type { RequestMetric } from '../../src/core/metrics/requestMetric';

let seq = 0;

export function requestMetricAt(
  time: number,
  over: Partial<FinishedRequest> & { ms?: number; ttft?: number } = {},
): RequestMetric {
  const ms = over.ms ?? 1000;
  const failed = over.outcome === 'failed' || over.outcome === 'interrupted';
  return makeRequestMetric({
    requestId: `q${++seq}`,
    model: 'gpt-4o-mini',
    baseUrl: 'https://api.openai.com/v1',
    startedAt: time,
    endedAt: time + ms,
    outcome: 'complete',
    cacheHit: false,
    attempts: over.cacheHit
      ? []
      : [
          {
            requestId: 'x',
            attempt: 1,
            waitBeforeMs: 0,
            startedAt: time,
            latencyMs: ms,
            status: failed ? 500 : 200,
            ...(failed ? { errorKind: over.errorKind ?? 'server' } : { ttftMs: over.ttft ?? 100 }),
          },
        ],
    usage: { promptTokens: 100, completionTokens: failed ? 0 : 90, totalTokens: 190 },
    costUsd: over.cacheHit ? 0 : 0.01,
    ...over,
  });
}
