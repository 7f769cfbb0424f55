// VS Code's language-model messages to chat API messages (issue #16): text, tool calls with their ids, tool results
// with text and JSON, parts the API cannot take here, and what is counted for a message's tokens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countableTexts, toChatMessages, toolResultText, type LmMessage } from '../../src/core/lm/lmMessages';

describe('language-model messages to the chat API', () => {
  it('an agent turn: user text, assistant calls (ids kept, input as JSON), results as tool messages in order', () => {
    const turn: LmMessage[] = [
      { role: 'system', parts: [{ kind: 'text', value: 'You are an agent.' }] },
      {
        role: 'user',
        parts: [
          { kind: 'text', value: 'Fix ' },
          { kind: 'text', value: 'the build.' },
        ],
      },
      {
        role: 'assistant',
        parts: [
          { kind: 'text', value: 'Reading two files.' },
          { kind: 'toolCall', callId: 'call_a', name: 'read_file', input: { path: 'a.ts' } },
          { kind: 'toolCall', callId: 'call_b', name: 'read_file', input: { path: 'b.ts', lines: [1, 9] } },
        ],
      },
      {
        role: 'user',
        parts: [
          { kind: 'toolResult', callId: 'call_a', content: [{ kind: 'text', value: 'export const a = 1;' }] },
          {
            kind: 'toolResult',
            callId: 'call_b',
            content: [
              { kind: 'text', value: 'lines: ' },
              { kind: 'json', value: { '1': 'import x', ok: true } },
            ],
          },
          { kind: 'text', value: 'Go on.' },
        ],
      },
    ];
    const { messages, notes } = toChatMessages(turn);
    assert.deepEqual(messages, [
      { role: 'system', content: 'You are an agent.' },
      { role: 'user', content: 'Fix the build.' },
      {
        role: 'assistant',
        content: 'Reading two files.',
        toolCalls: [
          { id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' },
          { id: 'call_b', name: 'read_file', arguments: '{"path":"b.ts","lines":[1,9]}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_a', content: 'export const a = 1;' },
      { role: 'tool', toolCallId: 'call_b', content: 'lines: {"1":"import x","ok":true}' },
      { role: 'user', content: 'Go on.' },
    ]);
    assert.deepEqual(notes.droppedParts, []);
  });

  it('a call without input is {}; an assistant message with only calls has empty content', () => {
    const { messages } = toChatMessages([
      { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'c1', name: 'now', input: undefined }] },
    ]);
    assert.deepEqual(messages, [
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'now', arguments: '{}' }] },
    ]);
  });

  it('binary parts and misplaced calls are left out and named (sizes only, never content); empty messages vanish', () => {
    const { messages, notes } = toChatMessages([
      { role: 'user', parts: [{ kind: 'data', mimeType: 'image/png', byteLength: 2048 }] },
      { role: 'user', parts: [{ kind: 'toolCall', callId: 'x', name: 'f', input: {} }] },
      { role: 'assistant', parts: [] },
    ]);
    assert.deepEqual(messages, []);
    assert.deepEqual(notes.droppedParts, ['image/png (2048 bytes)', 'tool calls in a user message']);
  });

  it('a tool result: text as is, JSON as JSON, other content named', () => {
    assert.equal(
      toolResultText([
        { kind: 'text', value: 'a' },
        { kind: 'json', value: [1, 'two'] },
        { kind: 'other', mimeType: 'image/png' },
      ]),
      'a[1,"two"][image/png content omitted]',
    );
  });

  it('counts content, each call’s name and arguments, a tool message’s id and content', () => {
    assert.deepEqual(countableTexts({ role: 'user', content: 'hi' }), ['hi']);
    assert.deepEqual(
      countableTexts({ role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: '{"a":1}' }] }),
      ['', 'f', '{"a":1}'],
    );
    assert.deepEqual(countableTexts({ role: 'tool', toolCallId: 'c', content: 'r' }), ['c', 'r']);
  });
});
