import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CACHE_KEY_SCHEMA,
  cacheInputFor,
  cacheKeyFor,
  canonicalJson,
  isCacheKey,
  normaliseEndpoint,
  type CacheKeyInput,
} from '../../src/core/cache/cacheKey';
import { parseCacheEntry, serializeCacheEntry, type CacheEntry } from '../../src/core/cache/cacheEntry';

const base: CacheKeyInput = {
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What is 2+2?' },
  ],
  params: {
    temperature: 0,
    maxTokens: 100,
    topP: 1,
    seed: 7,
    responseFormat: {
      type: 'json_schema',
      json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'number' } } } },
    },
    tools: [{ type: 'function', function: { name: 'f', parameters: { b: 1, a: 2 } } }],
  },
};

describe('canonical JSON', () => {
  it('sorts object keys at every depth, keeps array order, drops undefined fields', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }),
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    assert.equal(canonicalJson([2, 1, undefined]), '[2,1,null]');
    assert.equal(
      canonicalJson({ n: 0.1, big: 1e21, neg: -0, s: 'é"\n' }),
      '{"big":1e+21,"n":0.1,"neg":0,"s":"é\\"\\n"}',
    );
    assert.equal(canonicalJson(undefined), 'null');
  });

  it('rejects what has no canonical form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => canonicalJson(cyclic), /circular/);
    assert.throws(() => canonicalJson({ n: 1n }), /BigInt/);
    const shared = { x: 1 };
    assert.equal(canonicalJson([shared, shared]), '[{"x":1},{"x":1}]'); // repeated, not cyclic
  });
});

describe('cache key', () => {
  it('is the SHA-256 hex of the schema tag and the canonical request', () => {
    const key = cacheKeyFor(base);
    assert.ok(isCacheKey(key));
    const body = canonicalJson({
      endpoint: base.baseUrl,
      model: base.model,
      messages: base.messages,
      params: base.params,
    });
    assert.equal(key, createHash('sha256').update(`${CACHE_KEY_SCHEMA}\n${body}`).digest('hex'));
  });

  it('does not depend on key order anywhere', () => {
    const reordered: CacheKeyInput = {
      params: {
        tools: [{ function: { parameters: { a: 2, b: 1 }, name: 'f' }, type: 'function' }],
        seed: 7,
        topP: 1,
        responseFormat: {
          json_schema: { schema: { properties: { a: { type: 'number' } }, type: 'object' }, name: 'x' },
          type: 'json_schema',
        },
        maxTokens: 100,
        temperature: 0,
      },
      messages: [
        { content: 'Be brief.', role: 'system' },
        { content: 'What is 2+2?', role: 'user' },
      ],
      model: 'gpt-4o-mini',
      baseUrl: 'https://api.openai.com/v1',
    };
    assert.equal(cacheKeyFor(reordered), cacheKeyFor(base));
  });

  it('treats an undefined parameter as an absent one, and no params as empty params', () => {
    assert.equal(cacheKeyFor({ ...base, params: { ...base.params, stop: undefined } }), cacheKeyFor(base));
    assert.equal(cacheKeyFor({ ...base, params: undefined }), cacheKeyFor({ ...base, params: {} }));
    assert.equal(cacheKeyFor({ ...base, params: { temperature: undefined } }), cacheKeyFor({ ...base, params: {} }));
  });

  it('changes with the endpoint, model, any message or any parameter', () => {
    const key = cacheKeyFor(base);
    const variants: CacheKeyInput[] = [
      { ...base, baseUrl: 'http://localhost:11434/v1' },
      { ...base, baseUrl: 'https://api.openai.com/v2' },
      { ...base, model: 'gpt-4o' },
      { ...base, messages: [...base.messages, { role: 'user', content: 'More.' }] },
      { ...base, messages: [base.messages[1], base.messages[0]] },
      { ...base, messages: [base.messages[0], { role: 'user', content: 'What is 2+3?' }] },
      { ...base, messages: [base.messages[0], { role: 'assistant', content: 'What is 2+2?' }] },
      { ...base, params: { ...base.params, temperature: 0.2 } },
      { ...base, params: { ...base.params, topP: 0.9 } },
      { ...base, params: { ...base.params, maxTokens: 101 } },
      { ...base, params: { ...base.params, seed: 8 } },
      { ...base, params: { ...base.params, responseFormat: { type: 'json_object' } } },
      { ...base, params: { ...base.params, tools: [] } },
      { ...base, params: { ...base.params, stop: ['\n'] } },
      { ...base, params: { ...base.params, someFutureParam: true } },
      { ...base, params: { ...base.params, temperature: undefined } },
    ];
    const keys = new Set(variants.map(cacheKeyFor));
    assert.equal(keys.size, variants.length, 'every variant has its own key');
    assert.ok(!keys.has(key));
  });

  it('normalises the endpoint: trailing slashes, case of scheme and host, default port, credentials', () => {
    const key = cacheKeyFor(base);
    for (const baseUrl of [
      'https://api.openai.com/v1/',
      ' https://api.openai.com/v1// ',
      'HTTPS://API.OpenAI.com:443/v1',
      'https://user:pw@api.openai.com/v1',
    ]) {
      assert.equal(cacheKeyFor({ ...base, baseUrl }), key, baseUrl);
    }
    assert.equal(
      normaliseEndpoint('http://localhost:11434/v1/?api-version=1'),
      'http://localhost:11434/v1?api-version=1',
    );
    assert.equal(normaliseEndpoint('not a url/'), 'not a url');
  });

  it('maps a ChatRequest: every field besides model and messages is a parameter', () => {
    const input = cacheInputFor('https://api.openai.com/v1', {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      maxTokens: 5,
    });
    assert.deepEqual(input, {
      baseUrl: 'https://api.openai.com/v1',
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      params: { temperature: 0, maxTokens: 5 },
    });
  });
});

