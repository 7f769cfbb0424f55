import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUTO_MODEL,
  MAX_LISTED_MODELS,
  cleanListedIds,
  describeModel,
  effectiveModel,
  modelOptions,
} from '../../src/core/models/modelCatalog';
import { MODELS, resolveModel } from '../../src/core/tokens/models';

describe('model catalog (the picker’s list)', () => {
  it('offers Auto, then every registry model in table order, then the endpoint’s own models sorted', () => {
    const options = modelOptions(['zeta-local', 'gpt-4o', 'alpha-local']);
    const ids = options.map((o) => o.id);
    assert.equal(ids[0], AUTO_MODEL);
    assert.deepEqual(ids.slice(1, 1 + Object.keys(MODELS).length), Object.keys(MODELS));
    assert.deepEqual(ids.slice(-2), ['alpha-local', 'zeta-local']);
    assert.equal(options.find((o) => o.id === 'gpt-4o')?.source, 'both');
    assert.equal(options.find((o) => o.id === 'gpt-4')?.source, 'registry');
    assert.equal(options.find((o) => o.id === 'alpha-local')?.source, 'endpoint');
    assert.equal(new Set(ids).size, ids.length, 'no model twice');
  });

  it('includes the user’s own models (tally.models) with their prices', () => {
    const options = modelOptions([], {
      'my-model': { contextWindow: 32_000, prices: { inputPerM: 1, outputPerM: 2 } },
    });
    const mine = options.find((o) => o.id === 'my-model');
    assert.equal(mine?.detail, '32k context · $1.00 / $2.00 per 1M in / out');
  });

  it('describes window and price per 1M, or says the price is unknown', () => {
    assert.equal(describeModel(resolveModel('gpt-4o')), '128k context · $2.50 / $10.00 per 1M in / out');
    assert.equal(describeModel(resolveModel('gpt-5-nano')), '400k context · $0.05 / $0.40 per 1M in / out');
    assert.equal(describeModel(resolveModel('qwen2.5-coder')), '128k context (assumed) · price unknown');
  });

  it('checks the endpoint’s ids: malformed ones dropped and counted, duplicates once, the list capped', () => {
    const r = cleanListedIds(['ok-1', 'ok-1', 'has space', '', 42, null, 'x'.repeat(201), 'llama3.1:8b', 'a/b@c']);
    assert.deepEqual(r.ids, ['ok-1', 'llama3.1:8b', 'a/b@c']);
    assert.equal(r.dropped, 5);
    assert.equal(r.cut, false);
    const many = Array.from({ length: MAX_LISTED_MODELS + 5 }, (_, i) => `m${i}`);
    const capped = cleanListedIds(many);
    assert.equal(capped.ids.length, MAX_LISTED_MODELS);
    assert.equal(capped.cut, true);
    assert.equal(cleanListedIds(['bad\u0000id', '\u202egpt']).dropped, 2, 'control and bidi characters refused');
  });

  it('the effective model is the workspace’s choice, else the setting; a malformed stored choice is ignored', () => {
    assert.equal(effectiveModel(undefined, 'gpt-4o-mini'), 'gpt-4o-mini');
    assert.equal(effectiveModel('gpt-4o', 'gpt-4o-mini'), 'gpt-4o');
    assert.equal(effectiveModel(AUTO_MODEL, 'gpt-4o-mini'), AUTO_MODEL);
    assert.equal(effectiveModel('bad id', 'gpt-4o-mini'), 'gpt-4o-mini');
  });
});
