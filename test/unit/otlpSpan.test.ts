import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttemptRecord } from '../../src/core/api/replyStream';
import { makeRequestMetric, type FinishedRequest } from '../../src/core/metrics/makeMetric';
import { ATTEMPT_EVENT, spanOfMetric } from '../../src/core/metrics/otlpSpan';
import { otlpEndpointRefusal, parseOtlpSettings } from '../../src/core/metrics/otlpSettings';

const T0 = new Date(2026, 5, 10, 12, 0).getTime();

const attempt = (over: Partial<AttemptRecord>): AttemptRecord => ({
  requestId: 'q1',
  attempt: 1,
  waitBeforeMs: 0,
  startedAt: T0,
  latencyMs: 100,
  ...over,
});

// The base URL carries a password, a path and a query with a key: none of it may reach a span.
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

describe('spanOfMetric', () => {
  it('names the span after the model and carries the GenAI attributes of the record', () => {
    const s = spanOfMetric(makeRequestMetric(finished()));
    assert.equal(s.name, 'chat gpt-4o-mini');
    assert.equal(s.startTime, T0);
    assert.equal(s.endTime, T0 + 1000);
    assert.equal(s.status, 'unset');
    assert.deepEqual(s.attributes, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': 'api.example.com',
      'server.port': 8443,
      'url.scheme': 'https',
      'http.response.status_code': 200,
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 40,
      'gen_ai.usage.cache_read.input_tokens': 60,
      'gen_ai.client.operation.time_to_first_chunk': 0.2,
      'tally.output_tokens_per_s': 50,
      'tally.outcome': 'complete',
      'tally.retries': 0,
      'tally.wait_ms': 0,
      'tally.rate_limit_wait_ms': 0,
      'tally.usage_estimated': false,
      'tally.cache_hit': false,
      'tally.cost_usd': 0.001,
    });
  });

  it('never carries the key, the password, the path or the query of the endpoint', () => {
    const text = JSON.stringify(spanOfMetric(makeRequestMetric(finished())));
    for (const secret of ['secret', 'sk-123', '/v1/chat', 'key=', 'frag', 'user'])
      assert.ok(!text.includes(secret), `${secret} in ${text}`);
  });

  it('marks a failed request as an error with its type, and gives each attempt an event at its start', () => {
    const r = makeRequestMetric(
      finished({
        outcome: 'failed',
        errorKind: 'server',
        endedAt: T0 + 2600,
        attempts: [
          attempt({ status: 429, errorKind: 'rateLimited', latencyMs: 100 }),
          attempt({ attempt: 2, status: 500, errorKind: 'server', waitBeforeMs: 2000, latencyMs: 500 }),
        ],
        usage: undefined,
        costUsd: undefined,
      }),
    );
    const s = spanOfMetric(r);
    assert.equal(s.status, 'error');
    assert.equal(s.statusMessage, 'server');
    assert.equal(s.attributes['error.type'], 'server');
    assert.equal(s.attributes['http.response.status_code'], 500);
    assert.equal(s.attributes['tally.retries'], 1);
    assert.equal(s.attributes['tally.rate_limit_wait_ms'], 2000);
    assert.equal('tally.cost_usd' in s.attributes, false);
    assert.deepEqual(
      s.events.map((e) => [e.name, e.time - T0, e.attributes['http.response.status_code'], e.attributes['error.type']]),
      [
        [ATTEMPT_EVENT, 0, 429, 'rateLimited'],
        [ATTEMPT_EVENT, 2100, 500, 'server'],
      ],
    );
  });

  it('a stopped request is not an error; a cache hit has no attempt events', () => {
    assert.equal(spanOfMetric(makeRequestMetric(finished({ outcome: 'stopped' }))).status, 'unset');
    const hit = spanOfMetric(
      makeRequestMetric(finished({ cacheHit: true, attempts: [], costUsd: 0, savedUsd: 0.002 })),
    );
    assert.equal(hit.attributes['tally.cache_hit'], true);
    assert.equal(hit.attributes['tally.saved_usd'], 0.002);
    assert.deepEqual(hit.events, []);
  });
});

describe('OTLP settings', () => {
  it('is off when empty, takes https anywhere and plain http only to this machine', () => {
    assert.deepEqual(parseOtlpSettings(undefined, undefined), { otlp: { endpoint: '', headers: {} }, problems: [] });
    assert.equal(otlpEndpointRefusal('https://collector.example.com/v1/traces'), undefined);
    assert.equal(otlpEndpointRefusal('http://127.0.0.1:4318/v1/traces'), undefined);
    assert.equal(otlpEndpointRefusal('http://[::1]:4318/v1/traces'), undefined);
    assert.match(otlpEndpointRefusal('http://collector.example.com/v1/traces') ?? '', /only to this machine/);
    assert.match(otlpEndpointRefusal('ftp://x/') ?? '', /https/);
    assert.match(otlpEndpointRefusal('https://u:p@x/') ?? '', /password/);
    const refused = parseOtlpSettings(' http://10.0.0.5:4318/v1/traces ', {});
    assert.equal(refused.otlp.endpoint, '');
    assert.equal(refused.problems.length, 1);
    assert.equal(parseOtlpSettings(' https://c.example/v1/traces ', {}).otlp.endpoint, 'https://c.example/v1/traces');
  });

  it('keeps valid headers and drops others without repeating their values', () => {
    const { otlp, problems } = parseOtlpSettings('https://c.example/v1/traces', {
      'x-api-key': 'team-secret-1',
      'bad name': 'team-secret-2',
      'x-split': 'a\r\nInjected: team-secret-3',
      'x-number': 5,
    });
    assert.deepEqual(otlp.headers, { 'x-api-key': 'team-secret-1' });
    assert.equal(problems.length, 3);
    assert.ok(!problems.join('\n').includes('team-secret'), problems.join('\n'));
    assert.equal(parseOtlpSettings('', ['x']).problems.length, 1);
  });
});
