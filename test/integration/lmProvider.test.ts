// Tally's models in VS Code's own Chat (issue #16), in the real extension host: vscode.lm finds them by vendor, a
// request streams text from the loopback server through Tally's pipeline, cancellation closes the HTTP request, a 429
// with Retry-After is waited out, a tool call round-trips, an image reaches the server as image_url (or is left out
// with a note for a text-only model), the token count is exact, a cache hit makes no request, and without a key the
// request is refused with a clear message.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { configure, useChatSuite, waitFor } from './helpers';

const KEY = 'sk-integration-test-key-0016';

async function tallyModel(id = 'gpt-4o-mini'): Promise<vscode.LanguageModelChat> {
  // The models appear once the provider is registered and VS Code has asked it (activation, then a moment).
  let models: vscode.LanguageModelChat[] = [];
  for (let i = 0; i < 100 && models.length === 0; i++) {
    models = await vscode.lm.selectChatModels({ vendor: 'tally' });
    if (models.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  const model = models.find((m) => m.id === id);
  assert.ok(model, `${id} offered (of ${models.map((m) => m.id).join(', ') || 'none'})`);
  return model;
}

const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const DataPart = () =>
  (
    vscode as unknown as {
      LanguageModelDataPart: { image(data: Uint8Array, mime: string): vscode.LanguageModelTextPart };
    }
  ).LanguageModelDataPart;
const capabilities = (m: vscode.LanguageModelChat) =>
  (m as unknown as { capabilities: { supportsImageToText?: boolean } }).capabilities;

async function collect(response: vscode.LanguageModelChatResponse) {
  const text: string[] = [];
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) text.push(part.value);
    else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
  }
  return { text: text.join(''), calls };
}

