// @tally in VS Code's own Chat (issue #16 item 2), in the real extension host: the participant's handler (from the test
// API) driven with a recording response stream. /explain on an attached selection is routed (the reason is shown
// first) and answered from the loopback server with the file, range and code; /cost answers from the ledger; without a
// key the error comes with a Set API Key button; an API error with Retry (VS Code's own chat retry for the session), a
// budget refusal without; the request lands in the same usage ledger as the panel's.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { configure, useChatSuite } from './helpers';

const KEY = 'sk-integration-test-key-0017';

class RecordingStream {
  readonly parts: string[] = [];
  readonly buttons: vscode.Command[] = [];
  markdown(value: string | vscode.MarkdownString) {
    this.parts.push(typeof value === 'string' ? value : value.value);
  }
  button(command: vscode.Command) {
    this.buttons.push(command);
  }
  get text(): string {
    return this.parts.join('');
  }
}

/** A chat session as VS Code names it; the request's toolInvocationToken carries it (as VS Code 1.139 does). */
const SESSION = vscode.Uri.parse('vscode-chat-session://local/tally-participant-test');

function chatRequest(prompt: string, command: string | undefined, references: vscode.ChatPromptReference[] = []) {
  return {
    prompt,
    command,
    references,
    toolReferences: [],
    toolInvocationToken: Object.freeze({ sessionResource: SESSION }),
  } as unknown as vscode.ChatRequest;
}
const noHistory = { history: [] } as unknown as vscode.ChatContext;

describe("VS Code's own Chat: @tally", () => {
  const suite = useChatSuite(KEY, { model: 'gpt-4o' });

  async function ask(prompt: string, command?: string, references?: vscode.ChatPromptReference[]) {
    const stream = new RecordingStream();
    const result = await suite.api.participant(
      chatRequest(prompt, command, references),
      noHistory,
      stream as unknown as vscode.ChatResponseStream,
      new vscode.CancellationTokenSource().token,
    );
    return { stream, result };
  }

  it('/explain on an attached selection: routed, reason first, answered with file, range and code', async () => {
    const { server } = suite;
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'participant-sample.ts');
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from('export function add(a: number, b: number) {\n  return a + b;\n}\n'),
    );
    try {
      const reference = {
        id: 'vscode.implicit.selection',
        name: 'selection',
        value: new vscode.Location(uri, new vscode.Range(0, 0, 2, 1)),
      } as vscode.ChatPromptReference;
      const { stream } = await ask('', 'explain', [reference]);
      assert.match(
        stream.parts[0],
        /^\*Explain · simple \(\d+ tokens, 3 lines, 1 file\) → gpt-4o-mini · saves ≈ \$[\d.]+ against gpt-4o\*/,
      );
      const chats = server.requests.filter((r) => r.path === '/v1/chat/completions');
      assert.equal(chats.length, 1);
      const body = chats[0].body as { model: string; messages: { role: string; content: string }[] };
      assert.equal(body.model, 'gpt-4o-mini', 'routed, although tally.model is gpt-4o');
      const sent = body.messages.at(-1)!.content;
      assert.match(sent, /participant-sample\.ts/);
      assert.match(sent, /lines 1–3/);
      assert.match(sent, /return a \+ b;/);
      assert.match(stream.text, /Echo: Explain this code/);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('/cost answers from the usage ledger the panel uses', async () => {
    const { stream } = await ask('', 'cost');
    assert.match(stream.text, /Tally usage/);
    assert.match(stream.text, /[Tt]oday/);
    assert.equal(suite.server.requests.length, 0, 'no request for /cost');
  });

  it('without a key: the error with a Set API Key button, nothing sent', async () => {
    await vscode.commands.executeCommand('tally.clearApiKey');
    try {
      const { stream, result } = await ask('hello', undefined);
      assert.match(stream.text, /\*\*Tally:\*\* .*Set API Key/);
      assert.ok(stream.buttons.some((b) => b.command === 'tally.setApiKey'));
      assert.ok(result && 'errorDetails' in result && result.errorDetails);
      assert.equal(suite.server.requests.filter((r) => r.path === '/v1/chat/completions').length, 0);
    } finally {
      await suite.api.setApiKey(KEY);
    }
  });

  it('an API error comes with Retry: the chat’s own retry of this session, a command VS Code has', async () => {
    const { server } = suite;
    server.enqueue({ status: 400, error: { message: 'This model does not exist here.', code: 'model_not_found' } });
    const { stream, result } = await ask('hello again', undefined);
    assert.match(stream.text, /\*\*Tally:\*\* /);
    assert.ok(result && 'errorDetails' in result && result.errorDetails);
    const retry = stream.buttons.find((b) => b.title === 'Retry');
    assert.ok(retry, `a Retry button (buttons: ${stream.buttons.map((b) => b.title).join(', ')})`);
    assert.equal(retry.command, 'workbench.action.chat.retry');
    assert.deepEqual(retry.arguments, [{ sessionResource: SESSION }]);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(retry.command), 'VS Code has the command the button runs');
    // With a session that has no widget (this test's) the command does nothing, and does not fail.
    await vscode.commands.executeCommand(retry.command, ...(retry.arguments ?? []));
    assert.equal(server.requests.filter((r) => r.path === '/v1/chat/completions').length, 1);
  });

  it('a budget refusal has no Retry (it would be refused again), but Show Usage', async () => {
    await configure({ 'budget.dailyUsd': 0 });
    try {
      const { stream } = await ask('over budget?', undefined);
      assert.ok(stream.buttons.some((b) => b.command === 'tally.showUsage'));
      assert.ok(!stream.buttons.some((b) => b.command === 'workbench.action.chat.retry'));
      assert.equal(suite.server.requests.length, 0);
    } finally {
      await configure({ 'budget.dailyUsd': undefined });
    }
  });

  it('/explain with nothing selected or attached asks for code; nothing sent', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const { stream } = await ask('', 'explain');
    assert.match(stream.text, /Select some code in the editor or attach a file/);
    assert.equal(suite.server.requests.length, 0);
  });
});
