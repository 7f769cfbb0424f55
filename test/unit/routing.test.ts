// The routing table (defaults after the article, overrides), `tally.routing` validation, and the router's decision:
// model per task × complexity, the reason text, and the saving figure against the price table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPLEXITY_THRESHOLDS } from '../../src/core/routing/complexity';
import { route, savingAgainst, EXPECTED_REPLY_TOKENS } from '../../src/core/routing/router';
import {
  CHEAP_MODEL,
  DEFAULT_ROUTING,
  parseRoutingOverrides,
  routingTable,
  STRONG_MODEL,
} from '../../src/core/routing/routingTable';
import { TASK_TYPES } from '../../src/core/routing/taskTypes';
import { MODELS, resolveModel } from '../../src/core/tokens/models';
import { savingText } from '../../src/webview/format';
import { resolveSettings } from '../../src/core/settings/tallySettings';

const resolve = (id: string) => resolveModel(id);

describe('default routing table', () => {
  it('every task has a model for every complexity, each in the registry with a price', () => {
    for (const task of TASK_TYPES)
      for (const c of ['simple', 'medium', 'complex'] as const) {
        const id = DEFAULT_ROUTING[task][c];
        assert.ok(MODELS[id]?.prices, `${task}.${c} → ${id}`);
      }
    assert.ok(MODELS[CHEAP_MODEL].prices!.outputPerM < MODELS[STRONG_MODEL].prices!.outputPerM);
  });

  it('follows the article: cheap kinds cheap, strong kinds strong, the middle strong only when complex', () => {
    for (const task of ['classification', 'extraction', 'translation', 'translate'] as const)
      assert.deepEqual(DEFAULT_ROUTING[task], { simple: CHEAP_MODEL, medium: CHEAP_MODEL, complex: CHEAP_MODEL });
    for (const task of ['reasoning', 'creative', 'analysis'] as const)
      assert.deepEqual(DEFAULT_ROUTING[task], { simple: STRONG_MODEL, medium: STRONG_MODEL, complex: STRONG_MODEL });
    for (const task of ['summarization', 'qa', 'code', 'explain', 'addDocs', 'chat'] as const)
      assert.deepEqual(DEFAULT_ROUTING[task], { simple: CHEAP_MODEL, medium: CHEAP_MODEL, complex: STRONG_MODEL });
    for (const task of ['findBugs', 'refactor', 'optimise', 'fix', 'writeTests'] as const)
      assert.deepEqual(DEFAULT_ROUTING[task], { simple: CHEAP_MODEL, medium: STRONG_MODEL, complex: STRONG_MODEL });
  });

  it('overrides replace only their cells, and never the frozen defaults', () => {
    const table = routingTable({ explain: { complex: 'gpt-5' } });
    assert.deepEqual(table.explain, { simple: CHEAP_MODEL, medium: CHEAP_MODEL, complex: 'gpt-5' });
    assert.equal(DEFAULT_ROUTING.explain.complex, STRONG_MODEL);
    assert.deepEqual(table.refactor, DEFAULT_ROUTING.refactor);
  });
});

describe('tally.routing validation', () => {
  it('keeps valid cells and reports each bad one, which is ignored', () => {
    const { overrides, problems } = parseRoutingOverrides(
      {
        explain: { simple: 'gpt-5-mini', complex: 'gpt-4o-2024-08-06' },
        refctor: { simple: 'gpt-4o' },
        refactor: { hard: 'gpt-4o', medium: 'no-such-model', simple: 42 },
        fix: 'gpt-4o',
      },
      resolve,
    );
    assert.deepEqual(overrides, { explain: { simple: 'gpt-5-mini', complex: 'gpt-4o-2024-08-06' } });
    assert.equal(problems.length, 5);
    assert.match(problems[0], /unknown task "refctor"/);
    assert.match(problems[1], /refactor\.hard: unknown complexity/);
    assert.match(problems[2], /refactor\.medium: unknown model "no-such-model".*tally\.models/);
    assert.match(problems[3], /refactor\.simple: expected a model id/);
    assert.match(problems[4], /fix: expected/);
  });

  it('a model from tally.models is known; not an object is a problem; absent is nothing', () => {
    const { settings, problems } = resolveSettings((key) =>
      key === 'models'
        ? { globalValue: { 'my-local': { contextWindow: 8192 } } }
        : key === 'routing'
          ? { globalValue: { chat: { simple: 'my-local', complex: 'auto' } } }
          : undefined,
    );
    assert.deepEqual(settings.routing, { chat: { simple: 'my-local' } });
    assert.deepEqual(problems, [
      'tally.routing: chat.complex: unknown model "auto" (ignored, the default is used); add it to tally.models first',
    ]);
    assert.deepEqual(parseRoutingOverrides([], resolve).problems.length, 1);
    assert.deepEqual(parseRoutingOverrides(undefined, resolve), { overrides: {}, problems: [] });
  });

  it('is read from the user settings only: a workspace value is ignored and reported', () => {
    const { settings, ignored } = resolveSettings((key) =>
      key === 'routing'
        ? { globalValue: { explain: { simple: 'gpt-4o' } }, workspaceValue: { explain: { simple: 'gpt-5' } } }
        : undefined,
    );
    assert.deepEqual(settings.routing, { explain: { simple: 'gpt-4o' } });
    assert.deepEqual(ignored, ['tally.routing']);
  });
});

