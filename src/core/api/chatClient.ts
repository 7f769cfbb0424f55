// What core needs from a chat API: one streamed attempt per call, as a sequence of events. The OpenAI adapter
// (openaiClient.ts) implements it; tests use the same adapter against the loopback server.
import type { Usage } from '../../shared/conversation';
import type { Endpoint } from './endpoint';

export interface ChatRequestMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatRequestMessage[];
  temperature?: number;
  maxTokens?: number;
}

/** What one streamed attempt yields, in order: one `response`, then deltas, a `finish`, and `usage` when sent. */
export type StreamEvent =
  | { type: 'response'; requestId?: string; headers: Record<string, string> }
  | { type: 'delta'; text: string }
  | { type: 'finish'; reason: string | null }
  | { type: 'usage'; usage: Usage };

export interface ChatClient {
  stream(endpoint: Endpoint, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
}
