import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitCode } from '../../src/core/edits/codeFit';
import { editorLanguageFor } from '../../src/core/edits/editorLanguage';
import { checkReplacement, proposedText, type ReplacementProposal } from '../../src/core/edits/replacement';

describe('fitting a code block to where it goes', () => {
  const block = 'if (a) {\n  b();\n}\n';

  it('inserted on an empty line: the fence newline is dropped', () => {
    assert.equal(fitCode(block, { before: '', replaced: '', after: '' }), 'if (a) {\n  b();\n}');
  });

  it("inserted in a line's indentation: every line after the first takes that indentation", () => {
    assert.equal(fitCode(block, { before: '    ', replaced: '', after: '' }), 'if (a) {\n      b();\n    }');
  });

  it('inserted before code on the same line: that code moves to its own line at the same indentation', () => {
    assert.equal(fitCode('x();\n', { before: '  ', replaced: '', after: 'y();' }), 'x();\n  ');
  });

  it('inserted after text on the line: written as it is', () => {
    assert.equal(fitCode('a\n  b\n', { before: 'const x = ', replaced: '', after: '' }), 'a\n  b');
  });

  it('replacing whole indented lines: the block is re-based to their indentation and keeps its newline', () => {
    const replaced = '    old();\n    more();\n';
    assert.equal(fitCode(block, { before: '', replaced, after: '' }), '    if (a) {\n      b();\n    }\n');
  });

  it('a block indented more than needed is dedented first; blank lines stay empty', () => {
    const code = '        def f():\n\n            return 1\n';
    assert.equal(fitCode(code, { before: '  ', replaced: 'x = 1', after: '' }), 'def f():\n\n      return 1');
  });

  it('CRLF in the block becomes LF (VS Code writes the document EOL)', () => {
    assert.equal(fitCode('a\r\nb\r\n', { before: '', replaced: '', after: '' }), 'a\nb');
  });
});

describe('a replacement shown as a diff, then accepted', () => {
  const p: ReplacementProposal = {
    document: 'file:///w/a.ts',
    name: 'a.ts',
    version: 7,
    start: 4,
    end: 9,
    original: 'old()',
    replacement: 'new()',
  };
  const now = { document: p.document, version: 7, closed: false, textInRange: 'old()' };

  it('applies to the document unchanged since the diff', () => {
    assert.deepEqual(checkReplacement(p, now), { ok: true });
  });

  it('is refused when the document changed (another version), with a message that says so', () => {
    const v = checkReplacement(p, { ...now, version: 8 });
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.reason, /a\.ts changed after the diff was shown\. Nothing was replaced/);
  });

  it('is refused when the replaced text is not there any more, or the document was closed', () => {
    assert.equal(checkReplacement(p, { ...now, textInRange: 'olD()' }).ok, false);
    const closed = checkReplacement(p, { ...now, closed: true });
    assert.match(closed.ok ? '' : closed.reason, /a\.ts was closed/);
    assert.equal(checkReplacement(p, { ...now, document: 'file:///w/b.ts' }).ok, false);
  });

  it('the diff shows the document with the range replaced', () => {
    assert.equal(proposedText('let old() = 1;', p), 'let new() = 1;');
  });
});

describe('the language of a new file holding a block', () => {
  const known = new Set(['typescript', 'typescriptreact', 'python', 'shellscript', 'cpp', 'plaintext', 'go']);
  it('a VS Code id stays, a usual short name maps to it, anything else is plain text', () => {
    assert.deepEqual(
      ['TypeScript', 'ts', 'tsx', 'py', 'sh', 'c++', 'go', 'golang', 'brainfuck', '', 'rs'].map((t) =>
        editorLanguageFor(t, known),
      ),
      [
        'typescript',
        'typescript',
        'typescriptreact',
        'python',
        'shellscript',
        'cpp',
        'go',
        'go',
        'plaintext',
        'plaintext',
        'plaintext', // rust is not installed in this set
      ],
    );
  });
});
