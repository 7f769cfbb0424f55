// Tool calls both ways over the OpenAI chat API (issue #16): our messages and tools as the wire format, streamed
// tool-call fragments assembled into whole calls (several calls, interleaved, ids missing, repeated names, limits),
// and one round trip through the real openai SDK over real HTTP to the loopback server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatRequest, StreamEvent } from '../../src/core/api/chatClient';
import { OpenAIChatClient } from '../../src/core/api/openaiClient';
import { streamReply } from '../../src/core/api/replyStream';
import { DEFAULT_RETRY_POLICY } from '../../src/core/api/retry';
import {
  MAX_TOOL_ARGUMENT_CHARS,
  MAX_TOOL_CALLS,
  ToolCallAssembler,
  parseToolArguments,
  toWireMessage,
  wireTools,
} from '../../src/core/api/toolCalls';
import { silentLogger } from '../../src/core/ports';
import { FakeClock } from '../support/fakeClock';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

type Fragment = Extract<StreamEvent, { type: 'toolCall' }>;
const frag = (index: number, args: string, id?: string, name?: string): Fragment => ({
  type: 'toolCall',
  index,
  arguments: args,
  ...(id ? { id } : {}),
  ...(name ? { name } : {}),
});

describe('tool calls: messages to the wire', () => {
  it('an assistant message with calls carries tool_calls (null content when empty); a tool message answers one', () => {
    assert.deepEqual(
      toWireMessage({
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }],
      }),
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
      },
    );
    assert.deepEqual(toWireMessage({ role: 'assistant', content: 'I will look.', toolCalls: [] }), {
      role: 'assistant',
      content: 'I will look.',
    });
    assert.deepEqual(toWireMessage({ role: 'tool', toolCallId: 'call_1', content: 'export const a = 1;' }), {
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'export const a = 1;',
    });
    assert.deepEqual(toWireMessage({ role: 'user', content: 'hi' }), { role: 'user', content: 'hi' });
  });

  it('tools become function tools with their schema; no tools, no fields', () => {
    const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    assert.deepEqual(
      wireTools({
        model: 'm',
        messages: [],
        tools: [
          { name: 'read_file', description: 'Reads a file', parameters: schema },
          { name: 'now', description: 'The time' },
        ],
        toolChoice: 'required',
      }),
      {
        tools: [
          { type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: schema } },
          { type: 'function', function: { name: 'now', description: 'The time' } },
        ],
        tool_choice: 'required',
      },
    );
    assert.deepEqual(wireTools({ model: 'm', messages: [], tools: [] }), {});
  });
});

describe('tool calls: streamed fragments assembled', () => {
  it('several calls, interleaved by index, arguments split anywhere (even inside a multi-byte character)', () => {
    const a = new ToolCallAssembler();
    const argsA = '{"path":"src/å😀.ts"}';
    const argsB = '{"query":"TODO","max":3}';
    a.add(frag(1, '', 'call_b', 'search'));
    a.add(frag(0, '', 'call_a', 'read_file'));
    for (let i = 0; i < Math.max(argsA.length, argsB.length); i += 3) {
      if (i < argsB.length) a.add(frag(1, argsB.slice(i, i + 3)));
      if (i < argsA.length) a.add(frag(0, argsA.slice(i, i + 3)));
    }
    const calls = a.finish((i) => `gen_${i}`);
    assert.deepEqual(calls, [
      { id: 'call_a', name: 'read_file', arguments: argsA },
      { id: 'call_b', name: 'search', arguments: argsB },
    ]);
    assert.deepEqual(parseToolArguments(calls[0]), { path: 'src/å😀.ts' });
  });

  it('a call without an id gets one; a name repeated in every fragment counts once', () => {
    const a = new ToolCallAssembler();
    a.add(frag(0, '{"x":', undefined, 'f'));
    a.add(frag(0, '1}', undefined, 'f'));
    assert.deepEqual(
      a.finish((i) => `gen_${i}`),
      [{ id: 'gen_0', name: 'f', arguments: '{"x":1}' }],
    );
  });

  it('a call without a name, too many calls or oversized arguments are clear errors', () => {
    const noName = new ToolCallAssembler();
    noName.add(frag(0, '{}', 'c'));
    assert.throws(() => noName.finish(String), /Tool call 0 of the reply has no name/);
    const many = new ToolCallAssembler();
    for (let i = 0; i < MAX_TOOL_CALLS; i++) many.add(frag(i, '', `c${i}`, 'f'));
    assert.throws(() => many.add(frag(MAX_TOOL_CALLS, '', 'cx', 'f')), /more than 128 tool calls/);
    const big = new ToolCallAssembler();
    big.add(frag(0, 'x'.repeat(MAX_TOOL_ARGUMENT_CHARS), 'c', 'f'));
    assert.throws(
      () => big.add(frag(0, 'y')),
      (e: Error & { kind?: string }) => e.kind === 'replyTooLarge',
    );
  });

  it('arguments: empty text is {}; not JSON or not an object is an error naming the tool', () => {
    assert.deepEqual(parseToolArguments({ id: 'c', name: 'now', arguments: '  ' }), {});
    assert.throws(
      () => parseToolArguments({ id: 'c', name: 'grep', arguments: '{"a":' }),
      /grep with arguments that are not JSON/,
    );
    assert.throws(() => parseToolArguments({ id: 'c', name: 'grep', arguments: '[1]' }), /not an object/);
  });
});

