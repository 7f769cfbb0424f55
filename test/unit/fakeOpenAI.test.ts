// The fake OpenAI server, driven through the real `openai` SDK over real HTTP on 127.0.0.1, and the
// gpt-tokenizer prompt counter it bills with.
//   node --import tsx --test test/unit/fakeOpenAI.test.ts
import assert from 'node:assert/strict';
import { cookbookExample } from '../support/cookbookExample';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  countChatPromptTokens,
  countTextTokens,
  encodingForModel,
  parseChatMessages,
  type ChatMessageLike,
} from '../support/chatTokens';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

type Msg = { role: 'system' | 'user' | 'assistant'; content: string };
const MESSAGES: Msg[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Say something streamed, please.' },
];

describe('FakeOpenAIServer through the openai SDK', () => {
  let server: FakeOpenAIServer;
  let client: OpenAI;

  before(async () => {
    server = await FakeOpenAIServer.start();
    // logLevel 'off' keeps the SDK's "Could not parse message into JSON" noise out of the malformed-stream test.
    client = new OpenAI({ apiKey: 'test', baseURL: server.baseUrl, maxRetries: 0, logLevel: 'off' });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  /** Streams a completion and returns its content deltas (empty ones, like the role chunk's, left out). */
  async function streamDeltas(
    stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
    into: string[] = [],
  ): Promise<string[]> {
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) into.push(content);
    }
    return into;
  }

  test('listens on 127.0.0.1 with a /v1 base URL', () => {
    assert.ok(server.port > 0);
    assert.equal(server.baseUrl, `http://127.0.0.1:${server.port}/v1`);
  });

  test('streams the scripted text whole and in order, and records the request', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. ✓ Done.';
    server.enqueue({ text, chunkSize: 5 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);

    const deltas = chunks.map((c) => c.choices[0]?.delta.content ?? '').filter((s) => s !== '');
    assert.equal(deltas.join(''), text);
    assert.deepEqual(deltas.slice(0, 3), ['The q', 'uick ', 'brown']);
    assert.equal(deltas.length, Math.ceil(Array.from(text).length / 5));
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    assert.equal(chunks[0]?.object, 'chat.completion.chunk');
    assert.equal(chunks[0]?.model, 'gpt-4o-mini');
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'stop');
    assert.ok(
      chunks.every((c) => c.usage === undefined || c.usage === null),
      'no usage without include_usage',
    );

    const [req] = await server.waitForRequests(1);
    assert.ok(req);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.headers.authorization, 'Bearer test');
    const body = req.body as { model: string; stream: boolean; messages: Msg[] };
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, MESSAGES);
    assert.equal((await server.waitForSettled(0)).finished, true);
    assert.equal(req.clientClosedEarly, false);
  });

  test('sends a usage chunk only with include_usage, with prompt_tokens from countChatPromptTokens', async () => {
    server.enqueue({ text: 'Four score and seven years ago.' });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    const expectedPrompt = countChatPromptTokens(MESSAGES, 'gpt-4o');
    assert.equal(last?.usage?.prompt_tokens, expectedPrompt);
    assert.equal(last?.usage?.completion_tokens, countTextTokens('Four score and seven years ago.', 'gpt-4o'));
    assert.equal(last?.usage?.total_tokens, expectedPrompt + (last?.usage?.completion_tokens ?? NaN));
    assert.equal(last?.usage?.prompt_tokens_details?.cached_tokens, 0);
    assert.equal(chunks.filter((c) => c.usage).length, 1, 'exactly one chunk carries usage');
    assert.equal(server.requests[0]?.promptTokens, expectedPrompt);
    // What an integration test would do: recount from the recorded body.
    const recorded = server.requests[0]?.body as { messages: unknown };
    assert.equal(countChatPromptTokens(parseChatMessages(recorded.messages), 'gpt-4o'), expectedPrompt);
  });

  test('usage overrides are reported; usage "none" suppresses the usage chunk', async () => {
    server.enqueue({ usage: { prompt_tokens: 1000, cached_tokens: 400 } }, { usage: 'none' });
    const opts = {
      model: 'gpt-4o',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    } as const;
    const first: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create(opts)) first.push(c);
    const usage = first.at(-1)?.usage;
    assert.equal(usage?.prompt_tokens, 1000);
    assert.equal(usage?.prompt_tokens_details?.cached_tokens, 400);
    assert.equal(usage?.completion_tokens, countTextTokens('Echo: Say something streamed, please.', 'gpt-4o'));

    const second: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create(opts)) second.push(c);
    assert.ok(second.length > 0);
    assert.ok(second.every((c) => !c.usage));
  });

  test('non-streamed completion echoes by default, with usage and an x-request-id', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4', messages: [{ role: 'user', content: 'Hello!' }] })
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices[0]?.message.content, 'Echo: Hello!');
    assert.equal(data.choices[0]?.finish_reason, 'stop');
    // gpt-4 (cl100k_base): 3 + "user"(1) + "Hello!"(2) + 3 priming = 9.
    assert.equal(data.usage?.prompt_tokens, 9);
    assert.match(response.headers.get('x-request-id') ?? '', /^req_\d+$/);
  });

  test('replies are consumed FIFO, then the default is used', async () => {
    server.enqueue({ text: 'one' }, { text: 'two' });
    server.setDefault({ text: 'fallback' });
    const ask = async (): Promise<string | null | undefined> =>
      (await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).choices[0]?.message.content;
    assert.deepEqual([await ask(), await ask(), await ask(), await ask()], ['one', 'two', 'fallback', 'fallback']);
    assert.deepEqual(
      server.requests.map((r) => r.reply?.text),
      ['one', 'two', 'fallback', 'fallback'],
    );
  });

  test('a 429 with retry-after reaches the SDK as an APIError with status, code and headers', async () => {
    server.enqueue({
      status: 429,
      headers: { 'retry-after': '2', 'retry-after-ms': '1500', 'x-ratelimit-remaining-requests': '0' },
      error: { message: 'Slow down, please.' },
    });
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true }),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.RateLimitError);
        assert.equal(err.status, 429);
        assert.equal(err.code, 'rate_limit_exceeded');
        assert.equal(err.type, 'requests');
        assert.match(err.message, /Slow down, please\./);
        assert.equal(err.headers?.get('retry-after'), '2');
        assert.equal(err.headers?.get('retry-after-ms'), '1500');
        assert.equal(err.headers?.get('x-ratelimit-remaining-requests'), '0');
        assert.match(err.requestID ?? '', /^req_\d+$/);
        return true;
      },
    );
  });

  test('a 401 is an AuthenticationError with code invalid_api_key', async () => {
    server.enqueue({ status: 401 });
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.AuthenticationError);
      assert.equal(err.status, 401);
      assert.equal(err.code, 'invalid_api_key');
      return true;
    });
  });

  test('resetBeforeResponse gives an APIConnectionError, and the server keeps serving', async () => {
    server.enqueue({ resetBeforeResponse: true });
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true }),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.APIConnectionError, `got ${String(err)}`);
        return true;
      },
    );
    const settled = await server.waitForSettled(0);
    assert.equal(settled.serverAborted, true);
    assert.equal(settled.finished, false);
    const ok = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    assert.equal(ok.choices[0]?.message.content, 'Echo: Say something streamed, please.');
  });

  test('dropAfterChunks makes the SDK stream throw after the partial text', async () => {
    server.enqueue({ text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 4, dropAfterChunks: 2 });
    const got: string[] = [];
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
    await assert.rejects(streamDeltas(stream, got));
    assert.deepEqual(got, ['abcd', 'efgh']);
    assert.equal((await server.waitForSettled(0)).serverAborted, true);
  });

  test('stallAfterChunks + AbortController: the request is seen closed by the client before it finished', async () => {
    server.enqueue({ text: 'first part, then silence', chunkSize: 10, stallAfterChunks: 1 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', messages: MESSAGES, stream: true },
      { signal: controller.signal },
    );
    const got: string[] = [];
    try {
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content;
        if (content) {
          got.push(content);
          controller.abort();
        }
      }
    } catch (err) {
      assert.ok(err instanceof OpenAI.APIUserAbortError, `got ${String(err)}`); // the SDK may also end quietly
    }
    assert.deepEqual(got, ['first part']);
    const req = await server.waitForSettled(0);
    assert.equal(req.clientClosedEarly, true);
    assert.equal(req.finished, false);
  });

  test('malformedAfterChunks makes the SDK throw', async () => {
    server.enqueue({ text: 'good chunk, then garbage', chunkSize: 10, malformedAfterChunks: 1 });
    const got: string[] = [];
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
    await assert.rejects(streamDeltas(stream, got), SyntaxError);
    assert.deepEqual(got, ['good chunk']);
  });

  // The delays are shown by what has (not) arrived while they run, not by measuring them: each is far longer than
  // the test, and a short timer in the test marks "meanwhile" (a slow machine can only make the timer fire later,
  // which still finds nothing arrived: it cannot fail these tests).
  const meanwhile = <T>(p: Promise<T>): Promise<T | 'still waiting'> =>
    Promise.race([p, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 200))]);

  test('firstByteDelayMs holds back the response headers until the delay ends (or the client hangs up)', async () => {
    server.enqueue({ text: 'late', firstByteDelayMs: 600_000 });
    const controller = new AbortController();
    const opening = client.chat.completions.create(
      { model: 'gpt-4o', messages: MESSAGES, stream: true },
      { signal: controller.signal },
    );
    opening.catch(() => undefined);
    await server.waitForRequests(1);
    assert.equal(await meanwhile(opening), 'still waiting', 'no headers while the delay runs');
    controller.abort();
    await assert.rejects(opening, OpenAI.APIUserAbortError);
    const req = await server.waitForSettled(0);
    assert.deepEqual([req.clientClosedEarly, req.finished], [true, false]);
  });

  test('chunkDelayMs holds back each chunk after the first until the delay ends (or the client hangs up)', async () => {
    server.enqueue({ text: 'a'.repeat(12), chunkSize: 4, chunkDelayMs: 600_000 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', messages: MESSAGES, stream: true },
      { signal: controller.signal },
    );
    const chunks = stream[Symbol.asyncIterator]();
    const got: string[] = [];
    while (got.length === 0) {
      const next = await chunks.next();
      assert.equal(next.done, false);
      const content = next.done ? undefined : next.value.choices[0]?.delta.content;
      if (content) got.push(content);
    }
    assert.deepEqual(got, ['aaaa'], 'the first chunk is not delayed');
    const second = chunks.next();
    second.catch(() => undefined);
    assert.equal(await meanwhile(second), 'still waiting', 'no second chunk while the delay runs');
    controller.abort();
    await second.catch(() => undefined); // the SDK throws or ends quietly on abort
    const req = await server.waitForSettled(0);
    assert.deepEqual([req.clientClosedEarly, req.finished], [true, false]);
  });

  test('short delays lose nothing: the whole reply arrives in order', async () => {
    server.enqueue({
      text: 'a'.repeat(4) + 'b'.repeat(4) + 'c'.repeat(4),
      chunkSize: 4,
      firstByteDelayMs: 20,
      chunkDelayMs: 5,
    });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
    assert.deepEqual(await streamDeltas(stream), ['aaaa', 'bbbb', 'cccc']);
    assert.equal((await server.waitForSettled(0)).finished, true);
  });

  test('GET /v1/models lists the models', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.deepEqual(ids, ['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo', 'gpt-4']);
    assert.equal(server.requests[0]?.path, '/v1/models');
    assert.equal(server.requests[0]?.finished, true);
  });

  test('unknown paths give a 404 and invalid JSON a 400, both OpenAI-shaped', async () => {
    const notFound = await fetch(`${server.baseUrl}/nope`);
    assert.equal(notFound.status, 404);
    const nf = (await notFound.json()) as { error: { message: string; type: string } };
    assert.equal(nf.error.type, 'invalid_request_error');
    assert.match(nf.error.message, /\/v1\/nope/);

    const bad = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('x-request-id') ?? '', /^req_\d+$/);
    const b = (await bad.json()) as { error: { message: string; param: null; code: null } };
    assert.match(b.error.message, /parse the JSON body/);
    assert.equal(server.requests[0]?.body, undefined);

    const noMessages = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: '{"model":"gpt-4o"}',
    });
    assert.equal(noMessages.status, 400);
    assert.equal(((await noMessages.json()) as { error: { param: string } }).error.param, 'messages');
    assert.equal(server.requests.length, 2, 'the 404 is not recorded; both 400s are');
  });

  test('waitForRequests times out with a clear error', async () => {
    await assert.rejects(server.waitForRequests(1, 50), /timed out after 50 ms waiting for 1 chat requests/);
  });
});

