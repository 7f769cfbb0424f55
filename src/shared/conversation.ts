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

/** Why a routed reply went to its model (core/routing/router.ts), kept on the reply and shown under it. */
export interface ReplyRoute {
  /** The task type (core/routing/taskTypes.ts). */
  task: string;
  /** The action's title, when it named one. */
  label?: string;
  complexity: 'simple' | 'medium' | 'complex';
  model: string;
  /** What was measured of the input (never the input itself). */
  signals: {
    promptTokens: number;
    lines?: number;
    nesting?: number;
    branches?: number;
    files?: number;
    diagnostics?: number;
  };
  /** "Explain · simple (120 tokens, 9 lines) → gpt-4o-mini". */
  reason: string;
  /** The task's strong model, when the router chose another; the saving is undefined when a price is unknown. */
  alternative?: { model: string; savingUsd?: number };
}

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
  /** Set on a reply whose model the router chose. */
  route?: ReplyRoute;
}
