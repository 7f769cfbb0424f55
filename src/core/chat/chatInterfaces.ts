// The chat loop's interfaces to the outside: the sink it reports each step to (the panel), the options of one send,
// and the settings it reads at each send.
import type { ChatMessage } from '../../shared/conversation';
import type { ErrorView } from '../../shared/errors';
import type { RetryNotice } from '../api/replyStream';
import type { RetryPolicy } from '../api/retry';
import type { StreamTimeouts } from '../api/streamWatchdog';

export interface ChatSink {
  started(user: ChatMessage, assistant: ChatMessage): void;
  delta(text: string): void;
  done(assistant: ChatMessage): void;
  error(error: ErrorView, assistant?: ChatMessage): void;
  /** Messages from this id on were taken out of the conversation (a retry replaces them). */
  removed(fromMessageId: string): void;
  /** Tally is waiting to try again (before any token arrived). */
  retrying(notice: RetryNotice): void;
  /** Something the user should know before the reply (e.g. rate-limit headroom). */
  notice(text: string): void;
}

export interface SendOptions {
  /** How a truncation notice names the input ("selection" for Explain Selection). */
  inputLabel?: string;
  /** The user chose to send despite a budget refusal. */
  ignoreBudget?: boolean;
  /** Regenerate: ask the API even if the cache has a reply (the new reply replaces the cached one). */
  bypassCache?: boolean;
}

export interface ChatSettings {
  model: string;
  systemPrompt: string;
  /** Most tokens a reply may use: requested from the API and reserved in the context window. */
  maxReplyTokens: number;
  /** Sampling temperature; undefined: the API's default. */
  temperature?: number;
  retryPolicy: RetryPolicy;
  timeouts: StreamTimeouts;
  /** Most characters a reply may have (streamed or cached); default DEFAULT_MAX_REPLY_CHARS (replyStream.ts). */
  maxReplyChars?: number;
}
