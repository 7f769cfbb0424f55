// Routed sends through ChatService to the loopback server: the routed model is the request's model, its encoding
// counts the prompt and its price makes the estimate; the decision is kept on the reply and in the saved file; an
// explicit model is not routed; a retry re-routes; a re-ask is checked; the codec keeps or drops `route`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChatSink } from '../../src/core/chat/chatInterfaces';
import { ChatService } from '../../src/core/chat/chatService';
import { reaskRefusal } from '../../src/core/chat/modelChoice';
import { OpenAIChatClient } from '../../src/core/api/openaiClient';
import { DEFAULT_RETRY_POLICY } from '../../src/core/api/retry';
import { DEFAULT_TIMEOUTS } from '../../src/core/api/streamWatchdog';
import { parseMessage } from '../../src/core/conversations/codec';
import { ConversationStore } from '../../src/core/conversations/store';
import { silentLogger, systemClock } from '../../src/core/ports';
import type { RoutingOverrides } from '../../src/core/routing/routingTable';
import { resolveModel } from '../../src/core/tokens/models';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import type { ReplyAccounting } from '../../src/core/usage/accounting';
import type { ChatMessage } from '../../src/shared/conversation';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

const sink = (): ChatSink & { final?: ChatMessage; errors: string[] } => {
  const s: ChatSink & { final?: ChatMessage; errors: string[] } = {
    errors: [],
    started: () => {},
    delta: () => {},
    done: (a) => {
      s.final = a;
    },
    error: (e) => {
      s.errors.push(e.message);
    },
    removed: () => {},
    retrying: () => {},
    notice: () => {},
  };
  return s;
};

const CODE = 'function add(a, b) {\n  return a + b;\n}\n';

