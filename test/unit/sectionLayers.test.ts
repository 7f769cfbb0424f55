// The settings' layers come from one inspect() of the whole `tally` section (src/core/settings/sectionLayers.ts):
// each setting's layers must be what a per-setting inspect() gives, i.e. VS Code's dotted lookup in each layer's tree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sectionLayers } from '../../src/core/settings/sectionLayers';
import { resolveSettings } from '../../src/core/settings/tallySettings';

const section = {
  defaultValue: { model: 'gpt-4o', budget: { dailyUsd: null }, cache: { mode: 'deterministic' }, models: {} },
  globalValue: { budget: { dailyUsd: 5 }, models: { 'gpt-4.1': { contextWindow: 1000 } }, cache: 'not an object' },
  workspaceValue: { baseUrl: 'https://elsewhere.example/v1', maxReplyTokens: 2000 },
};

test('a dotted setting is looked up step by step in each layer', () => {
  assert.deepEqual(sectionLayers(section, 'budget.dailyUsd'), { defaultValue: null, globalValue: 5 });
  assert.deepEqual(sectionLayers(section, 'model'), { defaultValue: 'gpt-4o' });
  assert.deepEqual(sectionLayers(section, 'baseUrl'), { workspaceValue: 'https://elsewhere.example/v1' });
});

test('an object value is returned whole: the dots inside its keys are not steps', () => {
  assert.deepEqual(sectionLayers(section, 'models'), {
    defaultValue: {},
    globalValue: { 'gpt-4.1': { contextWindow: 1000 } },
  });
});

test('a step that is missing or not an object gives no value for that layer', () => {
  assert.deepEqual(sectionLayers(section, 'cache.mode'), { defaultValue: 'deterministic' });
  assert.deepEqual(sectionLayers(section, 'retry.maxRetries'), {});
  assert.deepEqual(sectionLayers(section, 'toString'), {}, 'inherited properties are not settings');
  assert.equal(sectionLayers(undefined, 'model'), undefined);
});

test('resolveSettings reads the same values through the section as through per-setting layers', () => {
  const perKey = (key: string) => sectionLayers(section, key);
  const { settings, ignored } = resolveSettings(perKey);
  assert.equal(settings.baseUrl, '', 'a workspace cannot choose where requests go');
  assert.deepEqual(ignored, ['tally.baseUrl']);
  assert.equal(settings.model, 'gpt-4o');
});
