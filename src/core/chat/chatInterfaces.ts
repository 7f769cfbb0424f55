// The chat loop's interfaces to the outside: the sink it reports each step to (the panel), the options of one send,
// the settings it reads at each send, and the services it is built from (ChatServiceDeps).
import type { ChatMessage } from '../../shared/conversation';
import type { ErrorView } from '../../shared/errors';
import type { AttemptRecord, RetryNotice } from '../api/replyStream';
import type { RetryPolicy } from '../api/retry';
import type { StreamTimeouts } from '../api/streamWatchdog';
import type { ChatClient } from '../api/chatClient';
import type { Endpoint } from '../api/endpoint';
import type { ResolvedModel } from '../tokens/models';
import type { RoutingOverrides } from '../routing/routingTable';
import type { RouteRequest } from '../routing/taskTypes';
import type { Tokenizers } from '../tokens/tokenizers';
import type { ConversationStore } from '../conversations/store';
import type { Accountant } from '../usage/accounting';
import type { ResponseCache } from '../cache/responseCache';
import type { Clock, Logger } from '../ports';
import type { FinishedRequest } from '../metrics/makeMetric';

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
  /** Let the router choose the model for this task (code actions); the prompt's tokens are counted here. */
  route?: Omit<RouteRequest, 'promptTokens'>;
  /** Send to this model, no routing (re-ask with the stronger model, the picker's choice); `auto` routes as chat. */
  model?: string;
}

export interface ChatSettings {
  /** The model id, or `auto`: the router chooses (as task `chat` unless the send names a task). */
  model: string;
  /** `tally.routing`, validated: cells of the routing table the user changed. */
  routing?: RoutingOverrides;
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

export interface ChatServiceDeps {
  client: ChatClient;
  /** The endpoint with its key, or undefined when no API key is set; rejects with EndpointRefusedError when the
   *  configured endpoint may not be used (nothing is sent then). */
  endpoint(): Promise<Endpoint | undefined>;
  settings(): ChatSettings;
  logger: Logger;
  clock: Clock;
  newId(prefix: string): string;
  /** Jitter source for backoff (tests make it fixed). */
  random?: () => number;
  onAttempt?(record: AttemptRecord): void;
  /** Told once per request whose reply ended (after it was accounted), with its attempts: request metrics. */
  onRequestFinished?(request: FinishedRequest): void;
  tokenizers: Tokenizers;
  /** The registry entry for a model id (with the user's overrides). */
  resolveModel(id: string): ResolvedModel;
  /** Where conversations are kept (per workspace). */
  store: ConversationStore;
  /** Budgets and the usage ledger. */
  accountant?: Accountant;
  /** The response cache (absent or mode off: every request goes to the API). */
  cache?: ResponseCache;
}
