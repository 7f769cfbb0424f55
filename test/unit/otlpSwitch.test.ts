// The OTLP export follows the setting: empty (the default) creates and loads nothing and sends nothing; set,
// records reach the collector; a change of endpoint hands the old exporter's queue over and uses the new one.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { makeRequestMetric } from '../../src/core/metrics/makeMetric';
import { OtlpSwitch } from '../../src/core/metrics/otlpSwitch';
import type { Logger } from '../../src/core/ports';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const metric = (model: string) =>
  makeRequestMetric({
    requestId: model,
    model,
    baseUrl: 'https://api.example.com/v1',
    startedAt: Date.UTC(2026, 0, 1),
    endedAt: Date.UTC(2026, 0, 1) + 100,
    outcome: 'complete',
    cacheHit: false,
    attempts: [],
  });

describe('OtlpSwitch', () => {
  const bodies: { url: string; body: string }[] = [];
  let server: http.Server;
  let base = '';
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push({ url: req.url ?? '', body });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('with the setting empty, loads nothing and sends nothing', async () => {
    bodies.length = 0;
    let loads = 0;
    const otlp = new OtlpSwitch({
      logger: silent,
      serviceVersion: '1',
      load: () => {
        loads++;
        return import('../../src/core/metrics/otlpSdk');
      },
    });
    otlp.configure({ endpoint: '', headers: {} });
    otlp.record(metric('a'));
    otlp.record(metric('b'));
    await otlp.shutdown();
    assert.equal(otlp.current(), undefined);
    assert.equal(loads, 0);
    assert.equal(bodies.length, 0);
  });

  it('follows a change of the endpoint, and stops on shutdown', async () => {
    bodies.length = 0;
    let loads = 0;
    const load = () => {
      loads++;
      return import('../../src/core/metrics/otlpSdk');
    };
    const otlp = new OtlpSwitch({ logger: silent, serviceVersion: '1', load });
    otlp.configure({ endpoint: '', headers: {} });
    assert.equal(otlp.current(), undefined);
    otlp.configure({ endpoint: `${base}/first/v1/traces`, headers: {} });
    const first = otlp.current();
    assert.ok(first);
    otlp.record(metric('one'));
    otlp.configure({ endpoint: `${base}/first/v1/traces`, headers: {} });
    assert.equal(otlp.current(), first, 'an unrelated settings change keeps the exporter');
    otlp.configure({ endpoint: `${base}/second/v1/traces`, headers: { 'x-k': 'v' } });
    assert.notEqual(otlp.current(), first);
    otlp.record(metric('two'));
    await otlp.shutdown();
    assert.equal(loads, 2, 'one SDK load per exporter');
    // Each collector got its own record (the first one's queue was sent when the endpoint changed).
    assert.deepEqual(bodies.map((b) => [b.url, (/"name":"(chat [^"]+)"/.exec(b.body) ?? [])[1]]).sort(), [
      ['/first/v1/traces', 'chat one'],
      ['/second/v1/traces', 'chat two'],
    ]);
    assert.equal(otlp.current(), undefined, 'stopped');
  });

  it('shutdown does not wait for a collector that never answers beyond its limit', async () => {
    const pending: http.ServerResponse[] = [];
    const warnings: string[] = [];
    const silentCollector = http.createServer((req, res) => {
      req.resume();
      pending.push(res);
    });
    await new Promise<void>((resolve) => silentCollector.listen(0, '127.0.0.1', resolve));
    // The export's own timeout (10 s by default) is longer than the shutdown's limit here too.
    const otlp = new OtlpSwitch({
      logger: { ...silent, warn: (m: string) => void warnings.push(m) },
      serviceVersion: '1',
      exportTimeoutMs: 1000,
    });
    otlp.configure({
      endpoint: `http://127.0.0.1:${(silentCollector.address() as AddressInfo).port}/v1/traces`,
      headers: {},
    });
    otlp.record(metric('stuck'));
    await otlp.shutdown(50);
    // Had shutdown waited for the export, its failure (the 1 s timeout) would be logged by now.
    assert.deepEqual(warnings, [], 'shutdown resolved while the export was still waiting');
    // The export the shutdown started reaches the collector, which never answers it.
    for (let i = 0; i < 200 && pending.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(pending.length, 1, 'the collector holds the one export, unanswered');
    assert.equal(pending[0].writableEnded, false);
    silentCollector.closeAllConnections();
    await new Promise<void>((resolve) => silentCollector.close(() => resolve()));
  });
});