describe('routed sends', () => {
  let server: FakeOpenAIServer;
  let n = 0;
  const tokenizers = new Tokenizers();
  const dirs: string[] = [];
  const newStore = () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-route-'));
    dirs.push(root);
    return new ConversationStore({
      root,
      logger: silentLogger,
      clock: systemClock,
      newId: (p) => `${p}${n++}`,
      debounceMs: 20,
    });
  };
  const accounted: ReplyAccounting[] = [];
  const service = (model: string, routing: RoutingOverrides = {}, store = newStore()) =>
    new ChatService({
      accountant: {
        check: () => ({}),
        progress: () => {},
        finish: async (r) => {
          accounted.push(r);
          return undefined;
        },
      },
      client: new OpenAIChatClient(),
      endpoint: async () => ({ baseUrl: server.baseUrl, apiKey: 'sk-unit-test-key-123456' }),
      tokenizers,
      resolveModel: (id) => resolveModel(id),
      store,
      settings: () => ({
        model,
        routing,
        systemPrompt: 'Be brief.',
        maxReplyTokens: 1000,
        retryPolicy: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 },
        timeouts: DEFAULT_TIMEOUTS,
      }),
      logger: silentLogger,
      clock: systemClock,
      newId: (p) => `${p}${n++}`,
    });
  const sentModel = (i: number) => (server.requests[i].body as { model: string }).model;

  before(async () => {
    server = await FakeOpenAIServer.start();
  });
  beforeEach(() => server.reset());
  after(async () => {
    await server.close();
    await tokenizers.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a send with a route goes to the routed model, and the reply and its saved file keep the decision', async () => {
    const store = newStore();
    const s = service('gpt-4o', {}, store);
    const out = sink();
    await s.send('r1', `Explain this:\n${CODE}`, out, { route: { task: 'explain', code: CODE, files: 1 } });
    assert.deepEqual(out.errors, []);
    assert.equal(sentModel(0), 'gpt-4o-mini', 'routed, not the model setting');
    const route = out.final?.route;
    assert.equal(out.final?.model, 'gpt-4o-mini');
    assert.equal(route?.model, 'gpt-4o-mini');
    assert.equal(route?.complexity, 'simple');
    assert.match(route?.reason ?? '', /^Explain · simple \(\d+ tokens, 3 lines, 1 file\) → gpt-4o-mini$/);
    assert.equal(route?.alternative?.model, 'gpt-4o');
    assert.ok((route?.alternative?.savingUsd ?? 0) > 0);
    await store.flush();
    const saved = await store.load(s.current.id);
    assert.deepEqual(saved?.messages[1].route, route);
  });

  it('the routed model counts the prompt in its encoding and prices the estimate (cl100k gpt-3.5-turbo)', async () => {
    const s = service('auto', { chat: { simple: 'gpt-3.5-turbo' } });
    const draft = 'Wie viele Tokens hat dieser Satz — und 这个句子呢?';
    const estimate = await s.estimate(draft);
    assert.equal(estimate.model.id, 'gpt-3.5-turbo');
    assert.equal(estimate.model.encoding, 'cl100k_base');
    assert.equal(estimate.route?.reason.startsWith('Chat · simple ('), true);
    await s.send('r2', draft, sink());
    assert.equal(sentModel(0), 'gpt-3.5-turbo');
    const counted = server.requests[0].promptTokens!;
    assert.equal(estimate.promptTokens, counted, 'counted in cl100k, as the server does for gpt-3.5-turbo');
    const o200k = await service('gpt-4o-mini').estimate(draft);
    assert.notEqual(o200k.promptTokens, counted, 'the draft counts differently in o200k');
    // gpt-3.5-turbo: $0.50 in / $1.50 out per 1M; reply budget 1000 (its max output is 4096)
    assert.ok(Math.abs(estimate.minUsd! - (counted * 0.5) / 1e6) < 1e-12);
    assert.ok(Math.abs(estimate.maxUsd! - (counted * 0.5 + 1000 * 1.5) / 1e6) < 1e-12);
  });

  it('the ledger is told where each send came from: a task other than chat is a code action, its retry too', async () => {
    accounted.length = 0;
    const s = service('auto');
    await s.send('s1', 'hello', sink());
    await s.send('s2', 'Find the bug', sink(), { route: { task: 'findBugs', label: 'Find Bugs', lines: 3 } });
    await s.retry('s3', sink(), { bypassCache: true });
    await s.send('s4', 'and now?', sink(), { route: { task: 'chat' } });
    assert.deepEqual(
      accounted.map((r) => [r.requestId, r.surface]),
      [
        ['s1', 'panel'],
        ['s2', 'action'],
        ['s3', 'action'],
        ['s4', 'panel'],
      ],
    );
  });

  it('an explicit model is sent as is, not routed; a model setting is used when nothing routes', async () => {
    const s = service('gpt-4.1-mini');
    const explicit = sink();
    await s.send('r3', 'hi', explicit, { model: 'gpt-4o', route: { task: 'explain' } });
    assert.equal(sentModel(0), 'gpt-4o');
    assert.equal(explicit.final?.route, undefined);
    await s.send('r4', 'again', sink());
    assert.equal(sentModel(1), 'gpt-4.1-mini');
  });

  it('a retry of a routed reply routes it again the same way; a re-ask replaces it with the stronger model', async () => {
    const s = service('gpt-4o-mini');
    const first = sink();
    await s.send('r5', 'Find the bug', first, { route: { task: 'findBugs', label: 'Find Bugs', lines: 3 } });
    assert.equal(sentModel(0), 'gpt-4o-mini');
    const again = sink();
    await s.retry('r6', again, { bypassCache: true });
    assert.equal(sentModel(1), 'gpt-4o-mini');
    assert.equal(again.final?.route?.label, 'Find Bugs');
    assert.equal(again.final?.route?.signals.lines, 3);
    const replyId = again.final!.id;
    assert.match(reaskRefusal(s.history, 'm-old', 'gpt-4o') ?? '', /Only the latest reply/);
    assert.match(reaskRefusal(s.history, replyId, 'o1') ?? '', /not routed with o1/);
    assert.equal(reaskRefusal(s.history, replyId, 'gpt-4o'), undefined);
    const reasked = sink();
    await s.retry('r7', reasked, { bypassCache: true, model: 'gpt-4o' });
    assert.equal(sentModel(2), 'gpt-4o');
    assert.equal(reasked.final?.model, 'gpt-4o');
    assert.equal(s.history.length, 2, 'the re-ask replaced the turn, it did not add one');
  });
});

describe('codec and route', () => {
  const base = { id: 'm1', role: 'assistant', content: 'x', createdAt: 1 };
  const route = {
    task: 'explain',
    label: 'Explain',
    complexity: 'simple',
    model: 'gpt-4o-mini',
    signals: { promptTokens: 120, lines: 9 },
    reason: 'Explain · simple (120 tokens, 9 lines) → gpt-4o-mini',
    alternative: { model: 'gpt-4o', savingUsd: 0.0049 },
  };

  it('keeps a valid route', () => {
    const m = parseMessage({ ...base, route }, 0) as ChatMessage;
    assert.deepEqual(m.route, route);
  });

  it('drops a malformed route (and keeps the message), and malformed optional parts of it', () => {
    for (const bad of [{ ...route, complexity: 'hard' }, { ...route, signals: {} }, { ...route, model: 3 }, 'x']) {
      const m = parseMessage({ ...base, route: bad }, 0) as ChatMessage;
      assert.equal(m.content, 'x');
      assert.equal(m.route, undefined, JSON.stringify(bad));
    }
    const m = parseMessage(
      {
        ...base,
        route: { ...route, signals: { promptTokens: 5, lines: -1 }, alternative: { model: 'gpt-4o', savingUsd: 'x' } },
      },
      0,
    ) as ChatMessage;
    assert.deepEqual(m.route?.signals, { promptTokens: 5 });
    assert.deepEqual(m.route?.alternative, { model: 'gpt-4o' });
  });
});
