// Routing in the real extension host: a send that names a task goes to the routed model (not tally.model), the
// reply carries the decision, "Ask gpt-4o" re-asks with the stronger model, tally.routing in the user settings
// changes the model (an unknown model in it is ignored, never sent), and `auto` routes panel chat and its estimate.
import assert from 'node:assert/strict';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import type { TallyTestApi } from '../../src/host/testApi';
import { configure, useChatSuite, waitFor, type PostRecorder } from './helpers';

const KEY = 'sk-integration-test-key-0007';
const CODE = 'function add(a, b) {\n  return a + b;\n}';
const ROUTE = { task: 'explain', label: 'Explain', lines: 3, code: CODE, files: 1 } as const;

describe('routing', () => {
  const suite = useChatSuite(KEY, { model: 'gpt-4o', routing: undefined });
  let server: FakeOpenAIServer;
  let api: TallyTestApi;
  let posts: PostRecorder;
  beforeEach(() => ({ server, api, posts } = suite));
  afterEach(async () => {
    await configure({ routing: undefined, model: 'gpt-4o' });
  });

  /** Sets one user setting and waits until Tally has re-read its settings (it tells the panel). */
  const setting = async (key: string, value: unknown) => {
    const seen = posts.of('config/changed').length;
    await configure({ [key]: value });
    await waitFor(`tally.${key} re-read`, () => posts.of('config/changed').length > seen);
  };

  const models = () =>
    server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => (r.body as { model: string }).model);

  it('a send with a route reaches the server with the routed model, and the reply says why', async () => {
    await api.controller.send(`Explain this code:\n${CODE}`, 'route1', { inputLabel: 'selection', route: ROUTE });
    const done = await posts.next('chat/done', 'route1');
    assert.deepEqual(models(), ['gpt-4o-mini'], 'routed to the cheap model, not tally.model (gpt-4o)');
    assert.equal(done.assistant.model, 'gpt-4o-mini');
    assert.match(
      done.assistant.route?.reason ?? '',
      /^Explain · simple \(\d+ tokens, 3 lines, 1 file\) → gpt-4o-mini$/,
    );
    assert.equal(done.assistant.route?.alternative?.model, 'gpt-4o');
    assert.ok((done.assistant.route?.alternative?.savingUsd ?? 0) > 0);
  });

  it('"Ask gpt-4o" re-asks the same question with the stronger model, replacing the reply', async () => {
    await api.controller.send(`Explain this code:\n${CODE}`, 'route2', { route: ROUTE });
    const first = await posts.next('chat/done', 'route2');
    await api.receive({ type: 'chat/reask', requestId: 'route3', messageId: first.assistant.id, model: 'gpt-4o' });
    const again = await posts.next('chat/done', 'route3');
    assert.deepEqual(models(), ['gpt-4o-mini', 'gpt-4o']);
    assert.equal(again.assistant.model, 'gpt-4o');
    assert.ok(posts.of('chat/removed').length >= 1, 'the routed turn was replaced, not repeated');
    const bodies = server.requests.filter((r) => r.path === '/v1/chat/completions');
    const last = (bodies[1].body as { messages: { role: string; content: string }[] }).messages;
    assert.equal(last.filter((m) => m.role === 'user').length, 1, 'the question is asked once');
    // A model that is not the reply's alternative is refused: nothing is sent.
    await api.receive({ type: 'chat/reask', requestId: 'route4', messageId: again.assistant.id, model: 'o1' });
    assert.equal(models().length, 2);
  });

  it('tally.routing in the user settings changes the model; a cell naming an unknown model is never sent', async () => {
    await setting('routing', { explain: { simple: 'gpt-4.1-mini' } });
    await api.controller.send(`Explain:\n${CODE}`, 'route5', { route: ROUTE });
    await posts.next('chat/done', 'route5');
    await setting('routing', { explain: { simple: 'no-such-model' } });
    await api.controller.send(`Explain again:\n${CODE}`, 'route6', { route: ROUTE });
    await posts.next('chat/done', 'route6');
    assert.deepEqual(models(), ['gpt-4.1-mini', 'gpt-4o-mini']);
  });

  it('with the model set to auto, panel chat and its live estimate use the routed model', async () => {
    await setting('model', 'auto');
    await setting('routing', { chat: { simple: 'gpt-4.1-nano' } });
    await api.receive({ type: 'draft/estimate', seq: 7, text: 'What is a closure?' });
    const estimate = await waitFor('the estimate', () => posts.of('draft/estimated').find((m) => m.estimate.seq === 7));
    assert.equal(estimate.estimate.model, 'gpt-4.1-nano');
    await api.receive({ type: 'chat/send', requestId: 'route7', text: 'What is a closure?' });
    const done = await posts.next('chat/done', 'route7');
    assert.deepEqual(models(), ['gpt-4.1-nano']);
    assert.match(done.assistant.route?.reason ?? '', /^Chat · simple \(\d+ tokens\) → gpt-4\.1-nano$/);
  });
});
