// The API key lives only in SecretStorage: after a chat, a failed request and a key change, it must appear in no
// setting, no global or workspace state, no log line and no message posted to the webview.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { configure, openChatView, PostRecorder, tallyApi } from './helpers';

const KEY = 'sk-SECRET-never-leak-7c1e9a53b2';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('API key hygiene', () => {
  let server: FakeOpenAIServer;
  after(async () => {
    await vscode.commands.executeCommand('tally.clearApiKey');
    await configure({ baseUrl: undefined });
    await server?.close();
  });

  it('the key appears in no setting, state, log line or webview message', async () => {
    server = await FakeOpenAIServer.start();
    const api = await tallyApi();
    await openChatView(api);
    const posts = new PostRecorder(api);
    try {
      await configure({ baseUrl: server.baseUrl });
      await api.setApiKey(KEY);
      await api.receive({ type: 'chat/send', requestId: 'key1', text: 'hello' });
      await posts.next('chat/done', 'key1');
      assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`, 'the key was really used');
      // A 401 whose body quotes the key back, as some servers do: the message must not carry it to the panel or log.
      server.enqueue({
        status: 401,
        error: {
          message: `Incorrect API key provided: ${KEY}.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      });
      await api.receive({ type: 'chat/send', requestId: 'key2', text: 'again' });
      const failure = await posts.next('chat/error', 'key2');
      assert.equal(failure.error.kind, 'auth');
      assert.deepEqual(failure.error.actions.includes('setApiKey'), true);
    } finally {
      posts.dispose();
    }

    const leaks: string[] = [];
    const check = (where: string, text: string) => {
      if (text.includes(KEY)) leaks.push(where);
    };
    check('webview messages', JSON.stringify(posts.messages));
    assert.ok(posts.messages.length > 5, 'messages were recorded');
    for (const key of api.globalState.keys()) check(`globalState ${key}`, JSON.stringify(api.globalState.get(key)));
    for (const key of api.workspaceState.keys())
      check(`workspaceState ${key}`, JSON.stringify(api.workspaceState.get(key)));
    check('settings', JSON.stringify(vscode.workspace.getConfiguration().get('tally')));
    const tally = vscode.workspace.getConfiguration('tally');
    for (const name of ['baseUrl', 'model', 'systemPrompt'])
      check(`setting ${name}`, JSON.stringify(tally.inspect(name)));

    // The Tally log channel is written under the extension's log folder; wait until it holds this test's lines.
    const logDir = path.dirname(api.logUri.fsPath);
    let logText = '';
    for (let i = 0; i < 100 && !/chat key2: failed \(auth 401\)/.test(logText); i++) {
      await new Promise((r) => setTimeout(r, 100));
      logText = filesUnder(logDir)
        .filter((f) => /tally/i.test(f))
        .map((f) => fs.readFileSync(f, 'utf8'))
        .join('\n');
    }
    assert.match(logText, /chat key2: failed \(auth 401\)/, `the Tally log was found under ${logDir}`);
    check('log', logText);
    assert.deepEqual(leaks, []);
  });
});
