// Activation, commands and the chat view, in the real extension host. This file runs first (index.ts puts it first),
// before any chat request, so the laziness checks see a fresh extension.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, openChatView, tallyApi } from './helpers';

const loadedFromDist = (name: string) =>
  Object.keys(require.cache).some((k) => k.replace(/\\/g, '/').endsWith(`/dist/lazy/${name}`));

describe('activation', () => {
  it('activates and returns its test API', async () => {
    const api = await tallyApi();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.equal(typeof api.receive, 'function');
  });

  it('does not load the openai SDK or the tokenizer at activation', async () => {
    const api = await tallyApi();
    assert.equal(api.sdkLoaded(), false);
    assert.equal(loadedFromDist('openai.js'), false, 'dist/lazy/openai.js is in require.cache');
    for (const f of ['tiktoken.js', 'o200k_base.js', 'cl100k_base.js'])
      assert.equal(loadedFromDist(f), false, `${f} loaded at activation`);
    assert.ok(
      Object.keys(require.cache).some((k) => k.replace(/\\/g, '/').endsWith('/dist/extension.js')),
      'the check looks at the right cache',
    );
  });

  it('registers every command that package.json contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (ext?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 4);
    for (const id of ['tally.newChat', 'tally.setApiKey', 'tally.explainSelection', 'tally.stop'])
      assert.ok(contributed.includes(id), id);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('resolves the chat view, whose webview script runs under its CSP and says ready', async () => {
    const api = await tallyApi();
    await openChatView(api);
    assert.equal(api.sdkLoaded(), false, 'opening the panel must not load the SDK either');
  });
});