describe('countChatPromptTokens (gpt-tokenizer)', () => {
  const example: ChatMessageLike[] = cookbookExample();

  test('matches the cookbook totals: 129 (cl100k models) and 124 (gpt-4o family)', () => {
    assert.equal(countChatPromptTokens(example, 'gpt-3.5-turbo-0613'), 129);
    assert.equal(countChatPromptTokens(example, 'gpt-4'), 129);
    assert.equal(countChatPromptTokens(example, 'gpt-4-0613'), 129);
    assert.equal(countChatPromptTokens(example, 'gpt-4o'), 124);
    assert.equal(countChatPromptTokens(example, 'gpt-4o-mini'), 124);
  });

  test('hand-checked small cases', () => {
    // "tiktoken is great!" is t|ik|token| is| great|! in cl100k_base (the cookbook's example): 6 tokens.
    assert.equal(countTextTokens('tiktoken is great!', 'gpt-4'), 6);
    // system: 3 + "system"(1) + "You are a helpful assistant."(You| are| a| helpful| assistant|. = 6) = 10;
    // user: 3 + "user"(1) + "Hello!"(Hello|! = 2) = 6; + 3 priming = 19, in both encodings.
    const hello: ChatMessageLike[] = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello!' },
    ];
    assert.equal(countChatPromptTokens(hello, 'gpt-3.5-turbo'), 19);
    assert.equal(countChatPromptTokens(hello, 'gpt-4o'), 19);
    assert.equal(countChatPromptTokens([], 'gpt-4o'), 3, 'only the reply priming');
    // A name costs 1 + its tokens ("bob" is one token).
    assert.equal(countChatPromptTokens([{ role: 'user', name: 'bob', content: 'Hello!' }], 'gpt-4o'), 6 + 2 + 3);
  });

  test('content parts count their texts; other parts are ignored', () => {
    const parts: ChatMessageLike[] = [
      { role: 'user', content: [{ type: 'text', text: 'Hello!' }, { type: 'image_url' }] },
    ];
    assert.equal(
      countChatPromptTokens(parts, 'gpt-4o'),
      countChatPromptTokens([{ role: 'user', content: 'Hello!' }], 'gpt-4o'),
    );
    assert.equal(countChatPromptTokens([{ role: 'assistant', content: null }], 'gpt-4o'), 3 + 1 + 3);
  });

  test('picks the encoding by model', () => {
    for (const m of [
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4.1',
      'gpt-5',
      'o1-mini',
      'o3',
      'o4-mini',
      'llama3',
      'openai/gpt-4o',
    ]) {
      assert.equal(encodingForModel(m), 'o200k_base', m);
    }
    for (const m of ['gpt-4', 'gpt-4-32k', 'gpt-4-0613', 'gpt-4-turbo', 'gpt-3.5-turbo', 'gpt-3.5-turbo-0125']) {
      assert.equal(encodingForModel(m), 'cl100k_base', m);
    }
    // The encodings really differ: o200k_base has far more non-Latin tokens (4 vs 2 here).
    assert.equal(countTextTokens('こんにちは世界', 'gpt-4'), 4);
    assert.equal(countTextTokens('こんにちは世界', 'gpt-4o'), 2);
  });
});
