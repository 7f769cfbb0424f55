import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildActionRequest, completeTemplate, type ActionInput } from '../../src/core/actions/actionRequest';
import { BUILT_IN_ACTIONS, builtInAction } from '../../src/core/actions/catalog';
import { fenced, fenceFor, lineRange, placeholdersIn, renderTemplate } from '../../src/core/actions/template';
import { isTaskType } from '../../src/core/routing/taskTypes';

const input = (over: Partial<ActionInput> = {}): ActionInput => ({
  code: 'function add(a, b) {\n  return a + b;\n}',
  languageId: 'javascript',
  file: 'src/add.js',
  startLine: 4,
  endLine: 6,
  inputLabel: 'selection',
  ...over,
});

/** The code between the first fence line and its closing fence, as a Markdown reader would find it. */
function fencedBody(prompt: string): { fence: string; body: string } {
  const open = /^(`{3,})[^`\n]*$/m.exec(prompt);
  assert.ok(open, `no opening fence in ${prompt}`);
  const fence = open[1];
  const rest = prompt.slice(open.index + open[0].length + 1);
  const close = new RegExp(`^${fence}\`*\\s*$`, 'm').exec(rest);
  assert.ok(close, 'no closing fence');
  return { fence, body: rest.slice(0, close.index).replace(/\n$/, '') };
}

describe('fences', () => {
  for (const run of [3, 4, 7]) {
    it(`code holding a run of ${run} backticks gets a fence of ${run + 1} and survives intact`, () => {
      const code = `const s = "${'`'.repeat(run)}";\n// ${'`'.repeat(run)}md\n${'`'.repeat(run)}`;
      assert.equal(fenceFor(code), '`'.repeat(run + 1));
      const { fence, body } = fencedBody(`Look:\n\n${fenced(code, 'ts')}\n\nafter`);
      assert.equal(fence.length, run + 1);
      assert.equal(body, code);
    });
  }

  it('uses three backticks for code with fewer, and counts the longest of several runs', () => {
    assert.equal(fenceFor('a `b` c ``d``'), '```');
    assert.equal(fenceFor('x ````` y ``` z'), '``````');
    assert.equal(fenceFor(''), '```');
  });

  it('keeps backticks and spaces out of the info string', () => {
    assert.match(fenced('x', 'we`ird lang'), /^```weirdlang\nx\n```$/);
  });
});

describe('renderTemplate', () => {
  it('fills every placeholder, spaces inside braces allowed', () => {
    assert.equal(
      renderTemplate('{{ file }}:{{range}} in {{language}}', { file: 'a.ts', range: 'line 2', language: 'ts' }),
      'a.ts:line 2 in ts',
    );
  });

  it('does not expand placeholder text that arrives inside a value (one pass)', () => {
    const out = renderTemplate('{{selection}} / {{file}}', {
      selection: 'see {{file}} and {{range}}',
      file: 'a.ts',
      range: 'R',
    });
    assert.equal(out, 'see {{file}} and {{range}} / a.ts');
  });

  it('leaves unknown names as written and lists the names a template uses', () => {
    assert.equal(renderTemplate('{{nope}} {{file}}', { file: 'f' }), '{{nope}} f');
    assert.deepEqual(placeholdersIn('{{a}} {{ b }} {{a}} {{c.d}}'), ['a', 'b', 'c.d']);
  });

  it('does not treat a value like "$&" as a replacement pattern', () => {
    assert.equal(renderTemplate('[{{selection}}]', { selection: "$& $' $1" }), "[$& $' $1]");
  });

  it('names one line or a span of lines', () => {
    assert.equal(lineRange(3, 3), 'line 3');
    assert.equal(lineRange(3, 9), 'lines 3–9');
  });
});