describe("VS Code's own Chat: Tally's language models", () => {
  const suite = useChatSuite(KEY, { model: 'gpt-4o-mini', temperature: 0 });
  const user = (text: string) => [vscode.LanguageModelChatMessage.User(text)];

  it('are found by vendor, with window, output limit and price', async () => {
    const mini = await tallyModel();
    const models = await vscode.lm.selectChatModels({ vendor: 'tally' });
    assert.equal(mini.vendor, 'tally');
    assert.equal(mini.maxInputTokens, 128_000 - 16_384);
    assert.ok(models.some((m) => m.id === 'gpt-4o'));
  });

  it('stream a reply from the loopback server through the pipeline; the prompt is counted exactly', async () => {
    const { server } = suite;
    const model = await tallyModel();
    const r = await collect(await model.sendRequest(user('Hello from the Chat view'), {}));
    assert.equal(r.text, 'Echo: Hello from the Chat view');
    const chats = server.requests.filter((x) => x.path === '/v1/chat/completions');
    assert.equal(chats.length, 1);
    assert.equal((chats[0].body as { model: string }).model, 'gpt-4o-mini');
    assert.equal(chats[0].headers.authorization, `Bearer ${KEY}`);
    const count = await model.countTokens(vscode.LanguageModelChatMessage.User('Hello from the Chat view'));
    // The server counts the whole request: this one message plus the reply priming (3 tokens).
    assert.equal(count + 3, chats[0].promptTokens);
  });

  it('a second identical request is served from the cache (temperature 0): no request', async () => {
    const { server } = suite;
    const model = await tallyModel();
    await collect(await model.sendRequest(user('cache me'), {}));
    await new Promise((r) => setTimeout(r, 500)); // the cache write runs after the reply
    const again = await collect(await model.sendRequest(user('cache me'), {}));
    assert.equal(again.text, 'Echo: cache me');
    assert.equal(server.requests.filter((x) => x.path === '/v1/chat/completions').length, 1);
  });

  it('a 429 with Retry-After is waited out, then answered', async () => {
    const { server } = suite;
    server.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { text: 'after the wait' });
    const model = await tallyModel();
    const r = await collect(await model.sendRequest(user('rate limited?'), {}));
    assert.equal(r.text, 'after the wait');
    assert.equal(server.requests.filter((x) => x.path === '/v1/chat/completions').length, 2);
  });

  it('cancelling closes the HTTP request', async () => {
    const { server } = suite;
    server.enqueue({ text: 'one two three four five six seven eight nine ten', chunkSize: 4, chunkDelayMs: 200 });
    const model = await tallyModel();
    const cts = new vscode.CancellationTokenSource();
    const response = await model.sendRequest(user('count slowly'), {}, cts.token);
    const seen: string[] = [];
    try {
      for await (const t of response.text) {
        seen.push(t);
        if (seen.length === 2) cts.cancel();
      }
    } catch {
      // VS Code may end a cancelled stream with an error: what matters is the connection.
    }
    const settled = await server.waitForSettled(0, 10_000);
    assert.equal(settled.clientClosedEarly, true, 'the server saw the client close');
    assert.equal(settled.finished, false);
  });

  it('a tool call round-trips: the call comes back whole, the result goes out as a tool message', async () => {
    const { server } = suite;
    server.enqueue({ text: '', toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"README.md"}' }] });
    const model = await tallyModel();
    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: {} } },
    ];
    const first = await collect(await model.sendRequest(user('read the readme'), { tools }));
    assert.equal(first.calls.length, 1);
    assert.equal(first.calls[0].callId, 'call_1');
    assert.deepEqual(first.calls[0].input, { path: 'README.md' });
    await collect(
      await model.sendRequest(
        [
          ...user('read the readme'),
          vscode.LanguageModelChatMessage.Assistant([first.calls[0]]),
          vscode.LanguageModelChatMessage.User([
            new vscode.LanguageModelToolResultPart('call_1', [new vscode.LanguageModelTextPart('# Tally')]),
          ]),
        ],
        { tools },
      ),
    );
    const body = server.requests.at(-1)!.body as { messages: Record<string, unknown>[]; tools: unknown[] };
    assert.equal(body.tools.length, 1);
    assert.deepEqual(body.messages.at(-1), { role: 'tool', tool_call_id: 'call_1', content: '# Tally' });
    assert.equal((body.messages.at(-2)!.tool_calls as unknown[]).length, 1);
  });

  it('an image reaches the server as an image_url data: URL for a model that takes images, and is counted', async () => {
    const { server } = suite;
    // A 1×1 PNG; VS Code 1.139 has LanguageModelDataPart (the 1.104 types this extension builds against do not).
    const png = Buffer.from(ONE_PIXEL_PNG, 'base64');
    const image = () => DataPart().image(new Uint8Array(png), 'image/png');
    const mini = await tallyModel('gpt-4o-mini');
    const old = await tallyModel('gpt-3.5-turbo');
    assert.equal(capabilities(mini).supportsImageToText, true, 'gpt-4o-mini advertises image input');
    assert.equal(capabilities(old).supportsImageToText, false, 'gpt-3.5-turbo does not');
    const message = () =>
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelTextPart('What is this?'), image()]);
    const r = await collect(await mini.sendRequest([message()], {}));
    assert.equal(r.text, 'Echo: What is this?');
    const body = server.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(body.messages.at(-1), {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${ONE_PIXEL_PNG}` } },
      ],
    });
    // gpt-4o-mini's documented price of one tile: 2833 + 5667 tokens.
    const withImage = await mini.countTokens(message());
    const textOnly = await mini.countTokens(vscode.LanguageModelChatMessage.User('What is this?'));
    assert.equal(withImage - textOnly, 2833 + 5667);

    const dropped = await collect(await old.sendRequest([message()], {}));
    assert.match(dropped.text, /^\*gpt-3\.5-turbo does not take images: the image was left out\.\*/);
    const sent = server.requests.at(-1)!.body as { messages: { content: unknown }[] };
    assert.equal(sent.messages.at(-1)!.content, 'What is this?', 'the text alone');
  });

  it('land in the usage ledger by surface (Chat view; Agent when an editing tool is offered), the report filters', async () => {
    const { api } = suite;
    const requestsOf = (surface: string) =>
      api.usage.ledger
        .buckets({ model: 'gpt-4o-mini' })
        .filter((b) => b.surface === surface)
        .reduce((n, b) => n + b.totals.requests, 0);
    const before = { chatView: requestsOf('chatView'), agent: requestsOf('agent') };
    const model = await tallyModel();
    await collect(await model.sendRequest(user('Which surface is this?'), {}));
    await waitFor('the Chat view request in the ledger', () => requestsOf('chatView') === before.chatView + 1);
    // Ask mode offers read-only tools: still the Chat view. A tool that edits files is offered only in Agent mode.
    const tool = (name: string): vscode.LanguageModelChatTool => ({
      name,
      description: name,
      inputSchema: { type: 'object', properties: {} },
    });
    await collect(await model.sendRequest(user('Ask with tools'), { tools: [tool('read_file')] }));
    await waitFor('the Ask request in the ledger', () => requestsOf('chatView') === before.chatView + 2);
    const tools = [tool('read_file'), tool('replace_string_in_file')];
    await collect(await model.sendRequest(user('And this one?'), { tools }));
    await waitFor('the Agent request in the ledger', () => requestsOf('agent') === before.agent + 1);
    assert.equal(requestsOf('chatView'), before.chatView + 2, 'the Agent request is not counted as the Chat view');

    await vscode.commands.executeCommand('tally.showUsage');
    await waitFor('the report', () => api.usage.report.html);
    await vscode.commands.executeCommand('tally.filterUsageReport', 'chatView');
    const html = api.usage.report.html ?? '';
    assert.match(html, /Chat view only\./);
    assert.match(html, /aria-current="true">Chat view<\/a>/);
    assert.match(html, /<tr class="chosen" aria-current="true"><td class="surface">Chat view<\/td>/);
    await vscode.commands.executeCommand('tally.filterUsageReport', 'not-a-surface');
    assert.match(api.usage.report.html ?? '', /all surfaces\./, 'anything else shows all surfaces');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('over the daily budget: refused with the budget’s reason, nothing sent', async () => {
    const { server } = suite;
    await configure({ 'budget.dailyUsd': 0 }); // a zero limit refuses every request that may cost anything
    try {
      const model = await tallyModel();
      await assert.rejects(
        (async () => collect(await model.sendRequest(user('over budget?'), {})))(),
        /Tally: Daily budget/,
      );
      assert.equal(server.requests.filter((x) => x.path === '/v1/chat/completions').length, 0);
    } finally {
      await configure({ 'budget.dailyUsd': undefined });
    }
  });

  it('without a key: refused with a clear message, nothing sent', async () => {
    const { server } = suite;
    await vscode.commands.executeCommand('tally.clearApiKey');
    try {
      const model = await tallyModel();
      await assert.rejects((async () => collect(await model.sendRequest(user('no key'), {})))(), /Set API Key/);
      assert.equal(server.requests.filter((x) => x.path === '/v1/chat/completions').length, 0);
    } finally {
      await suite.api.setApiKey(KEY);
    }
  });
});
