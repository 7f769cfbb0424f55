import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatDiagnostics,
  isFixable,
  linesAround,
  MAX_DIAGNOSTICS,
  type DiagnosticInfo,
} from '../../src/core/actions/diagnostics';
import { MAX_ACTION_INPUT_CHARS, refusalFor, type InputFacts } from '../../src/core/actions/inputChecks';
import { formatBytes } from '../../src/core/actions/sizes';

const facts = (over: Partial<InputFacts> = {}): InputFacts => ({
  file: 'a.ts',
  head: 'let x = 1;\n',
  documentChars: 11,
  input: 'let x = 1;',
  inputLabel: 'selection',
  ...over,
});

describe('refusalFor', () => {
  it('lets ordinary code through', () => assert.equal(refusalFor(facts()), undefined));

  it('refuses an empty document, binary content and whitespace-only input, each with its reason', () => {
    assert.equal(
      refusalFor(facts({ documentChars: 0, head: '', input: '' })),
      'Tally: a.ts is empty; there is no code to send.',
    );
    assert.match(refusalFor(facts({ head: 'PNG\0\0' })) ?? '', /a\.ts looks binary \(it contains NUL bytes\)/);
    assert.match(refusalFor(facts({ input: 'x\0y' })) ?? '', /looks binary/);
    assert.match(refusalFor(facts({ input: ' \n\t ' })) ?? '', /the selection is only whitespace/);
  });

  it('refuses input over the bound, saying how big it is and what the bound is', () => {
    const input = 'x'.repeat(MAX_ACTION_INPUT_CHARS + 1);
    assert.equal(
      refusalFor(facts({ input, inputLabel: 'file' })),
      'Tally: the file is 512 KB, more than the 512 KB one action sends. Select a smaller part.',
    );
    const big = 'x'.repeat(3 * 1024 * 1024);
    assert.match(refusalFor(facts({ input: big })) ?? '', /the selection is 3 MB, more than the 512 KB/);
    assert.equal(refusalFor(facts({ input: 'x'.repeat(MAX_ACTION_INPUT_CHARS) })), undefined, 'at the bound is fine');
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(900), '900 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(2.25 * 1024 * 1024), '2.3 MB');
  });
});

const diag = (over: Partial<DiagnosticInfo>): DiagnosticInfo => ({
  message: 'm',
  severity: 'error',
  startLine: 10,
  startColumn: 1,
  endLine: 10,
  endColumn: 5,
  ...over,
});

describe('diagnostics', () => {
  it('formats severity, place, source and code, indenting follow-on lines', () => {
    assert.equal(
      formatDiagnostics([
        diag({ message: 'Unused x', severity: 'warning', source: 'eslint', code: 'no-unused-vars' }),
        diag({ message: 'first\nsecond', startLine: 3, endLine: 4 }),
      ]),
      '- warning at line 10, column 1 (eslint no-unused-vars): Unused x\n- error at lines 3–4, from column 1: first\n  second',
    );
    assert.equal(formatDiagnostics([]), '(none)');
  });

  it('lists at most MAX_DIAGNOSTICS and counts the rest', () => {
    const out = formatDiagnostics(Array.from({ length: MAX_DIAGNOSTICS + 3 }, () => diag({})));
    assert.equal(out.split('\n').length, MAX_DIAGNOSTICS + 1);
    assert.ok(out.endsWith('- …and 3 more'));
  });

  it('only errors and warnings are fixable', () => {
    assert.deepEqual(
      (['error', 'warning', 'information', 'hint'] as const).map((severity) => isFixable({ severity })),
      [true, true, false, false],
    );
  });

  it('sends the lines around the problems, within the document', () => {
    assert.deepEqual(linesAround([diag({ startLine: 20, endLine: 22 })], 100, 5), { startLine: 15, endLine: 27 });
    assert.deepEqual(linesAround([diag({ startLine: 2, endLine: 2 }), diag({ startLine: 40, endLine: 41 })], 44, 5), {
      startLine: 1,
      endLine: 44,
    });
    assert.deepEqual(linesAround([], 7), { startLine: 1, endLine: 7 });
  });
});
