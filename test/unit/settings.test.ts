import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveValue, type SettingLayers } from '../../src/core/settings/settingLayers';
import { resolveSettings } from '../../src/core/settings/tallySettings';
import { endpointRefusal, isLoopbackHost } from '../../src/core/api/endpointPolicy';
import { loweredPrices } from '../../src/core/tokens/priceGuard';

/** inspect() results for a few keys; everything else unset. */
const layers = (by: Record<string, SettingLayers>) => (key: string) => by[key];

describe('settings: whose word counts', () => {
  it('the endpoint, Redis URL, cache mode, prices and user budgets come from user settings only', () => {
    const r = resolveSettings(
      layers({
        baseUrl: { defaultValue: '', globalValue: 'https://mine.example/v1', workspaceValue: 'http://127.0.0.1:9/v1' },
        'cache.redisUrl': { defaultValue: '', workspaceFolderValue: 'redis://127.0.0.1:1' },
        'cache.mode': { defaultValue: 'deterministic', workspaceValue: 'always' },
        models: { defaultValue: {}, workspaceValue: { 'gpt-4o-mini': { prices: { inputPerM: 0, outputPerM: 0 } } } },
        'budget.dailyUsd': { defaultValue: null, globalValue: 1, workspaceValue: 1000 },
      }),
    );
    assert.equal(r.settings.baseUrl, 'https://mine.example/v1');
    assert.equal(r.settings.cache.redisUrl, '');
    assert.equal(r.settings.cache.mode, 'deterministic');
    assert.deepEqual(r.settings.modelOverrides, {});
    assert.equal(r.settings.budgets.dailyUsd, 1);
    assert.deepEqual(r.ignored.sort(), [
      'tally.baseUrl',
      'tally.budget.dailyUsd',
      'tally.cache.mode',
      'tally.cache.redisUrl',
      'tally.models',
    ]);
  });

  it("a workspace budget may tighten the user's, never loosen it", () => {
    assert.deepEqual(
      effectiveValue('budget.workspaceDailyUsd', { defaultValue: null, globalValue: 5, workspaceValue: 2 }),
      { value: 2, ignoredWorkspaceValue: false },
    );
    assert.deepEqual(
      effectiveValue('budget.workspaceDailyUsd', { defaultValue: null, globalValue: 5, workspaceValue: 50 }),
      { value: 5, ignoredWorkspaceValue: true },
    );
    assert.deepEqual(
      effectiveValue('budget.workspaceDailyUsd', { defaultValue: null, globalValue: 5, workspaceValue: null }),
      { value: 5, ignoredWorkspaceValue: true },
      'null (no limit) is looser than any number',
    );
    assert.deepEqual(
      effectiveValue('budget.workspaceDailyUsd', { defaultValue: null, workspaceValue: 3 }),
      { value: 3, ignoredWorkspaceValue: false },
      'a limit where the user set none is stricter',
    );
    assert.deepEqual(
      effectiveValue('budget.warnAtPercent', { defaultValue: 80, globalValue: 90, workspaceFolderValue: 95 }),
      { value: 90, ignoredWorkspaceValue: true },
    );
  });

  it("other settings follow VS Code's order: folder, workspace, user, default", () => {
    assert.equal(effectiveValue('model', { defaultValue: 'a', globalValue: 'b', workspaceValue: 'c' }).value, 'c');
    assert.equal(
      effectiveValue('model', { defaultValue: 'a', globalValue: 'b', workspaceValue: 'c', workspaceFolderValue: 'd' })
        .value,
      'd',
    );
    assert.equal(effectiveValue('model', { defaultValue: 'a' }).value, 'a');
    assert.equal(effectiveValue('model', undefined).value, undefined);
  });

  it('validates each value once, with one problem line and a safe fallback', () => {
    const r = resolveSettings(
      layers({
        maxReplyTokens: { defaultValue: 4096, globalValue: -3 },
        'retry.maxRetries': { defaultValue: 3, globalValue: 2 },
        'timeout.idleSeconds': { defaultValue: 90, globalValue: 'soon' },
        temperature: { defaultValue: null, globalValue: 7 },
        'cache.mode': { defaultValue: 'deterministic', globalValue: 'sometimes' },
        maxReplySizeKB: { defaultValue: 1024, globalValue: 64 },
      }),
    );
    assert.equal(r.settings.maxReplyTokens, 4096);
    assert.equal(r.settings.retryPolicy.maxRetries, 2);
    assert.equal(r.settings.timeouts.idleMs, 90_000);
    assert.equal(r.settings.temperature, undefined);
    assert.equal(r.settings.cache.mode, 'deterministic');
    assert.equal(r.settings.maxReplyChars, 64 * 1024);
    assert.equal(r.problems.length, 4, r.problems.join('\n'));
    assert.ok(
      r.problems.every((p) => p.startsWith('tally.')),
      r.problems.join('\n'),
    );
    assert.deepEqual(r.ignored, []);
  });

  it('a user override that lowers a built-in price is kept but reported', () => {
    const r = resolveSettings(
      layers({ models: { globalValue: { 'gpt-4o': { prices: { inputPerM: 1, outputPerM: 10 } } } } }),
    );
    assert.deepEqual(r.settings.modelOverrides['gpt-4o'].prices, { inputPerM: 1, outputPerM: 10 });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0], /gpt-4o: your override lowers the built-in price \(inputPerM 1 < 2\.5/);
    assert.deepEqual(
      loweredPrices({
        'gpt-4o': { prices: { inputPerM: 3, outputPerM: 12 } },
        mine: { prices: { inputPerM: 0, outputPerM: 0 } },
      }),
      [],
      'a higher price, or a model without a built-in price, is not a lowering',
    );
  });
});

describe('endpoint policy', () => {
  it('https anywhere; http only to this machine; nothing else', () => {
    assert.equal(endpointRefusal('https://api.openai.com/v1'), undefined);
    for (const ok of [
      'http://localhost:11434/v1',
      'http://127.0.0.1:4000/v1',
      'http://127.5.6.7/v1',
      'http://[::1]:8080/v1',
      'http://ollama.localhost/v1',
    ]) {
      assert.equal(endpointRefusal(ok), undefined, ok);
    }
    for (const bad of [
      'http://attacker.example/v1',
      'http://192.168.1.5/v1',
      'http://127.0.0.1.attacker.example/v1',
      'http://localhost.attacker.example/',
    ]) {
      assert.match(endpointRefusal(bad) ?? '', /does not send your API key over plain http/, bad);
    }
    assert.match(endpointRefusal('ftp://x/v1') ?? '', /must start with https:\/\//);
    assert.match(endpointRefusal('not a url') ?? '', /not a valid URL/);
    assert.doesNotMatch(
      endpointRefusal('http://user:secret@evil.example/v1') ?? '',
      /secret/,
      'the refusal never shows a password',
    );
    assert.equal(isLoopbackHost('LOCALHOST'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
  });
});
