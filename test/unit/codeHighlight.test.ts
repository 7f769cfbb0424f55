import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseWebviewMessage } from '../../src/shared/protocol';
import { fenceTag, highlightFileFor } from '../../src/webview/render/codeLanguage';

const load = createRequire(__filename);
const highlight = load('../../scripts/highlightLanguages.cjs') as {
  LANGUAGES: string[];
  aliasTable(): Record<string, string>;
};

describe("a code block's language", () => {
  it("is the tag of markdown-it's language-<tag> class when it is a plain identifier", () => {
    assert.equal(fenceTag('language-ts'), 'ts');
    assert.equal(fenceTag('hljs language-c++'), 'c++');
    assert.equal(fenceTag(''), '');
    assert.equal(fenceTag('language-{.python}'), '');
    assert.equal(fenceTag('language-a"b'), '');
  });

  it('every tag the panel can send passes the host-side validation', () => {
    for (const tag of ['ts', 'c++', 'c#', 'objective-c', 'python3', 'x'.repeat(40)]) {
      assert.equal(fenceTag(`language-${tag}`), tag);
      const msg = { type: 'code/action', action: 'newFile', code: '', language: tag };
      assert.equal(parseWebviewMessage(msg).ok, true, tag);
    }
  });
});

describe('the highlight.js language table', () => {
  const table = highlight.aliasTable();

  it("maps the usual fence tags to highlight.js's files, case-insensitively", () => {
    const tags = [
      'ts',
      'TSX',
      'typescript',
      'js',
      'jsx',
      'py',
      'sh',
      'zsh',
      'html',
      'c++',
      'cs',
      'yml',
      'rs',
      'golang',
    ];
    assert.deepEqual(
      tags.map((t) => highlightFileFor(t, table)),
      [
        'typescript',
        'typescript',
        'typescript',
        'javascript',
        'javascript',
        'python',
        'bash',
        'bash',
        'xml',
        'cpp',
        'csharp',
        'yaml',
        'rust',
        'go',
      ],
    );
  });

  it('an unknown tag, or a name on Object.prototype, has no file (the block stays plain)', () => {
    for (const t of ['brainfuck', 'constructor', '__proto__', 'toString', '']) {
      assert.equal(highlightFileFor(t, table), undefined, t);
    }
  });

  it("each language's own name wins over another language's alias, and every file exists in highlight.js", () => {
    for (const name of highlight.LANGUAGES) {
      assert.equal(table[name], name);
      const file = path.join('node_modules', 'highlight.js', 'es', 'languages', `${name}.js`);
      assert.ok(fs.existsSync(file), file);
    }
  });
});
