// The layer rules of docs/ARCHITECTURE.md are enforced by lint: prove that each forbidden import is reported, and that
// the allowed ones are not, by linting small sources as if they stood in each layer.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layer lint rules', () => {
  const vscodeImport = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
  for (const file of [
    'src/core/x.ts',
    'src/core/api/x.ts',
    'src/core/cache/x.ts',
    'src/shared/x.ts',
    'src/webview/x.ts',
    'src/webview/render/x.ts',
  ]) {
    it(`forbids vscode in ${file}`, async () => {
      const messages = await restrictedImports(file, vscodeImport);
      assert.equal(messages.length, 1);
      assert.match(messages[0], /Only src\/host may import vscode/);
    });
  }

  it('allows vscode in src/host', async () => {
    assert.deepEqual(await restrictedImports('src/host/x.ts', vscodeImport), []);
  });

  it('forbids core importing host, webview importing core, shared importing core', async () => {
    assert.equal(
      (await restrictedImports('src/core/x.ts', "import { a } from '../host/extension';\nexport const x = a;\n"))
        .length,
      1,
    );
    assert.equal(
      (await restrictedImports('src/webview/x.ts', "import { a } from '../core/chatService';\nexport const x = a;\n"))
        .length,
      1,
    );
    assert.equal(
      (await restrictedImports('src/shared/x.ts', "import { a } from '../core/errors';\nexport const x = a;\n")).length,
      1,
    );
    assert.equal(
      (await restrictedImports('src/webview/x.ts', "import { a } from 'node:fs';\nexport const x = a;\n")).length,
      1,
    );
  });

  it("the rules hold inside the rooms of core and webview, whatever the import path's depth", async () => {
    for (const [file, spec] of [
      ['src/core/api/x.ts', '../../host/extension'],
      ['src/core/usage/x.ts', '../../host'],
      ['src/core/chat/x.ts', '../../webview/state'],
      ['src/webview/render/x.ts', '../../core/chat/chatService'],
      ['src/webview/render/x.ts', '../../core'],
      ['src/shared/x.ts', '../core/usage/budgets'],
    ]) {
      const messages = await restrictedImports(file, `import { a } from '${spec}';\nexport const x = a;\n`);
      assert.equal(messages.length, 1, `${file} importing ${spec}`);
    }
    assert.deepEqual(
      await restrictedImports('src/core/usage/x.ts', "import { a } from '../tokens/models';\nexport const x = a;\n"),
      [],
      'one core room may use another',
    );
    assert.deepEqual(
      await restrictedImports('src/core/usage/x.ts', "import { a } from '../../shared/format';\nexport const x = a;\n"),
      [],
    );
  });

  it('allows the arrows that point the right way', async () => {
    assert.deepEqual(
      await restrictedImports('src/host/x.ts', "import { a } from '../core/chatService';\nexport const x = a;\n"),
      [],
    );
    assert.deepEqual(
      await restrictedImports('src/core/x.ts', "import { a } from '../shared/protocol';\nexport const x = a;\n"),
      [],
    );
    assert.deepEqual(
      await restrictedImports('src/webview/x.ts', "import { a } from '../shared/protocol';\nexport const x = a;\n"),
      [],
    );
  });
});