describe('route', () => {
  const table = routingTable();

  it('explains a simple request with its figures and the saving against the strong model', () => {
    const d = route({ task: 'explain', promptTokens: 120, lines: 9 }, table, resolve);
    assert.equal(d.model, 'gpt-4o-mini');
    assert.equal(d.complexity, 'simple');
    assert.equal(d.reason, 'Explain · simple (120 tokens, 9 lines) → gpt-4o-mini');
    assert.equal(d.alternative?.model, 'gpt-4o');
    // 120 prompt + 500 reply: gpt-4o $2.50/$10 per 1M, gpt-4o-mini $0.15/$0.60
    const expected = (120 * 2.5 + EXPECTED_REPLY_TOKENS * 10 - (120 * 0.15 + EXPECTED_REPLY_TOKENS * 0.6)) / 1e6;
    assert.ok(Math.abs(d.alternative!.savingUsd! - expected) < 1e-12, `${d.alternative?.savingUsd} vs ${expected}`);
  });

  it('each complexity boundary picks the row cell (tokens just below, at, and at the complex threshold)', () => {
    const t = COMPLEXITY_THRESHOLDS.promptTokens;
    const at = (promptTokens: number) => route({ task: 'refactor', promptTokens }, table, resolve);
    assert.equal(at(t.medium - 1).model, CHEAP_MODEL);
    assert.equal(at(t.medium).model, STRONG_MODEL);
    assert.equal(at(t.medium).complexity, 'medium');
    assert.equal(at(t.complex).complexity, 'complex');
    const explain = (promptTokens: number) => route({ task: 'explain', promptTokens }, table, resolve).model;
    assert.equal(explain(t.complex - 1), CHEAP_MODEL);
    assert.equal(explain(t.complex), STRONG_MODEL);
  });

  it('the reason names files, diagnostics and the code measures that raised the complexity; a label wins', () => {
    const d = route(
      { task: 'fix', label: 'Fix This Problem', promptTokens: 1, lines: 1, files: 1, diagnostics: 2 },
      table,
      resolve,
    );
    assert.equal(d.reason, 'Fix This Problem · medium (1 token, 1 line, 1 file, 2 diagnostics) → gpt-4o');
    assert.equal(d.alternative, undefined, 'the strong model itself has no alternative');
    const nested = route(
      { task: 'explain', label: 'My action', promptTokens: 50, nesting: 9, branches: 30 },
      table,
      resolve,
    );
    assert.equal(nested.reason, 'My action · complex (50 tokens, nesting depth 9, 30 branches) → gpt-4o');
    assert.equal(nested.label, 'My action');
  });

  it('a price unknown on either side leaves the saving undefined, never $0', () => {
    const custom = routingTable({ explain: { complex: 'gpt-4o' }, chat: { simple: 'llama3' } });
    const d = route({ task: 'chat', promptTokens: 10 }, custom, resolve);
    assert.equal(d.model, 'llama3');
    assert.deepEqual(d.alternative, { model: 'gpt-4o' });
    assert.equal(savingAgainst(10, 10, resolve('gpt-4o'), resolve('llama3')), undefined);
  });

  it('the saving uses the given reply size', () => {
    const d = route({ task: 'explain', promptTokens: 0 }, table, resolve, 1_000_000);
    assert.ok(Math.abs(d.alternative!.savingUsd! - (10 - 0.6)) < 1e-9);
  });
});

describe('route line text', () => {
  it('says what the choice saves with the shared money formatter, or that a price is unknown', () => {
    assert.equal(savingText({ model: 'gpt-4o', savingUsd: 0.004982 }), 'saves ≈ $0.005 against gpt-4o');
    assert.equal(savingText({ model: 'gpt-4o', savingUsd: 0.00003 }), 'saves ≈ <$0.0001 against gpt-4o');
    assert.equal(savingText({ model: 'gpt-5', savingUsd: -0.0012 }), 'costs ≈ $0.0012 more than gpt-5');
    assert.equal(savingText({ model: 'gpt-4o' }), 'price unknown against gpt-4o');
  });
});
