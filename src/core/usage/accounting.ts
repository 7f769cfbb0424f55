// The port between a chat request and the usage ledger: checked before sending (budgets), told about progress
// while a reply streams (the live status bar), and told how it ended (the ledger record and the reply's cost).
// ChatService calls it; the usage side (accountant.ts) implements it.
import type { Usage } from '../../shared/conversation';
import type { ErrorView } from '../../shared/errors';
import type { ResolvedModel } from '../tokens/models';
import type { UsageSurface } from './surfaces';

export interface SendCheck {
  requestId: string;
  conversationId: string;
  model: ResolvedModel;
  promptTokens: number;
  maxReplyTokens: number;
  /** Cost if the whole reply budget is used; undefined when the price is unknown. */
  maxUsd?: number;
  /** The user chose "send this one anyway" after a refusal. */
  ignoreBudget?: boolean;
}

export interface SendVerdict {
  /** Refused before sending: shown with its actions; nothing is sent. */
  refuse?: ErrorView;
  /** Sent, but the user should know (e.g. 80 % of a budget). */
  warning?: string;
}

export interface ReplyAccounting {
  requestId: string;
  conversationId: string;
  model: ResolvedModel;
  /** The API's usage, when it sent one (a stopped or failed stream has none). */
  usage?: Usage;
  /** The planned prompt tokens (exact for what was sent), used when the API sent no usage. */
  promptTokens: number;
  /** The reply text that arrived, counted locally when the API sent no usage. */
  completionText: string;
  outcome: 'complete' | 'stopped' | 'failed';
  cacheHit: boolean;
  /** For a cache hit: the usage of the original request (what was saved). */
  savedUsage?: Usage;
  apiRequestId?: string;
  /** Where the request came from (panel, code action, VS Code's Chat view or Agent mode); absent: the panel. */
  surface?: UsageSurface;
}

export interface ReplyCost {
  usage: Usage;
  /** undefined: price unknown. */
  costUsd?: number;
  savedUsd?: number;
}

export interface Accountant {
  check(request: SendCheck): SendVerdict | Promise<SendVerdict>;
  progress(requestId: string, completionChars: number): void;
  /** Records the request; returns the usage and cost to show under the reply (estimated when the API sent none). */
  finish(reply: ReplyAccounting): Promise<ReplyCost | undefined>;
}
