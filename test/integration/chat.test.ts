// The chat path end to end in the real extension host: the panel's message -> the real openai SDK -> real HTTP to
// the loopback test server -> streamed deltas back to the panel; Stop; Explain Selection; the no-key message.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import type { TallyTestApi } from '../../src/host/testApi';
import { useChatSuite, waitFor, type PostRecorder } from './helpers';

const KEY = 'sk-integration-test-key-0001';

describe('chat path', () => {
  const suite = useChatSuite(KEY, { model: 'gpt-4o-mini' });
  let server: FakeOpenAIServer;
  let api: TallyTestApi;
  let posts: PostRecorder;
  beforeEach(() => ({ server, api, posts } = suite));

  it('streams a reply from the server into the panel with the configured model', async () => {
    await api.receive({ type: 'chat/send', requestId: 'send1', text: 'Hello Tally' });
    const done = await posts.next('chat/done', 'send1');
    const [req] = server.requests.filter((r) => r.path === '/v1/chat/completions');
    const body = req.body as {
      model: string;
      stream: boolean;
      stream_options?: { include_usage?: boolean };
      messages: { role: string; content: string }[];
    };
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.stream, true);
    assert.equal(body.stream_options?.include_usage, true);
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: 'Hello Tally' });
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    // The host coalesces pieces that arrive within 100 ms of a post into one post (deltaCoalescer): this fast reply
    // may be one or two.
    assert.ok(posts.of('chat/delta', 'send1').length >= 1, 'the reply arrived as deltas');
    assert.equal(posts.text('send1'), 'Echo: Hello Tally');
    assert.equal(done.assistant.content, 'Echo: Hello Tally');
    assert.equal(done.assistant.status, 'complete');
    assert.equal(done.assistant.usage?.promptTokens, req.promptTokens);
    assert.ok((done.assistant.usage?.completionTokens ?? 0) > 0);
    assert.ok(api.sdkLoaded(), 'the SDK loads on first use');
  });

  it('posts stream pieces no more often than the panel says it paints (stream/pace)', async () => {
    // 50 pieces 50 ms apart: ~2.5 s of stream; at the default pace (100 ms) ~25 posts. The real panel beside the test
    // tells its own pace as it paints, so the test tells 1,000 ms again at each post: the coalescer posts, then reads
    // the interval for the next one, and the router applies a pace synchronously. Every post but the last (the rest,
    // when the reply ends) must then come about 1,000 ms after the one before. The bound is half that: a timer never
    // fires early, but Node starts it from the event loop's cached time, which a loaded machine can leave behind by
    // tens of ms; at the default pace, or the panel's (its paints here are cheap: MIN_PAINT_MS), posts would be far
    // closer.
    const at: number[] = [];
    const tell = () => api.receive({ type: 'stream/pace', intervalMs: 1000 });
    const sub = api.onDidPost((m) => {
      if (m.type !== 'chat/delta' || m.requestId !== 'pace1') return;
      at.push(performance.now());
      void tell();
    });
    const full = Array.from({ length: 50 }, (_, i) => `w${String(i).padStart(2, '0')} `).join('');
    server.enqueue({ text: full, chunkSize: 4, chunkDelayMs: 50 });
    try {
      await tell();
      await api.receive({ type: 'chat/send', requestId: 'pace1', text: 'slowly' });
      await posts.next('chat/done', 'pace1', 30_000);
      assert.equal(posts.text('pace1'), full, 'every piece arrived, in order');
      const report = `posts at ${at.map((t) => (t - at[0]).toFixed(0)).join(', ')} ms`;
      assert.ok(at.length >= 3, report);
      for (let i = 1; i < at.length - 1; i++) assert.ok(at[i] - at[i - 1] >= 500, report);
    } finally {
      sub.dispose();
      await api.receive({ type: 'stream/pace', intervalMs: 100 });
    }
  });

  it('keeps the conversation: the second request carries the first exchange', async () => {
    await api.receive({ type: 'chat/send', requestId: 'turn1', text: 'first question' });
    await posts.next('chat/done', 'turn1');
    await api.receive({ type: 'chat/send', requestId: 'turn2', text: 'second question' });
    await posts.next('chat/done', 'turn2');
    const bodies = server.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => r.body as { messages: { role: string; content: string }[] });
    assert.deepEqual(
      bodies[1].messages.filter((m) => m.role !== 'system'),
      [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'Echo: first question' },
        { role: 'user', content: 'second question' },
      ],
    );
  });

  it('Stop closes the HTTP connection before the stream finished and keeps the partial reply', async () => {
    const full = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
    server.enqueue({ text: full, chunkSize: 4, chunkDelayMs: 150 });
    const sending = api.receive({ type: 'chat/send', requestId: 'stop1', text: 'count slowly' });
    await waitFor('three deltas', () => posts.of('chat/delta', 'stop1').length >= 3);
    await api.receive({ type: 'chat/cancel', requestId: 'stop1' });
    const done = await posts.next('chat/done', 'stop1', 5000);
    await sending;
    const settled = await server.waitForSettled(0, 5000);
    assert.equal(settled.clientClosedEarly, true, 'the server saw the client close the connection');
    assert.equal(settled.finished, false, 'the server had not finished the stream');
    assert.equal(done.assistant.status, 'stopped');
    const partial = done.assistant.content;
    assert.ok(partial.length > 0 && partial.length < full.length, `partial reply kept: "${partial}"`);
    assert.ok(full.startsWith(partial));
    const kept = api.history().find((m) => m.id === done.assistant.id);
    assert.equal(kept?.content, partial);
    assert.equal(kept?.status, 'stopped');
  });

  it('the Tally: Stop command stops a streaming reply too', async () => {
    server.enqueue({ text: 'a b c d e f g h i j k l m n o p q r s t u v w x y z', chunkSize: 2, chunkDelayMs: 150 });
    const sending = api.receive({ type: 'chat/send', requestId: 'stop2', text: 'alphabet' });
    await waitFor('two deltas', () => posts.of('chat/delta', 'stop2').length >= 2);
    await vscode.commands.executeCommand('tally.stop');
    const done = await posts.next('chat/done', 'stop2', 5000);
    await sending;
    assert.equal(done.assistant.status, 'stopped');
    assert.equal((await server.waitForSettled(0, 5000)).clientClosedEarly, true);
  });

  it('Explain Selection sends the selected code to the panel and streams the answer there', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'explain-me.js')));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    const selected = doc.getText(editor.selection);
    await vscode.commands.executeCommand('tally.explainSelection');
    const started = await posts.next('chat/started');
    const done = await posts.next('chat/done', started.requestId);
    const body = server.requests[0].body as { messages: { role: string; content: string }[] };
    const prompt = body.messages.at(-1)?.content ?? '';
    assert.match(prompt, /^Explain this code from `explain-me\.js` \(lines 1–3\)/);
    assert.ok(prompt.includes('```javascript\n' + selected + '\n```'), prompt);
    assert.equal(started.user.content, prompt);
    assert.ok(done.assistant.content.startsWith('Echo: Explain this code'));
  });

  it('without an API key the panel says how to set one, and nothing is sent', async () => {
    const envKey = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      await vscode.commands.executeCommand('tally.clearApiKey');
      const config = await posts.next('config/changed');
      assert.equal(config.config.hasApiKey, false);
      await api.receive({ type: 'chat/send', requestId: 'nokey', text: 'anyone there?' });
      const error = await posts.next('chat/error', 'nokey');
      assert.equal(error.error.kind, 'noApiKey');
      assert.deepEqual(error.error.actions, ['setApiKey']);
      assert.match(error.error.message, /Set API Key/);
      assert.equal(server.requests.length, 0);
    } finally {
      if (envKey !== undefined) process.env.OPENAI_API_KEY = envKey;
      await api.setApiKey(KEY);
    }
  });

  it('ignores invalid messages from the webview', async () => {
    await api.receive({ type: 'chat/send', requestId: 'bad id with spaces', text: 'x' });
    await api.receive({ type: 'chat/send', requestId: 'ok', text: 'x', extra: true });
    await api.receive({ type: 'no/such' });
    await api.receive('not even an object');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.requests.length, 0);
    assert.equal(posts.of('chat/started').length, 0);
  });
});
