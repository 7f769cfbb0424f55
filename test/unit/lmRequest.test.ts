// A request from VS Code's own Chat through Tally's pipeline (issue #16), with the real openai SDK over real HTTP to
// the loopback server: text streamed out, usage accounted and a metric recorded; no key and a budget refusal send
// nothing; tool calls come out whole; a plain request is served from the cache the second time; Stop closes the
// connection.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ToolCall } from '../../src/core/api/chatClient';
import { OpenAIChatClient } from '../../src/core/api/openaiClient';
import { DEFAULT_RETRY_POLICY } from '../../src/core/api/retry';
import { MemoryStore } from '../../src/core/cache/memoryStore';
import { ResponseCache } from '../../src/core/cache/responseCache';
import { countLmTokens, runLmRequest, type LmRequestDeps } from '../../src/core/lm/lmRequest';
import type { FinishedRequest } from '../../src/core/metrics/makeMetric';
import { silentLogger, systemClock } from '../../src/core/ports';
import { resolveModel } from '../../src/core/tokens/models';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import type { Accountant, ReplyAccounting, SendCheck } from '../../src/core/usage/accounting';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

const KEY = 'sk-test-lm-0001';

class RecordingAccountant implements Accountant {
  checks: SendCheck[] = [];
  finished: ReplyAccounting[] = [];
  refuse = false;
  check(c: SendCheck) {
    this.checks.push(c);
    return this.refuse
      ? { refuse: { kind: 'budget' as const, message: 'Daily budget $0.01 reached.', actions: [] } }
      : {};
  }
  progress() {}
  async finish(r: ReplyAccounting) {
    this.finished.push(r);
    return { usage: r.usage ?? { promptTokens: r.promptTokens, completionTokens: 1, totalTokens: r.promptTokens + 1 } };
  }
}

describe('VS Code chat requests through Tally’s pipeline', () => {
  let server: FakeOpenAIServer;
  let accountant: RecordingAccountant;
  let metrics: FinishedRequest[];
  let hasKey: boolean;
  let cache: ResponseCache;
  const tokenizers = new Tokenizers();
  before(async () => {
    server = await FakeOpenAIServer.start();
  });
  beforeEach(() => {
    server.reset();
    accountant = new RecordingAccountant();
    metrics = [];
    hasKey = true;
    cache = new ResponseCache({ mode: 'always', store: new MemoryStore() });
  });
  after(() => server.close());

  const deps = (): LmRequestDeps => ({
    client: new OpenAIChatClient(),
    endpoint: async () => (hasKey ? { baseUrl: server.baseUrl, apiKey: KEY } : undefined),
    settings: () => ({
      model: 'gpt-4o-mini',
      systemPrompt: '',
      maxReplyTokens: 1000,
      retryPolicy: DEFAULT_RETRY_POLICY,
      timeouts: { firstByteMs: 120_000, idleMs: 120_000 },
    }),
    tokenizers,
    resolveModel: (id) => resolveModel(id),
    accountant,
    cache,
    onRequestFinished: (f) => metrics.push(f),
    logger: silentLogger,
    clock: systemClock,
  });

  async function ask(messages = [{ role: 'user' as const, content: 'Hello from the Chat view' }], extra = {}) {
    const text: string[] = [];
    const calls: ToolCall[] = [];
    await runLmRequest(
      deps(),
      { requestId: 'lm1', modelId: 'gpt-4o-mini', messages, ...extra },
      new AbortController().signal,
      {
        text: (t) => text.push(t),
        toolCall: (c) => calls.push(c),
      },
    );
    return { text: text.join(''), calls };
  }

  it('streams the reply, counts the prompt exactly, accounts the usage and records a metric', async () => {
    const r = await ask();
    assert.equal(r.text, 'Echo: Hello from the Chat view');
    assert.equal(server.requests.length, 1);
    assert.equal(accountant.checks[0].promptTokens, server.requests[0].promptTokens, 'the estimate is what is billed');
    assert.equal(accountant.finished[0].outcome, 'complete');
    assert.equal(accountant.finished[0].usage?.promptTokens, server.requests[0].promptTokens);
    assert.equal(accountant.finished[0].surface, 'chatView', 'no tools: the Chat view (Ask or @tally)');
    assert.equal(metrics.length, 1);
    assert.equal(metrics[0].outcome, 'complete');
    assert.equal(metrics[0].cacheHit, false);
    assert.equal(metrics[0].attempts.length, 1);
  });

  it('without a key: a clear error and nothing sent', async () => {
    hasKey = false;
    await assert.rejects(ask(), /no API key: run "Tally: Set API Key"/);
    assert.equal(server.requests.length, 0);
  });

  it('a budget refusal answers with its reason; nothing sent', async () => {
    accountant.refuse = true;
    await assert.rejects(ask(), /Daily budget \$0\.01 reached/);
    assert.equal(server.requests.length, 0);
    assert.equal(metrics.length, 0);
  });

  it('a plain request is answered from the cache the second time: no request, a hit recorded', async () => {
    await ask();
    await cache.settled();
    const again = await ask();
    assert.equal(again.text, 'Echo: Hello from the Chat view');
    assert.equal(server.requests.length, 1);
    assert.equal(accountant.finished[1].cacheHit, true);
    assert.equal(metrics[1].cacheHit, true);
  });

  it('tool calls come out whole after the text; requests with tools are not cached', async () => {
    server.enqueue({
      text: 'Looking.',
      toolCalls: [{ id: 'call_x', name: 'read_file', arguments: '{"path":"a.ts"}' }],
    });
    server.enqueue({
      text: 'Looking.',
      toolCalls: [{ id: 'call_y', name: 'read_file', arguments: '{"path":"b.ts"}' }],
    });
    const tools = [{ name: 'read_file', description: 'Reads a file', parameters: { type: 'object' } }];
    const first = await ask(undefined, { tools });
    assert.deepEqual(first.calls, [{ id: 'call_x', name: 'read_file', arguments: '{"path":"a.ts"}' }]);
    await cache.settled();
    const second = await ask(undefined, { tools });
    assert.equal(second.calls[0].id, 'call_y');
    assert.deepEqual(
      accountant.finished.map((f) => f.surface),
      ['chatView', 'chatView'],
      'read-only tools only: Ask mode offers those too, so the Chat view',
    );
    assert.equal(server.requests.length, 2);
    const tokensWithTools = await countLmTokens(tokenizers, resolveModel('gpt-4o-mini'), [], tools);
    assert.ok(tokensWithTools > 3, 'tool definitions are counted');
  });

  it('Stop (the cancellation signal) closes the HTTP request and ends quietly with what arrived', async () => {
    server.enqueue({ text: 'one two three four five six seven eight nine ten', chunkSize: 4, chunkDelayMs: 100 });
    const controller = new AbortController();
    const text: string[] = [];
    const running = runLmRequest(
      deps(),
      { requestId: 'lm2', modelId: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count' }] },
      controller.signal,
      {
        text: (t) => {
          text.push(t);
          if (text.length === 2) controller.abort();
        },
        toolCall: () => assert.fail('no tool call'),
      },
    );
    await running;
    const settled = await server.waitForSettled(0, 10_000);
    assert.equal(settled.clientClosedEarly, true);
    assert.equal(accountant.finished[0].outcome, 'stopped');
    assert.equal(metrics[0].outcome, 'stopped');
  });
});
