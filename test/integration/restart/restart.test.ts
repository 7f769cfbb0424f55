// The restart suite: several VS Code runs in a row (runIntegration.mjs), each a fresh extension host. Runs A1, B and
// A2 share one profile; R uses a second profile on the same Redis. Phases hand ids and numbers to each other through
// files in TALLY_PHASE_STATE.
//   A1 (workspace A)  a conversation, a priced request in the ledger, a question with the shared Redis cache on
//   B  (workspace B)  none of A's conversations are listed; B starts its own
//   A2 (workspace A)  A's conversation survived the restart (and is reopened as the last one); B's is not listed;
//                     the ledger's totals include A1's request
//   R  (workspace A, new profile, same Redis)  the question asked in A1 is answered from the shared cache
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeOpenAIServer } from '../../support/fakeOpenAI';
import type { TallyTestApi } from '../../../src/host/testApi';
import { configure, openChatView, PostRecorder, tallyApi } from '../helpers';

const PHASE = process.env.TALLY_TEST_PHASE ?? '';
const STATE = process.env.TALLY_PHASE_STATE ?? '';
const REDIS = process.env.TALLY_TEST_REDIS_URL ?? '';
/** A dated snapshot no other test uses: its ledger totals are this suite's alone. */
const MODEL = 'gpt-4o-2024-11-20';

interface Handoff {
  port?: number;
  conversationA?: string;
  conversationB?: string;
  question?: string;
  answer?: string;
  costUsd?: number;
}
const handoffFile = () => path.join(STATE, 'handoff.json');
const readHandoff = (): Handoff =>
  fs.existsSync(handoffFile()) ? (JSON.parse(fs.readFileSync(handoffFile(), 'utf8')) as Handoff) : {};
const writeHandoff = (h: Handoff) => fs.writeFileSync(handoffFile(), JSON.stringify({ ...readHandoff(), ...h }));

describe(`restart suite, phase ${PHASE}`, () => {
  let server: FakeOpenAIServer;
  let api: TallyTestApi;
  let posts: PostRecorder;

  before(async () => {
    assert.ok(STATE && REDIS, 'TALLY_PHASE_STATE and TALLY_TEST_REDIS_URL are set by runIntegration.mjs');
    // One endpoint for every phase: the endpoint is part of a cache key, so R must talk to "the same" server as A1.
    const { port } = readHandoff();
    server = await FakeOpenAIServer.start(port ? { port } : {});
    if (!port) writeHandoff({ port: server.port });
    api = await tallyApi();
    await configure({ baseUrl: server.baseUrl, model: MODEL, 'cache.mode': 'always', 'cache.redisUrl': REDIS });
    await api.setApiKey('sk-restart-suite-key-01');
    await openChatView(api);
    posts = new PostRecorder(api);
  });
  after(async () => {
    posts.dispose();
    await server.close();
  });

  async function ask(requestId: string, text: string) {
    await api.receive({ type: 'chat/send', requestId, text });
    return posts.next('chat/done', requestId);
  }

  if (PHASE === 'A1') {
    it('workspace A: holds a conversation, records its cost, and fills the shared cache', async () => {
      const question = `What survives a restart? ${Date.now()}`;
      server.enqueue({ usage: { prompt_tokens: 10_000, completion_tokens: 2_000 } });
      const done = await ask('a1', question);
      assert.equal(server.requests.length, 1);
      // gpt-4o-2024-11-20 is priced as gpt-4o: 10,000 x $2.50/1M + 2,000 x $10/1M = $0.045
      assert.ok(Math.abs((done.assistant.costUsd ?? 0) - 0.045) < 1e-9, `cost ${done.assistant.costUsd}`);
      writeHandoff({
        conversationA: api.currentConversationId(),
        question,
        answer: done.assistant.content,
        costUsd: done.assistant.costUsd,
      });
    });
  }

  if (PHASE === 'B') {
    it("workspace B: sees none of workspace A's conversations and keeps its own", async () => {
      const { conversationA } = readHandoff();
      assert.ok(conversationA);
      assert.ok(
        !(await api.conversations.list('')).some((c) => c.id === conversationA),
        "A's conversation is not in B's list",
      );
      assert.equal(await api.store.load(conversationA), undefined);
      await vscode.commands.executeCommand('tally.newChat');
      await configure({ model: 'gpt-4o-mini' }); // B's request must not count in A's model totals
      await ask('b1', `Only in workspace B ${Date.now()}`);
      writeHandoff({ conversationB: api.currentConversationId() });
      assert.ok((await api.conversations.list('')).some((c) => c.id === api.currentConversationId()));
    });
  }

  if (PHASE === 'A2') {
    it("workspace A after a restart: its conversation is back (reopened as the last one), B's is not listed", async () => {
      const { conversationA, conversationB, question, answer } = readHandoff();
      assert.ok(conversationA && conversationB && question);
      await api.conversations.restoreLast();
      assert.equal(api.currentConversationId(), conversationA, 'the last conversation of this workspace was reopened');
      assert.deepEqual(
        api.history().map((m) => m.content),
        [question, answer],
      );
      const list = await api.conversations.list('');
      assert.ok(list.some((c) => c.id === conversationA));
      assert.ok(!list.some((c) => c.id === conversationB));
    });

    it("the ledger's totals survived the restart", async () => {
      const { costUsd } = readHandoff();
      const totals = await api.usage.totals();
      const byModel = totals.byModel.find((b) => b.model === MODEL)?.totals;
      assert.ok(byModel, `totals for ${MODEL}: ${JSON.stringify(totals.byModel.map((b) => b.model))}`);
      assert.ok(Math.abs(byModel.costUsd - (costUsd ?? 0)) < 1e-9, `${byModel.costUsd} == ${costUsd}`);
      assert.equal(byModel.tokensIn, 10_000);
      assert.equal(byModel.tokensOut, 2_000);
    });
  }

  if (PHASE === 'R') {
    it("a second profile on the same Redis gets the first profile's answer from the shared cache", async () => {
      const { question, answer } = readHandoff();
      assert.ok(question);
      const done = await ask('r1', question);
      assert.equal(server.requests.length, 0, 'nothing reached the API');
      assert.equal(done.assistant.cached, true);
      assert.equal(done.assistant.content, answer);
    });
  }

  it('knows its phase', () => assert.ok(['A1', 'B', 'A2', 'R'].includes(PHASE), `TALLY_TEST_PHASE=${PHASE}`));
});
