import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { costOf, MODELS, parseModelOverrides, PRICE_SOURCE, resolveModel } from '../../src/core/tokens/models';

describe('model table', () => {
  const required = [
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-4.1-nano',
    'o3',
    'o4-mini',
    'o3-mini',
    'o1',
    'gpt-5',
    'gpt-5-mini',
    'gpt-5-nano',
    'gpt-3.5-turbo',
    'gpt-3.5-turbo-16k',
    'gpt-4',
    'gpt-4-32k',
    'gpt-4-turbo',
  ];

  it('describes every supported model completely, with prices', () => {
    for (const id of required) {
      const m = MODELS[id];
      assert.ok(m, id);
      assert.ok(m.contextWindow > 0 && m.maxOutputTokens > 0 && m.maxOutputTokens <= m.contextWindow, id);
      assert.ok(m.prices && m.prices.inputPerM > 0 && m.prices.outputPerM > 0, `${id} has prices`);
      if (m.prices.cachedInputPerM !== undefined) assert.ok(m.prices.cachedInputPerM < m.prices.inputPerM, id);
    }
  });

  it('uses cl100k_base for the GPT-3.5/GPT-4 generation and o200k_base for everything newer', () => {
    for (const id of ['gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-4', 'gpt-4-32k', 'gpt-4-turbo'])
      assert.equal(MODELS[id].encoding, 'cl100k_base', id);
    for (const id of required.filter((i) => !/^gpt-(3\.5|4)(-|$)/.test(i)))
      assert.equal(MODELS[id].encoding, 'o200k_base', id);
  });

  it("keeps the seed's legacy prices (per 1K x 1000 = per 1M)", () => {
    const per1k: Record<string, [number, number]> = {
      'gpt-3.5-turbo-0613': [0.0015, 0.002],
      'gpt-3.5-turbo-16k': [0.003, 0.004],
      'gpt-4': [0.03, 0.06],
      'gpt-4-32k': [0.06, 0.12],
    };
    for (const [id, [input, output]] of Object.entries(per1k)) {
      assert.ok(Math.abs(MODELS[id].prices!.inputPerM - input * 1000) < 1e-9, id);
      assert.ok(Math.abs(MODELS[id].prices!.outputPerM - output * 1000) < 1e-9, id);
    }
    // The alias itself is billed as gpt-3.5-turbo-0125 today.
    assert.deepEqual(MODELS['gpt-3.5-turbo'].prices, { inputPerM: 0.5, outputPerM: 1.5 });
  });

  it('records where and when the prices were taken', () => {
    assert.equal(PRICE_SOURCE.url, 'https://openai.com/api/pricing');
    assert.match(PRICE_SOURCE.date, /^\d{4}-\d{2}-\d{2}$/);
  });

  it('cannot be changed by accident', () => {
    assert.throws(() => {
      (MODELS as Record<string, unknown>)['gpt-4o'] = {};
    });
  });
});

