// Tally is harmless with VS Code's AI features turned off (issue #16): with `chat.disableAIFeatures: true` in the user
// settings (runIntegration.mjs starts one VS Code run with it, TALLY_CS_USER_SETTINGS) the extension activates, its
// language model provider registers without an error, asking VS Code for its models sends nothing to the endpoint,
// and Tally's own panel and commands work as always. In the main run (the setting off) this file skips itself.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { configure, openChatView, PostRecorder, tallyApi, waitFor } from './helpers';

const KEY = 'sk-integration-test-key-ai-off';

function tallyLog(logUri: vscode.Uri): string {
  const dir = path.dirname(logUri.fsPath);
  const under = (d: string): string[] =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? under(path.join(d, e.name)) : [path.join(d, e.name)]))
      : [];
  return under(dir)
    .filter((f) => /tally/i.test(f))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

describe('with chat.disableAIFeatures: true', function () {
  let server: FakeOpenAIServer;

  before(async function () {
    if (vscode.workspace.getConfiguration('chat').get('disableAIFeatures') !== true) return this.skip();
    server = await FakeOpenAIServer.start();
  });
  after(async () => {
    if (!server) return;
    await vscode.commands.executeCommand('tally.clearApiKey');
    await configure({ baseUrl: undefined, model: undefined });
    await server.close();
  });

  it('activates; the provider and @tally register without an error', async () => {
    const api = await tallyApi();
    assert.equal(vscode.workspace.getConfiguration('chat').get('disableAIFeatures'), true);
    const log = await waitFor('the provider’s registration in the log', () => {
      const text = tallyLog(api.logUri);
      return /VS Code chat: (\d+ Tally models offered|models not offered)/.test(text) ? text : undefined;
    });
    assert.match(log, /VS Code chat: \d+ Tally models offered/);
    assert.doesNotMatch(log, /models not offered|\[error\]/);
  });

  it('asking VS Code for Tally’s models sends nothing; only the user’s own panel question reaches the endpoint', async () => {
    const api = await tallyApi();
    await configure({ baseUrl: server.baseUrl, model: 'gpt-4o-mini' });
    await api.setApiKey(KEY);
    const models = await vscode.lm.selectChatModels({ vendor: 'tally' });
    assert.ok(Array.isArray(models));
    assert.equal(server.requests.length, 0, 'listing models sends nothing');

    await openChatView(api);
    const posts = new PostRecorder(api);
    try {
      await api.receive({ type: 'chat/send', requestId: 'aioff1', text: 'Still here?' });
      const done = await posts.next('chat/done', 'aioff1');
      assert.equal(done.assistant.content, 'Echo: Still here?');
    } finally {
      posts.dispose();
    }
    assert.equal(server.requests.filter((r) => r.path === '/v1/chat/completions').length, 1);
    await vscode.commands.executeCommand('tally.showUsage');
    await waitFor('the usage report', () => api.usage.report.html);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(server.requests.filter((r) => r.path === '/v1/chat/completions').length, 1, 'nothing more');
  });
});
