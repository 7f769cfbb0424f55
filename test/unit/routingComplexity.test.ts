// The complexity estimate: each signal's boundaries (just below, at, above each threshold), the code scan's
// nesting and branch counts, and the scan's bound.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMPLEXITY_THRESHOLDS,
  estimateComplexity,
  levelOf,
  measureCode,
  type ComplexitySignal,
} from '../../src/core/routing/complexity';

describe('complexity thresholds', () => {
  for (const signal of Object.keys(COMPLEXITY_THRESHOLDS) as ComplexitySignal[]) {
    const { medium, complex } = COMPLEXITY_THRESHOLDS[signal];
    it(`${signal}: below ${medium} simple, at ${medium} medium, below ${complex} medium, at and above ${complex} complex`, () => {
      assert.equal(levelOf(signal, medium - 1), 'simple');
      assert.equal(levelOf(signal, medium), 'medium');
      assert.equal(levelOf(signal, medium + 1), 'medium');
      assert.equal(levelOf(signal, complex - 1), 'medium');
      assert.equal(levelOf(signal, complex), 'complex');
      assert.equal(levelOf(signal, complex + 1), 'complex');
    });
  }

  it('each boundary holds through estimateComplexity, one signal at a time', () => {
    const t = COMPLEXITY_THRESHOLDS;
    const at = (extra: Record<string, number>) => estimateComplexity({ promptTokens: 10, ...extra }).complexity;
    assert.equal(at({ promptTokens: t.promptTokens.medium - 1 }), 'simple');
    assert.equal(at({ promptTokens: t.promptTokens.medium }), 'medium');
    assert.equal(at({ promptTokens: t.promptTokens.complex }), 'complex');
    assert.equal(at({ lines: t.lines.medium - 1 }), 'simple');
    assert.equal(at({ lines: t.lines.medium }), 'medium');
    assert.equal(at({ lines: t.lines.complex - 1 }), 'medium');
    assert.equal(at({ lines: t.lines.complex }), 'complex');
    assert.equal(at({ files: t.files.medium - 1 }), 'simple');
    assert.equal(at({ files: t.files.medium }), 'medium');
    assert.equal(at({ files: t.files.complex }), 'complex');
    assert.equal(at({ diagnostics: t.diagnostics.medium - 1 }), 'simple');
    assert.equal(at({ diagnostics: t.diagnostics.medium }), 'medium');
    assert.equal(at({ diagnostics: t.diagnostics.complex }), 'complex');
    assert.equal(at({ nesting: t.nesting.medium - 1 }), 'simple');
    assert.equal(at({ nesting: t.nesting.complex }), 'complex');
    assert.equal(at({ branches: t.branches.medium - 1 }), 'simple');
    assert.equal(at({ branches: t.branches.medium }), 'medium');
    assert.equal(at({ branches: t.branches.complex }), 'complex');
  });

  it('the most complex signal decides, and the estimate names the signals that reached that level', () => {
    const e = estimateComplexity({ promptTokens: 100, lines: 200, files: 4, diagnostics: 2 });
    assert.equal(e.complexity, 'complex');
    assert.deepEqual(e.drivenBy, ['lines', 'files']);
    assert.deepEqual(estimateComplexity({ promptTokens: 100, lines: 3 }).drivenBy, []);
  });
});

describe('measureCode', () => {
  it('counts brace depth and branch keywords and operators, not lookalikes', () => {
    const code = [
      'function f(a, b) {',
      '  if (a && b) {',
      '    for (const x of a) {',
      '      while (x || b?.c) { g(x ?? 1); }',
      '    }',
      '  }',
      '  return a ? 1 : 2; // ifdef, elsewhere, format',
      '}',
    ].join('\n');
    const shape = measureCode(code);
    assert.equal(shape.nesting, 4);
    // if, &&, for, while, ||, ternary ?  (not ?. nor ?? nor "ifdef"/"format")
    assert.equal(shape.branches, 6);
    assert.equal(shape.lines, 8);
  });

  it('measures nesting by indentation when there are no braces (Python), relative to the least indented line', () => {
    const code = [
      '    def f(x):',
      '        if x:',
      '            for y in x:',
      '                try:',
      '                    pass',
      '                except E:',
      '                    pass',
    ].join('\n');
    const shape = measureCode(code);
    assert.equal(shape.nesting, 4);
    assert.equal(shape.branches, 3);
  });

  it('a one-column step is alignment, not nesting; tabs count as a level each', () => {
    assert.equal(measureCode('a\n b\n c').nesting, 0);
    assert.equal(measureCode('a\n\tb\n\t\tc').nesting, 2);
  });

  it('`?:` (optional property) and `?.` are not branches', () => {
    assert.equal(measureCode('interface A { b?: string; c?.d }').branches, 0);
  });

  it('reads at most maxChars characters', () => {
    const code = 'if x\n'.repeat(1000);
    assert.equal(measureCode(code, 50).branches, 10);
    assert.equal(measureCode(code, 50).lines, 10);
    assert.equal(measureCode('a\nb').lines, 2);
    assert.equal(measureCode('').lines, 0);
    assert.equal(measureCode(code).branches, 1000);
  });

  it('code given to the estimate is measured; given measures win over the scan', () => {
    const code = 'if (a) {\n  if (b) {\n    if (c) { if (d) { x(); } }\n  }\n}';
    const e = estimateComplexity({ promptTokens: 10, code });
    assert.equal(e.measured.nesting, 4);
    assert.equal(e.measured.lines, 5);
    assert.equal(e.complexity, 'medium');
    assert.deepEqual(e.drivenBy, ['nesting']);
    assert.equal(estimateComplexity({ promptTokens: 10, code, nesting: 1, lines: 2 }).complexity, 'simple');
  });
});