describe('resolveModel', () => {
  it('finds exact ids', () => {
    const m = resolveModel('gpt-4o');
    assert.equal(m.matchedBy, 'exact');
    assert.equal(m.priceKnown, true);
    assert.deepEqual(m.prices, { inputPerM: 2.5, cachedInputPerM: 1.25, outputPerM: 10 });
  });

  it('maps dated snapshots to the longest matching entry', () => {
    const cases: Record<string, string> = {
      'gpt-4o-2024-08-06': 'gpt-4o',
      'gpt-4o-mini-2024-07-18': 'gpt-4o-mini',
      'gpt-4.1-mini-2025-04-14': 'gpt-4.1-mini',
      'o3-mini-2025-01-31': 'o3-mini',
      'o3-2025-04-16': 'o3',
      'gpt-5-nano-2025-08-07': 'gpt-5-nano',
      'gpt-4-0613': 'gpt-4',
      'gpt-4-32k-0613': 'gpt-4-32k',
      'gpt-4-turbo-2024-04-09': 'gpt-4-turbo',
      'gpt-4-1106-preview': 'gpt-4-turbo',
      'gpt-3.5-turbo-0125': 'gpt-3.5-turbo',
      'gpt-3.5-turbo-16k-0613': 'gpt-3.5-turbo-16k',
    };
    for (const [id, base] of Object.entries(cases)) {
      const m = resolveModel(id);
      assert.equal(m.baseId, base, id);
      assert.equal(m.id, id);
      assert.equal(m.matchedBy, 'snapshot', id);
      assert.deepEqual(m.prices, MODELS[base].prices, id);
    }
    // A snapshot with its own price is its own entry, not its family's.
    assert.equal(resolveModel('gpt-4o-2024-05-13').prices?.inputPerM, 5);
    // A prefix must end at a "-": gpt-4o is not a snapshot of gpt-4.
    assert.equal(resolveModel('gpt-4oops').matchedBy, 'unknown');
  });

  it('gives an unknown model a sensible encoding, a conservative window and an explicit unknown price', () => {
    const m = resolveModel('llama3.1:8b');
    assert.deepEqual(
      {
        encoding: m.encoding,
        contextWindow: m.contextWindow,
        prices: m.prices,
        priceKnown: m.priceKnown,
        matchedBy: m.matchedBy,
      },
      { encoding: 'o200k_base', contextWindow: 128_000, prices: undefined, priceKnown: false, matchedBy: 'unknown' },
    );
    assert.equal(costOf({ promptTokens: 1000, completionTokens: 1000 }, m).usd, undefined, 'never a silent $0');
  });

  it('merges user overrides over the table and adds new models', () => {
    const overrides = {
      'gpt-4o': { prices: { inputPerM: 2, outputPerM: 8 } },
      'my-local': { contextWindow: 32_768, encoding: 'cl100k_base' as const },
      'my-paid': { contextWindow: 64_000, prices: { inputPerM: 1, outputPerM: 2 } },
    };
    const o = resolveModel('gpt-4o', overrides);
    assert.deepEqual([o.matchedBy, o.contextWindow, o.prices], ['override', 128_000, { inputPerM: 2, outputPerM: 8 }]);
    assert.equal(
      resolveModel('gpt-4o-2024-11-20', overrides).prices?.inputPerM,
      2,
      'snapshots follow the overridden entry',
    );
    const local = resolveModel('my-local', overrides);
    assert.deepEqual(
      [local.matchedBy, local.contextWindow, local.encoding, local.priceKnown],
      ['override', 32_768, 'cl100k_base', false],
    );
    const paid = resolveModel('my-paid', overrides);
    assert.deepEqual([paid.priceKnown, paid.encoding, paid.maxOutputTokens], [true, 'o200k_base', 16_384]);
    assert.equal(resolveModel('gpt-4o').prices?.inputPerM, 2.5, 'the table itself is untouched');
  });
});

describe('parseModelOverrides', () => {
  it('keeps valid fields and reports invalid ones', () => {
    const { overrides, problems } = parseModelOverrides({
      ok: { contextWindow: 8192, prices: { inputPerM: 0, outputPerM: 0.5, cachedInputPerM: 0 } },
      bad: { contextWindow: -1, encoding: 'p50k', prices: { inputPerM: 'x', outputPerM: 1 }, maxOutputTokens: 100 },
      worse: 'nope',
    });
    assert.deepEqual(overrides, {
      ok: { contextWindow: 8192, prices: { inputPerM: 0, outputPerM: 0.5, cachedInputPerM: 0 } },
      bad: { maxOutputTokens: 100 },
    });
    assert.equal(problems.length, 4);
    assert.deepEqual(parseModelOverrides(undefined), { overrides: {}, problems: [] });
    assert.deepEqual(parseModelOverrides([1]).problems, ['expected an object of models']);
  });
});

describe('costOf', () => {
  it('bills cached prompt tokens (part of promptTokens) at the cached price', () => {
    const c = costOf(
      { promptTokens: 1_000_000, cachedPromptTokens: 400_000, completionTokens: 100_000 },
      MODELS['gpt-4o'],
    );
    assert.ok(Math.abs(c.inputUsd! - 1.5) < 1e-12);
    assert.ok(Math.abs(c.cachedInputUsd! - 0.5) < 1e-12);
    assert.ok(Math.abs(c.outputUsd! - 1.0) < 1e-12);
    assert.ok(Math.abs(c.usd! - 3.0) < 1e-12);
  });

  it('bills cached tokens at the input price when the model has no cached price', () => {
    const c = costOf({ promptTokens: 1000, cachedPromptTokens: 1000, completionTokens: 0 }, MODELS['gpt-4']);
    assert.ok(Math.abs(c.usd! - 0.03) < 1e-12);
  });

  it('prices the seed gpt-3.5-turbo-0613 request as the seed did', () => {
    const c = costOf({ promptTokens: 1000, completionTokens: 1000 }, MODELS['gpt-3.5-turbo-0613']);
    assert.ok(Math.abs(c.usd! - (0.0015 + 0.002)) < 1e-12);
  });

  it('is undefined, never 0, without a price', () => {
    assert.deepEqual(costOf({ promptTokens: 10, completionTokens: 10 }, {}), {
      usd: undefined,
      inputUsd: undefined,
      cachedInputUsd: undefined,
      outputUsd: undefined,
    });
  });
});
