// VS Code's language-model messages (issue #16) in a neutral shape, and their conversion to the chat API's messages.
// The host maps vscode's classes (LanguageModelTextPart, LanguageModelToolCallPart, LanguageModelToolResultPart,
// LanguageModelDataPart) to these shapes with instanceof checks, so the rules live here, in plain unit-tested code.
import type { ChatRequestMessage, ToolCall } from '../api/chatClient';

/** What a tool result holds: text, JSON (a data part of a JSON mime type), or anything else the model cannot read. */
export type LmResultPart =
  { kind: 'text'; value: string } | { kind: 'json'; value: unknown } | { kind: 'other'; mimeType: string };

export type LmPart =
  | { kind: 'text'; value: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: LmResultPart[] }
  | { kind: 'data'; mimeType: string; byteLength: number };

export interface LmMessage {
  role: 'system' | 'user' | 'assistant';
  parts: LmPart[];
}

/** What a conversion left out, for the log (never message text). */
export interface LmConversionNotes {
  droppedParts: string[];
}

/** The text a tool result gives the model: text parts as they are, JSON parts as JSON, the rest named. */
export function toolResultText(parts: readonly LmResultPart[]): string {
  return parts
    .map((p) =>
      p.kind === 'text' ? p.value : p.kind === 'json' ? JSON.stringify(p.value) : `[${p.mimeType} content omitted]`,
    )
    .join('');
}

/**
 * VS Code's messages as chat API messages. A user message's tool results become `tool` messages placed first (the API
 * wants them right after the assistant message that made the calls), then its text, if any. An assistant message's
 * tool calls are kept with their ids and their input as JSON text. Parts the API cannot take here (binary data such
 * as images) are left out and named in `notes`.
 */
export function toChatMessages(messages: readonly LmMessage[]): {
  messages: ChatRequestMessage[];
  notes: LmConversionNotes;
} {
  const out: ChatRequestMessage[] = [];
  const notes: LmConversionNotes = { droppedParts: [] };
  for (const m of messages) {
    const text: string[] = [];
    const calls: ToolCall[] = [];
    for (const p of m.parts) {
      if (p.kind === 'text') text.push(p.value);
      else if (p.kind === 'toolCall')
        calls.push({ id: p.callId, name: p.name, arguments: JSON.stringify(p.input ?? {}) });
      else if (p.kind === 'toolResult')
        out.push({ role: 'tool', toolCallId: p.callId, content: toolResultText(p.content) });
      else notes.droppedParts.push(`${p.mimeType} (${p.byteLength} bytes)`);
    }
    const content = text.join('');
    if (m.role === 'assistant') {
      if (calls.length) out.push({ role: 'assistant', content, toolCalls: calls });
      else if (content) out.push({ role: 'assistant', content });
    } else {
      if (calls.length) notes.droppedParts.push(`tool calls in a ${m.role} message`);
      if (content) out.push({ role: m.role, content });
    }
  }
  return { messages: out, notes };
}

/** The texts whose tokens make up a message's cost beyond the chat format's framing: content, then each tool call's
 *  name and arguments, or a tool message's call id. Counting these with the model's encoding is Tally's estimate for
 *  tool traffic (OpenAI does not publish its exact framing for tool calls; the API's usage is what is billed). */
export function countableTexts(m: ChatRequestMessage): string[] {
  if (m.role === 'tool') return [m.toolCallId, m.content];
  if (m.role === 'assistant' && m.toolCalls?.length)
    return [m.content, ...m.toolCalls.flatMap((c) => [c.name, c.arguments])];
  return [m.content];
}
