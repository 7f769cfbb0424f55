// The integration suite really runs inside a VS Code extension host (code-server 4.139.1 = VS Code 1.139.1), with
// Tally loaded from the working tree. `npm test` greps the "VS Code <version> (<app>)" line for its summary.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('real VS Code harness', () => {
  it('runs in the extension host of VS Code 1.139', () => {
    console.log(`VS Code ${vscode.version} (${vscode.env.appName})`);
    assert.match(vscode.version, /^1\.139\./);
    assert.equal(typeof vscode.window.registerWebviewViewProvider, 'function');
  });

  it('has Tally (tally-dev.tally) loaded, and it activates', async () => {
    const ext = vscode.extensions.getExtension('tally-dev.tally');
    assert.ok(ext, 'tally-dev.tally is not loaded (engines.vscode must accept 1.139.1)');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
