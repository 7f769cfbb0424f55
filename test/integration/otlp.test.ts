// The OTLP export in the real extension host: with tally.telemetry.otlpEndpoint empty (the default) the SDK's bundle
// is not loaded; set to a collector stand-in on 127.0.0.1, one chat request arrives there as one span with the
// request's attributes and the configured header, and no message text or API key; emptied again, a request is not
// sent (only the request made after setting it again arrives).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configure, useChatSuite, waitFor } from './helpers';

const KEY = 'sk-integration-test-key-otlp-0014';
const QUESTION = `Please explain the export ${Date.now()}`;
const loaded = () => Object.keys(require.cache).some((k) => k.replace(/\\/g, '/').endsWith('/dist/lazy/otlp.js'));

interface Span {
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

describe('OTLP export to a collector', () => {
  const posts: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let collector: http.Server;
  let endpoint = '';
  const suite = useChatSuite(KEY, { 'cache.mode': 'off' });

  before(async () => {
    collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        posts.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
  });
  after(async () => {
    await configure({ 'telemetry.otlpEndpoint': undefined, 'telemetry.otlpHeaders': undefined });
    await new Promise<void>((resolve) => collector.close(() => resolve()));
  });

  const spans = () =>
    posts.flatMap((p) =>
      (JSON.parse(p.body) as { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] }).resourceSpans.flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) => ss.spans),
      ),
    );
  const attrs = (s: Span) => Object.fromEntries(s.attributes.map((a) => [a.key, Object.values(a.value)[0]]));

  async function ask(id: string, text: string, completionTokens: number) {
    suite.server.enqueue({ text: 'Exported.', usage: { prompt_tokens: 11, completion_tokens: completionTokens } });
    await suite.api.receive({ type: 'chat/send', requestId: id, text });
    await suite.posts.next('chat/done', id, 30_000);
    await suite.api.metrics.settled();
  }

  it('loads nothing while the setting is empty; set, one request is one span at the collector', async () => {
    await ask('otlp-off-1', `${QUESTION} (off)`, 3);
    assert.equal(loaded(), false, 'dist/lazy/otlp.js loaded with the setting empty');
    assert.equal(posts.length, 0);

    await configure({ 'telemetry.otlpEndpoint': endpoint, 'telemetry.otlpHeaders': { 'x-team-key': 'team-k' } });
    await ask('otlp-on-1', QUESTION, 7);
    // The batch processor sends within its delay (5 s by default).
    await waitFor('a POST at the collector', () => posts.length > 0, 20_000);
    assert.ok(loaded(), 'the SDK bundle is loaded once a record is exported');
    assert.equal(posts[0].url, '/v1/traces');
    assert.equal(posts[0].headers['x-team-key'], 'team-k');
    const all = spans();
    assert.equal(all.length, 1, 'one request, one span');
    const a = attrs(all[0]);
    assert.equal(all[0].name, `chat ${String(a['gen_ai.request.model'])}`);
    assert.equal(a['server.address'], '127.0.0.1');
    assert.equal(Number(a['gen_ai.usage.input_tokens']), 11);
    assert.equal(Number(a['gen_ai.usage.output_tokens']), 7);
    assert.equal(Number(a['http.response.status_code']), 200);
    const text = posts.map((p) => p.body).join('\n');
    for (const secret of [KEY, QUESTION, 'Exported.']) assert.ok(!text.includes(secret), `${secret} was sent`);
  });

  it('emptied again, a request is not sent; set again, the next one is', async () => {
    await configure({ 'telemetry.otlpEndpoint': '' });
    await ask('otlp-off-2', `${QUESTION} (off again)`, 13);
    await configure({ 'telemetry.otlpEndpoint': endpoint });
    await ask('otlp-on-2', `${QUESTION} (on again)`, 17);
    await waitFor('the second span', () => spans().length >= 2, 20_000);
    assert.deepEqual(
      spans().map((s) => Number(attrs(s)['gen_ai.usage.output_tokens'])),
      [7, 17],
    );
  });
});