describe('tool calls through the real openai SDK over HTTP', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await FakeOpenAIServer.start();
  });
  after(() => server.close());

  it('sends tools and a tool result; streams two interleaved calls back, assembled as sent', async () => {
    const scripted = [
      { id: 'call_r1', name: 'read_file', arguments: '{"path":"README.md","lines":[1,20]}' },
      { id: '', name: 'list_dir', arguments: '{"path":"src"}' },
    ];
    server.enqueue({ text: 'Let me look.', chunkSize: 5, toolCalls: scripted, interleaveToolCalls: true });
    const request: ChatRequest = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'What is in this repo?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'list_dir', arguments: '{"path":"."}' }] },
        { role: 'tool', toolCallId: 'call_0', content: '{"entries":["README.md","src"]}' },
      ],
      tools: [
        { name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: {} } },
        { name: 'list_dir', description: 'Lists a folder' },
      ],
      toolChoice: 'auto',
    };
    const assembler = new ToolCallAssembler();
    const fragments: Fragment[] = [];
    const text: string[] = [];
    const outcome = await streamReply(
      {
        client: new OpenAIChatClient(),
        clock: new FakeClock(),
        logger: silentLogger,
        random: () => 0.5,
        policy: DEFAULT_RETRY_POLICY,
        timeouts: { firstByteMs: 120_000, idleMs: 120_000 },
      },
      'req-tools',
      { baseUrl: server.baseUrl, apiKey: 'sk-test-tools' },
      request,
      new AbortController().signal,
      {
        delta: (t) => text.push(t),
        retrying: () => assert.fail('no retry'),
        toolCall: (f) => {
          fragments.push(f);
          assembler.add(f);
        },
      },
    );
    assert.equal(outcome.kind, 'complete');
    if (outcome.kind === 'complete') assert.equal(outcome.finishReason, 'tool_calls');
    assert.equal(text.join(''), 'Let me look.');
    assert.ok(fragments.length > 4, `arguments arrived in pieces (${fragments.length} fragments)`);
    assert.deepEqual(
      assembler.finish((i) => `gen_${i}`),
      [scripted[0], { ...scripted[1], id: 'gen_1' }],
    );
    const body = server.requests[0].body as {
      tools: unknown[];
      tool_choice: string;
      messages: Record<string, unknown>[];
    };
    assert.equal(body.tools.length, 2);
    assert.equal(body.tool_choice, 'auto');
    assert.deepEqual(body.messages[1], {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'list_dir', arguments: '{"path":"."}' } }],
    });
    assert.deepEqual(body.messages[2], {
      role: 'tool',
      tool_call_id: 'call_0',
      content: '{"entries":["README.md","src"]}',
    });
  });
});
