import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  invalidActionMessage,
  MAX_CUSTOM_ACTIONS,
  MAX_PROMPT_CHARS,
  MAX_TITLE_CHARS,
  parseCustomActions,
} from '../../src/core/actions/customActions';
import { resolveSettings } from '../../src/core/settings/tallySettings';

describe('tally.actions', () => {
  it('no setting: no actions and no problems', () => {
    assert.deepEqual(parseCustomActions(undefined), { valid: [], invalid: [], problems: [] });
    assert.deepEqual(parseCustomActions(null).valid, []);
  });

  it('a valid action keeps its title (trimmed), prompt and task; the task defaults to code', () => {
    const r = parseCustomActions([
      { title: ' Review ', prompt: 'Review {{selection}} in {{file}}', task: 'analysis' },
      { title: 'Summarise', prompt: 'Summarise {{ selection }}' },
    ]);
    assert.deepEqual(r.valid, [
      { title: 'Review', prompt: 'Review {{selection}} in {{file}}', task: 'analysis' },
      { title: 'Summarise', prompt: 'Summarise {{ selection }}', task: 'code' },
    ]);
    assert.deepEqual(r.problems, []);
  });

  it('says what is wrong with each invalid action, and keeps it so picking it can say so', () => {
    const r = parseCustomActions([
      { prompt: 'x' },
      { title: 'No prompt' },
      { title: 'Bad task', prompt: 'x', task: 'poetry' },
      { title: 'Typo', prompt: 'Look at {{selecton}} and {{fle}}' },
      { title: 'T'.repeat(MAX_TITLE_CHARS + 1), prompt: 'x' },
      { title: 'Long', prompt: 'p'.repeat(MAX_PROMPT_CHARS + 1) },
      'not an object',
      { title: 'Fine', prompt: 'ok' },
      { title: 'fine', prompt: 'duplicate' },
    ]);
    assert.deepEqual(
      r.valid.map((a) => a.title),
      ['Fine'],
    );
    const byIndex = new Map(r.invalid.map((a) => [a.index, a]));
    assert.deepEqual(byIndex.get(0)?.problems, ['"title" is missing or empty']);
    assert.equal(byIndex.get(0)?.title, 'action 1');
    assert.deepEqual(byIndex.get(1)?.problems, ['"prompt" is missing or empty']);
    assert.equal(byIndex.get(1)?.title, 'No prompt');
    assert.match(byIndex.get(2)?.problems[0] ?? '', /^unknown task "poetry" \(known: explain, refactor/);
    assert.match(
      byIndex.get(3)?.problems[0] ?? '',
      /^unknown placeholders \{\{selecton\}\}, \{\{fle\}\} \(known: \{\{selection\}\}/,
    );
    assert.match(
      byIndex.get(4)?.problems[0] ?? '',
      new RegExp(`"title" is ${MAX_TITLE_CHARS + 1} characters long; at most ${MAX_TITLE_CHARS}`),
    );
    assert.match(byIndex.get(5)?.problems[0] ?? '', /"prompt" is 10001 characters long; at most 10000/);
    assert.deepEqual(byIndex.get(6)?.problems, ['expected an object with "title" and "prompt"']);
    assert.deepEqual(byIndex.get(8)?.problems, ['another action is already titled "fine"']);
    assert.ok(r.problems.includes('tally.actions[1]: "prompt" is missing or empty'));
    assert.equal(
      invalidActionMessage(byIndex.get(1)!),
      'Tally: custom action "No prompt" (tally.actions[1]) cannot run: "prompt" is missing or empty. Fix it in your settings.',
    );
  });

  it('not an array, or too many: a problem, and the first MAX are used', () => {
    assert.match(parseCustomActions({ title: 'x' }).problems[0], /expected an array/);
    const many = Array.from({ length: MAX_CUSTOM_ACTIONS + 5 }, (_, i) => ({ title: `A${i}`, prompt: 'p' }));
    const r = parseCustomActions(many);
    assert.equal(r.valid.length, MAX_CUSTOM_ACTIONS);
    assert.match(r.problems[0], /55 actions; only the first 50/);
  });

  it('resolveSettings reads tally.actions from a workspace too (it changes what is asked, not where it goes)', () => {
    const { settings, ignored, problems } = resolveSettings((key) =>
      key === 'actions'
        ? { workspaceValue: [{ title: 'Team review', prompt: 'Review {{selection}}' }, { title: '' }] }
        : undefined,
    );
    assert.deepEqual(
      settings.actions.valid.map((a) => a.title),
      ['Team review'],
    );
    assert.deepEqual(ignored, []);
    assert.ok(problems.includes('tally.actions[1]: "title" is missing or empty'), problems.join('\n'));
  });
});
