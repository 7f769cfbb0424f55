// The OTLP export over real HTTP: a collector stand-in on 127.0.0.1 records every request; one chat request's
// metric arrives as one span with its attributes (JSON, as this exporter version sends), with the configured header;
// a failing collector is logged once; nothing is loaded until a record is exported.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { makeRequestMetric } from '../../src/core/metrics/makeMetric';
import { OtlpExporter } from '../../src/core/metrics/otlpExporter';
import type { Logger } from '../../src/core/ports';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const T0 = Date.UTC(2026, 5, 10, 12, 0);
const metric = (over: { outcome?: 'complete' | 'failed' } = {}) =>
  makeRequestMetric({
    requestId: 'q1',
    model: 'gpt-4o-mini',
    baseUrl: 'https://api.example.com/v1?key=sk-abc',
    startedAt: T0,
    endedAt: T0 + 1500,
    outcome: over.outcome ?? 'complete',
    ...(over.outcome === 'failed' ? { errorKind: 'server' as const } : {}),
    cacheHit: false,
    attempts: [
      { requestId: 'q1', attempt: 1, waitBeforeMs: 0, startedAt: T0, latencyMs: 1500, ttftMs: 300, status: 200 },
    ],
    usage: { promptTokens: 12, completionTokens: 7, totalTokens: 19 },
    costUsd: 0.0004,
  });

const memoryLogger = () => {
  const lines: string[] = [];
  const log = (m: string | Error) => void lines.push(String(m));
  const logger: Logger = { trace: log, debug: log, info: log, warn: log, error: log };
  return { logger, lines };
};

describe('OtlpExporter against a collector on 127.0.0.1', () => {
  const received: Received[] = [];
  let status = 200;
  let server: http.Server;
  let endpoint = '';

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads nothing and sends nothing before a record', async () => {
    let loads = 0;
    const { logger } = memoryLogger();
    const exporter = new OtlpExporter({
      endpoint,
      headers: {},
      serviceVersion: '1.2.3',
      logger,
      load: () => {
        loads++;
        return import('../../src/core/metrics/otlpSdk');
      },
    });
    await exporter.flush();
    await exporter.shutdown();
    assert.equal(loads, 0);
    assert.equal(received.length, 0);
  });

  it('sends one chat request as one span with its attributes and the configured header', async () => {
    received.length = 0;
    const { logger, lines } = memoryLogger();
    let loads = 0;
    const exporter = new OtlpExporter({
      endpoint,
      headers: { 'x-team-key': 'team-secret' },
      serviceVersion: '1.2.3',
      logger,
      load: () => {
        loads++;
        return import('../../src/core/metrics/otlpSdk');
      },
    });
    exporter.export(metric());
    await exporter.shutdown();
    assert.equal(loads, 1);
    assert.equal(received.length, 1, 'one POST');
    const [req] = received;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/v1/traces');
    assert.equal(req.headers['x-team-key'], 'team-secret');
    assert.match(String(req.headers['content-type']), /application\/json/);
    const body = JSON.parse(req.body) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: Record<string, unknown> }[] };
        scopeSpans: {
          spans: {
            name: string;
            kind: number;
            startTimeUnixNano: string;
            endTimeUnixNano: string;
            attributes: { key: string; value: Record<string, unknown> }[];
            events: { name: string }[];
            status: { code?: number };
          }[];
        }[];
      }[];
    };
    const spans = body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    assert.equal(spans.length, 1);
    const [span] = spans;
    assert.equal(span.name, 'chat gpt-4o-mini');
    assert.equal(span.kind, 3, 'SPAN_KIND_CLIENT');
    assert.equal(BigInt(span.startTimeUnixNano), BigInt(T0) * 1_000_000n);
    assert.equal(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano), 1_500_000_000n);
    const attrs = Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
    assert.equal(attrs['gen_ai.request.model'], 'gpt-4o-mini');
    assert.equal(attrs['server.address'], 'api.example.com');
    assert.equal(Number(attrs['gen_ai.usage.input_tokens']), 12);
    assert.equal(Number(attrs['gen_ai.usage.output_tokens']), 7);
    assert.equal(attrs['tally.cost_usd'], 0.0004);
    assert.deepEqual(
      span.events.map((e) => e.name),
      ['tally.attempt'],
    );
    assert.notEqual(span.status.code, 2, 'not an error');
    // The resource says which program sent it, nothing about the machine (no host, process or user attributes).
    assert.deepEqual(body.resourceSpans[0].resource.attributes, [
      { key: 'service.name', value: { stringValue: 'tally' } },
      { key: 'service.version', value: { stringValue: '1.2.3' } },
    ]);
    assert.ok(!req.body.includes('sk-abc') && !req.body.includes('/v1?'), 'no key, no path of the API endpoint');
    assert.ok(!lines.join('\n').includes('team-secret'), 'the header value is never logged');
  });

  it('a failed request is an error span; a failing collector is logged once, not per request', async () => {
    received.length = 0;
    status = 500;
    const { logger, lines } = memoryLogger();
    const exporter = new OtlpExporter({ endpoint, headers: {}, serviceVersion: '1.2.3', logger });
    exporter.export(metric({ outcome: 'failed' }));
    await exporter.flush();
    exporter.export(metric({ outcome: 'failed' }));
    await exporter.shutdown();
    status = 200;
    assert.ok(received.length >= 2, `${received.length} POSTs`);
    const span = (
      JSON.parse(received[0].body) as { resourceSpans: { scopeSpans: { spans: { status: { code: number } }[] }[] }[] }
    ).resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.status.code, 2, 'STATUS_CODE_ERROR');
    const failures = lines.filter((l) => l.includes('failed (HTTP 500)'));
    assert.equal(failures.length, 1, lines.join('\n'));
  });

  it('an unreachable collector is logged once and never throws', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { logger, lines } = memoryLogger();
    const exporter = new OtlpExporter({
      endpoint: `http://127.0.0.1:${port}/v1/traces`,
      headers: { authorization: 'Bearer team-secret' },
      serviceVersion: '1.2.3',
      logger,
      // A refused connection is retried until this runs out (10 s by default).
      exportTimeoutMs: 300,
    });
    exporter.export(metric());
    await exporter.flush();
    exporter.export(metric());
    await exporter.shutdown();
    assert.equal(exporter.exported, 2);
    const failures = lines.filter((l) => l.includes('sending metrics to'));
    assert.equal(failures.length, 1, lines.join('\n'));
    assert.ok(!lines.join('\n').includes('team-secret'));
  });
});