describe('cache entry', () => {
  const entry: CacheEntry = {
    version: 1,
    key: 'a'.repeat(64),
    model: 'gpt-4o-mini',
    reply: 'Four.',
    finishReason: 'stop',
    usage: { promptTokens: 20, completionTokens: 2, totalTokens: 22, cachedPromptTokens: 0 },
    createdAt: 1_750_000_000_000,
    expiresAt: 1_750_003_600_000,
  };

  it('round-trips, with expiresAt first in the stored text', () => {
    const text = serializeCacheEntry(entry);
    assert.match(text, /^\{"expiresAt":1750003600000,/);
    assert.deepEqual(parseCacheEntry(text, entry.key), { ok: true, entry });
  });

  it('rejects garbage, wrong shapes, other versions and another key', () => {
    const bad: unknown[] = [
      '',
      '\u0000\u0001garbage',
      '[]',
      'null',
      '{"version":1}',
      JSON.stringify({ ...entry, version: 2 }),
      JSON.stringify({ ...entry, reply: 42 }),
      JSON.stringify({ ...entry, createdAt: 'yesterday' }),
      JSON.stringify({ ...entry, usage: { promptTokens: -1, completionTokens: 0, totalTokens: 0 } }),
      JSON.stringify({ ...entry, usage: null }),
      JSON.stringify({ ...entry, model: '' }),
    ];
    for (const text of bad) assert.equal(parseCacheEntry(text as string).ok, false, String(text));
    const other = parseCacheEntry(serializeCacheEntry(entry), 'b'.repeat(64));
    assert.deepEqual(other, { ok: false, error: 'stored under another key' });
  });

  it('drops stray fields', () => {
    const parsed = parseCacheEntry(JSON.stringify({ ...entry, extra: 'x', usage: { ...entry.usage, junk: 1 } }));
    assert.ok(parsed.ok);
    if (parsed.ok) assert.deepEqual(parsed.entry, entry);
  });
});
