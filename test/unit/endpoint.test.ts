import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayEndpoint, resolveApiKey, resolveBaseUrl, API_KEY_SECRET } from '../../src/core/api/endpoint';
import { parseWebviewMessage, STREAM_PACE_MS } from '../../src/shared/protocol';

const secrets = (value?: string) => ({
  get: async (k: string) => (k === API_KEY_SECRET ? value : undefined),
  store: async () => {},
  delete: async () => {},
});

describe('endpoint', () => {
  it('base URL: setting, else OPENAI_BASE_URL, else OpenAI; trailing slash dropped', () => {
    assert.equal(resolveBaseUrl('http://localhost:11434/v1/', {}), 'http://localhost:11434/v1');
    assert.equal(resolveBaseUrl('  ', { OPENAI_BASE_URL: 'http://127.0.0.1:4000/v1' }), 'http://127.0.0.1:4000/v1');
    assert.equal(resolveBaseUrl(undefined, {}), 'https://api.openai.com/v1');
  });

  it('API key: secret storage first, then OPENAI_API_KEY, else none', async () => {
    assert.equal(await resolveApiKey(secrets('sk-stored'), { OPENAI_API_KEY: 'sk-env' }), 'sk-stored');
    assert.equal(await resolveApiKey(secrets(undefined), { OPENAI_API_KEY: ' sk-env ' }), 'sk-env');
    assert.equal(await resolveApiKey(secrets(''), {}), undefined);
  });

  it('display strips credentials and queries from the URL', () => {
    assert.equal(displayEndpoint('https://user:pw@proxy.example/v1?api-key=abc'), 'https://proxy.example/v1');
    assert.equal(displayEndpoint('not a url'), '(invalid URL)');
  });
});

describe('webview message validation', () => {
  it('accepts well-formed messages and rejects everything else with a reason', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'chat/send', requestId: 'r1', text: 'hi' }), {
      ok: true,
      message: { type: 'chat/send', requestId: 'r1', text: 'hi' },
    });
    for (const bad of [
      null,
      'x',
      {},
      { type: 'nope' },
      { type: 'chat/send', requestId: 'r1' },
      { type: 'chat/send', requestId: 'r 1', text: 'x' },
      { type: 'chat/send', requestId: 'r1', text: '' },
      { type: 'chat/send', requestId: 'r1', text: 'x', extra: 1 },
      { type: 'action/run', action: 'rm -rf' },
      // The panel's paint pace: a whole number of ms within STREAM_PACE_MS, nothing else.
      { type: 'stream/pace' },
      { type: 'stream/pace', intervalMs: STREAM_PACE_MS.min - 1 },
      { type: 'stream/pace', intervalMs: STREAM_PACE_MS.max + 1 },
      { type: 'stream/pace', intervalMs: 120.5 },
      { type: 'stream/pace', intervalMs: '250' },
      { type: 'stream/pace', intervalMs: Number.NaN },
      { type: 'stream/pace', intervalMs: 250, requestId: 'r1' },
    ]) {
      const r = parseWebviewMessage(bad);
      assert.equal(r.ok, false, JSON.stringify(bad));
      if (!r.ok) assert.ok(r.error.length > 0);
    }
    assert.deepEqual(parseWebviewMessage({ type: 'stream/pace', intervalMs: 250 }), {
      ok: true,
      message: { type: 'stream/pace', intervalMs: 250 },
    });
  });
});
