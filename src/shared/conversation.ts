// Conversation data shared by host and webview: plain, serialisable, no behaviour.

export type Role = 'system' | 'user' | 'assistant';

/** Token usage as the API reports it (or as Tally estimates it when the API could not report it). */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from the provider's prompt cache (billed at the cached-input price). */
  cachedPromptTokens?: number;
  /** True when counted locally because the API sent no usage (stopped or failed stream). */
  estimated?: boolean;
}

/** How an assistant message ended. `streaming` only while the reply is arriving. */
export type ReplyStatus = 'streaming' | 'complete' | 'stopped' | 'interrupted';

export interface ChatMessage {
  id: string;
  role: Role;
  content: string;
  createdAt: number;
  model?: string;
  usage?: Usage;
  /** What the reply cost in USD (absent: price unknown); for a cached reply, 0 and what it saved. */
  costUsd?: number;
  savedUsd?: number;
  /** Served from Tally's response cache instead of the API. */
  cached?: boolean;
  status?: ReplyStatus;
  /** Cached prompt tokens of this message in the chat format, per tokenizer encoding (never recounted). */
  tokenCounts?: Partial<Record<'o200k_base' | 'cl100k_base', number>>;
}