describe('built-in catalog', () => {
  it('has the eight actions of issue #13, each with a known task, a distinct command and the code', () => {
    assert.deepEqual(
      BUILT_IN_ACTIONS.map((a) => a.title),
      [
        'Explain',
        'Refactor',
        'Find Bugs',
        'Write Tests',
        'Add Docs/Comments',
        'Optimise',
        'Translate',
        'Fix This Problem',
      ],
    );
    assert.equal(new Set(BUILT_IN_ACTIONS.map((a) => a.command)).size, BUILT_IN_ACTIONS.length);
    for (const a of BUILT_IN_ACTIONS) {
      assert.ok(isTaskType(a.task), a.id);
      assert.ok(placeholdersIn(a.template).includes('selection'), `${a.id} sends the code`);
      assert.ok(
        a.template.trimEnd().endsWith('{{selection}}'),
        `${a.id} puts the code last (a cut keeps the question)`,
      );
    }
    assert.equal(builtInAction('explain').command, 'tally.explainSelection');
  });

  it('every built-in prompt carries file, language and line range', () => {
    for (const a of BUILT_IN_ACTIONS) {
      const { prompt } = buildActionRequest(a, input({ targetLanguage: 'English', diagnostics: [] }));
      assert.ok(prompt.includes('`src/add.js`'), a.id);
      assert.ok(prompt.includes('lines 4–6'), a.id);
      assert.ok(prompt.includes('```javascript\n'), a.id);
      assert.doesNotMatch(prompt, /\{\{/, `${a.id} left a placeholder`);
    }
  });

  it('Explain keeps the wording of Explain Selection', () => {
    const { prompt } = buildActionRequest(builtInAction('explain'), input({ startLine: 1, endLine: 3 }));
    assert.match(prompt, /^Explain this code from `src\/add\.js` \(lines 1–3\)/);
    assert.ok(prompt.endsWith('```javascript\nfunction add(a, b) {\n  return a + b;\n}\n```'));
  });

  it('Translate names the target language; Fix This Problem lists the diagnostics', () => {
    assert.match(
      buildActionRequest(builtInAction('translate'), input({ targetLanguage: 'English' })).prompt,
      /into English\./,
    );
    const fix = buildActionRequest(
      builtInAction('fix'),
      input({
        diagnostics: [
          {
            message: "Cannot find name 'ad'.",
            severity: 'error',
            source: 'ts',
            code: '2304',
            startLine: 5,
            startColumn: 10,
            endLine: 5,
            endColumn: 12,
          },
        ],
      }),
    );
    assert.ok(fix.prompt.includes("- error at line 5, column 10 (ts 2304): Cannot find name 'ad'."), fix.prompt);
    assert.equal(fix.route.diagnostics, 1);
    assert.equal(fix.route.task, 'fix');
  });
});

describe('buildActionRequest', () => {
  it('tells the router the task, label, lines, code and files', () => {
    const r = buildActionRequest(builtInAction('refactor'), input());
    assert.deepEqual(r.route, { task: 'refactor', label: 'Refactor', lines: 3, code: input().code, files: 1 });
    assert.equal(r.inputLabel, 'selection');
  });

  it('a custom template without file/range/code gets them added', () => {
    const t = completeTemplate('Rate this {{language}} code from 1 to 10.');
    assert.equal(
      t,
      'From `{{file}}` ({{language}}, {{range}}):\n\nRate this {{language}} code from 1 to 10.\n\n{{selection}}',
    );
    const { prompt } = buildActionRequest({ title: 'Rate', task: 'qa', template: 'Rate it.' }, input());
    assert.ok(prompt.startsWith('From `src/add.js` (javascript, lines 4–6):\n\nRate it.\n\n```javascript\n'), prompt);
  });

  it('a selection containing placeholder text reaches the prompt as written', () => {
    const code = 'const t = "{{file}} {{diagnostics}} {{selection}}";';
    const { prompt } = buildActionRequest(
      { title: 'Custom', task: 'code', template: 'Look at {{selection}} in {{file}}, {{range}}' },
      input({ code }),
    );
    assert.equal(prompt, 'Look at ```javascript\n' + code + '\n``` in src/add.js, lines 4–6');
  });
});
