// The model picker in the real extension host (issue #13 item 3): the panel's list offers the registry plus what the
// loopback server lists at GET /v1/models, with context window and price ("price unknown" for the server's own
// model); the choice is kept per workspace, is the next request's model and the estimate's; an id nobody offered is
// refused and the panel is told the model in use.
import assert from 'node:assert/strict';
import { useChatSuite, waitFor } from './helpers';

const KEY = 'sk-integration-test-key-0005';
const LOCAL = 'llama3.1:8b';

describe('model picker', () => {
  const suite = useChatSuite(KEY, { model: 'gpt-4o-mini' });
  after(() => suite.api.workspaceState.update('tally.modelChoice', undefined));

  const listed = (after: number) => waitFor('models/listed', () => suite.posts.of('models/listed').slice(after).at(-1));

  it("lists the registry and the endpoint's models, each with its window and price", async () => {
    const { server, api, posts } = suite;
    server.extraModels = [LOCAL, 'bad id with spaces'];
    await api.receive({ type: 'models/list', refresh: true });
    const msg = await listed(0);
    assert.ok(
      server.requests.some((r) => r.method === 'GET' && r.path === '/v1/models'),
      'the endpoint was asked for its models',
    );
    const ids = msg.options.map((o) => o.id);
    assert.equal(ids[0], 'auto');
    assert.ok(ids.includes('gpt-4o') && ids.includes('gpt-5-mini'), 'registry models offered');
    assert.ok(ids.includes(LOCAL), "the endpoint's own model offered");
    assert.ok(!ids.includes('bad id with spaces'), 'a malformed id is left out');
    assert.equal(msg.selected, 'gpt-4o-mini', 'the setting applies until something is chosen');
    assert.match(msg.options.find((o) => o.id === 'gpt-4o')!.detail, /128k context · \$2\.50 \/ \$10\.00 per 1M/);
    assert.match(msg.options.find((o) => o.id === LOCAL)!.detail, /price unknown/);
    assert.equal(posts.of('models/listed').length, 1);
  });

  it('the choice is kept for the workspace and is the next request’s model and the estimate’s', async () => {
    const { server, api, posts } = suite;
    server.extraModels = [LOCAL];
    await api.receive({ type: 'model/choose', model: 'gpt-4o' });
    const after = await listed(0);
    assert.equal(after.selected, 'gpt-4o');
    assert.equal(api.workspaceState.get('tally.modelChoice'), 'gpt-4o');
    const config = await waitFor('config/changed', () =>
      posts.of('config/changed').find((c) => c.config.model === 'gpt-4o'),
    );
    assert.equal(config.config.model, 'gpt-4o', 'the panel header shows the chosen model');
    await api.receive({ type: 'draft/estimate', seq: 1, text: 'how much?' });
    const estimate = await posts.next('draft/estimated');
    assert.equal(estimate.estimate.model, 'gpt-4o');
    await api.receive({ type: 'chat/send', requestId: 'pick1', text: 'which model?' });
    await posts.next('chat/done', 'pick1');
    const chats = server.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.equal((chats.at(-1)!.body as { model: string }).model, 'gpt-4o');

    await api.receive({ type: 'model/choose', model: LOCAL });
    await waitFor('local chosen', () => posts.of('models/listed').at(-1)?.selected === LOCAL);
    await api.receive({ type: 'chat/send', requestId: 'pick2', text: 'and now?' });
    const done = await posts.next('chat/done', 'pick2');
    const last = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!;
    assert.equal((last.body as { model: string }).model, LOCAL);
    assert.equal(done.assistant.model, LOCAL);
  });

  it('refuses an id that was not offered and tells the panel the model in use', async () => {
    const { api } = suite;
    await api.workspaceState.update('tally.modelChoice', undefined);
    await api.receive({ type: 'model/choose', model: 'gpt-9-imaginary' });
    const msg = await listed(0);
    assert.equal(msg.selected, 'gpt-4o-mini', 'the model in use is unchanged');
    assert.equal(api.workspaceState.get('tally.modelChoice'), undefined);
    // A value the schema rejects never reaches the picker.
    await api.receive({ type: 'model/choose', model: 'x\u0000y' });
    assert.equal(api.workspaceState.get('tally.modelChoice'), undefined);
  });
});
