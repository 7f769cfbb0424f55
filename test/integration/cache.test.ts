// The response cache in the real extension host: the same question twice (in a new chat) reaches the server once,
// and the second reply is marked cached with the money it saved.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import type { TallyTestApi } from '../../src/host/testApi';
import { configure, openChatView, PostRecorder, tallyApi } from './helpers';

describe('response cache', () => {
  let server: FakeOpenAIServer;
  let api: TallyTestApi;

  before(async () => {
    server = await FakeOpenAIServer.start();
    api = await tallyApi();
    await configure({ baseUrl: server.baseUrl, model: 'gpt-4o', 'cache.mode': 'always' });
    await api.setApiKey('sk-cache-test-key-000');
    await vscode.commands.executeCommand('tally.clearCache');
    await openChatView(api);
  });
  after(async () => {
    await vscode.commands.executeCommand('tally.clearApiKey');
    await configure({ baseUrl: undefined, model: undefined, 'cache.mode': undefined });
    await server.close();
  });

  it('asking the same question twice sends one request; the second reply is cached with its saving', async () => {
    const posts = new PostRecorder(api);
    try {
      server.enqueue({ usage: { prompt_tokens: 2000, completion_tokens: 1000 } });
      await vscode.commands.executeCommand('tally.newChat');
      await api.receive({ type: 'chat/send', requestId: 'cache1', text: 'What is a monad?' });
      const first = await posts.next('chat/done', 'cache1');
      assert.notEqual(first.assistant.cached, true);
      await vscode.commands.executeCommand('tally.newChat');
      await api.receive({ type: 'chat/send', requestId: 'cache2', text: 'What is a monad?' });
      const second = await posts.next('chat/done', 'cache2');
      assert.equal(server.requests.length, 1, 'one request reached the server');
      assert.equal(second.assistant.content, first.assistant.content);
      assert.equal(second.assistant.cached, true);
      // gpt-4o: $2.50 in / $10 out per 1M -> 2000 * 2.5e-6 + 1000 * 1e-5 = $0.015 saved, $0 spent
      assert.ok(Math.abs((second.assistant.savedUsd ?? 0) - 0.015) < 1e-9, `saved ${second.assistant.savedUsd}`);
      assert.equal(second.assistant.costUsd, 0);
      const stats = await vscode.commands.executeCommand<{ hits: number }>('tally.showCacheStats');
      assert.equal(stats.hits, 1);
      // Regenerate bypasses the cache.
      await api.receive({ type: 'chat/regenerate', requestId: 'cache3' });
      await posts.next('chat/done', 'cache3');
      assert.equal(server.requests.length, 2);
    } finally {
      posts.dispose();
    }
  });
});
