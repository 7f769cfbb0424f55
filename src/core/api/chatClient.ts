// What core needs from a chat API: one streamed attempt per call, as a sequence of events. The OpenAI adapter
// (openaiClient.ts) implements it; tests use the same adapter against the loopback server.
import type { Usage } from '../../shared/conversation';
import type { Endpoint } from './endpoint';

/** A tool call as the model made it: `arguments` is the JSON text the model wrote (parsed where it is used). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A tool the model may call: a JSON schema for its input (VS Code's LanguageModelChatTool, OpenAI's `function`). */
export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the input object; absent: no input. */
  parameters?: Record<string, unknown>;
}

/** An image in a user message (VS Code's Chat: a pasted or attached image), sent as a `data:` URL. */
export interface ChatImage {
  mimeType: string;
  /** The image's bytes in base64. */
  base64: string;
  /** Prompt tokens the image is estimated at (core/lm/imageTokens.ts). */
  tokens: number;
}

/** One message of a request. An assistant message may carry the tool calls it made; a `tool` message answers one; a
 *  user message may carry images (only for models that take them). */
export type ChatRequestMessage =
  | { role: 'system' | 'user'; content: string; images?: ChatImage[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ChatRequest {
  model: string;
  messages: ChatRequestMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Tools the model may call (VS Code's Agent mode sends ~40). */
  tools?: ToolDefinition[];
  /** `required`: the model must call a tool (VS Code's LanguageModelChatToolMode.Required). */
  toolChoice?: 'auto' | 'required';
}

/** What one streamed attempt yields, in order: one `response`, then deltas, a `finish`, and `usage` when sent. */
export type StreamEvent =
  | { type: 'response'; requestId?: string; headers: Record<string, string> }
  | { type: 'delta'; text: string }
  /** A fragment of tool call `index`: the first carries its id and name, the rest more of its arguments' JSON text
   *  (assembled by ToolCallAssembler, toolCalls.ts). */
  | { type: 'toolCall'; index: number; id?: string; name?: string; arguments: string }
  | { type: 'finish'; reason: string | null }
  | { type: 'usage'; usage: Usage };

export interface ChatClient {
  stream(endpoint: Endpoint, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
}
