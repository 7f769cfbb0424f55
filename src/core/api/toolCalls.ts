// Tool calls over the OpenAI chat API (issue #16: VS Code's Agent mode needs them): our request messages as the SDK
// wants them (`tool_calls`, `tool` messages, images as `image_url` parts), tool definitions as `function` tools, and
// the streamed fragments of a reply's tool calls assembled into whole calls. Pure: no SDK import, unit-tested.
import * as l10n from '@vscode/l10n';
import type { ChatRequest, ChatRequestMessage, ToolCall } from './chatClient';
import { TallyError } from './errors';

/** Most tool calls one reply may make, and most characters of one call's arguments: a hostile or broken endpoint
 *  cannot grow either without bound. */
export const MAX_TOOL_CALLS = 128;
export const MAX_TOOL_ARGUMENT_CHARS = 1_000_000;

/** What the SDK takes as `messages` (structurally; openaiClient.ts passes it on). */
export type WireMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | WireContentPart[] }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
    }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A part of a user message with images: its text, and each image as a `data:` URL. */
export type WireContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export function toWireMessage(m: ChatRequestMessage): WireMessage {
  if (m.role === 'user' && m.images?.length)
    return {
      role: 'user',
      content: [
        ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
        ...m.images.map((i) => ({
          type: 'image_url' as const,
          image_url: { url: `data:${i.mimeType};base64,${i.base64}` },
        })),
      ],
    };
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.role === 'assistant' && m.toolCalls?.length)
    return {
      role: 'assistant',
      // OpenAI takes null content beside tool calls; an empty string is refused by some compatible servers.
      content: m.content === '' ? null : m.content,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    };
  return { role: m.role, content: m.content };
}

/** The request's tools as the SDK's `tools` / `tool_choice` (nothing when there are no tools). */
export function wireTools(request: ChatRequest): {
  tools?: { type: 'function'; function: { name: string; description: string; parameters?: Record<string, unknown> } }[];
  tool_choice?: 'auto' | 'required';
} {
  if (!request.tools?.length) return {};
  return {
    tools: request.tools.map((t) => ({
      type: 'function' as const,
      function: {
        name: t.name,
        description: t.description,
        ...(t.parameters ? { parameters: t.parameters } : {}),
      },
    })),
    ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
  };
}

/**
 * Assembles streamed tool-call fragments: the first fragment of call `index` carries its id and name, later ones more
 * of its arguments (OpenAI streams them a few characters at a time). Several calls may interleave by index. Appending
 * is amortised O(1) per fragment (parts joined once at the end).
 */
export class ToolCallAssembler {
  private readonly calls = new Map<number, { id?: string; name?: string; parts: string[]; size: number }>();

  add(fragment: { index: number; id?: string; name?: string; arguments: string }): void {
    let call = this.calls.get(fragment.index);
    if (!call) {
      if (this.calls.size >= MAX_TOOL_CALLS)
        throw new TallyError('badRequest', l10n.t('The reply made more than {0} tool calls.', MAX_TOOL_CALLS), false);
      call = { parts: [], size: 0 };
      this.calls.set(fragment.index, call);
    }
    if (fragment.id) call.id ??= fragment.id;
    // OpenAI sends the name once; some compatible servers repeat it in every fragment: the first one counts.
    if (fragment.name) call.name ??= fragment.name;
    if (fragment.arguments) {
      call.size += fragment.arguments.length;
      if (call.size > MAX_TOOL_ARGUMENT_CHARS)
        throw new TallyError(
          'replyTooLarge',
          l10n.t("A tool call's arguments are larger than {0} characters.", MAX_TOOL_ARGUMENT_CHARS),
          false,
        );
      call.parts.push(fragment.arguments);
    }
  }

  get size(): number {
    return this.calls.size;
  }

  /** The whole calls in index order. A call without a name is an error of the endpoint; one without an id gets one
   *  (some OpenAI-compatible servers send none), so its result can still be matched. */
  finish(newId: (index: number) => string): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => {
        if (!c.name)
          throw new TallyError('badRequest', l10n.t('Tool call {0} of the reply has no name.', index), false);
        return { id: c.id ?? newId(index), name: c.name, arguments: c.parts.join('') };
      });
  }
}

/** A call's arguments as the object VS Code's LanguageModelToolCallPart takes: `{}` for empty text; invalid JSON or a
 *  non-object is a clear error naming the tool. */
export function parseToolArguments(call: ToolCall): Record<string, unknown> {
  if (call.arguments.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(call.arguments);
  } catch {
    throw new TallyError(
      'badRequest',
      l10n.t('The model called {0} with arguments that are not JSON.', call.name),
      false,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TallyError(
      'badRequest',
      l10n.t('The model called {0} with arguments that are not an object.', call.name),
      false,
    );
  return value as Record<string, unknown>;
}
