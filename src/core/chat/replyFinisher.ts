// How a reply ends once its text has arrived: the request is recorded in the usage ledger and its usage and cost go
// on the reply, the reply gets its final state (complete, stopped, interrupted, or removed when it failed before any
// text), which is logged and told to the sink, a complete reply that did not come from the cache is stored in it in
// the background (after `done`, so the panel never waits for the cache), and the conversation is saved.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../../shared/conversation';
import type { Endpoint } from '../api/endpoint';
import { redactErrorView } from '../api/redact';
import type { AttemptRecord, StreamOutcome } from '../api/replyStream';
import type { CacheKeyInput } from '../cache/cacheKey';
import type { CacheHit } from '../cache/responseCache';
import type { Conversation } from '../conversations/codec';
import { errorMessage } from '../errorMessage';
import type { ResolvedModel } from '../tokens/models';
import type { ReplyAccounting } from '../usage/accounting';
import type { UsageSurface } from '../usage/surfaces';
import type { ChatServiceDeps, ChatSink } from './chatInterfaces';

export type ReplyFinisherDeps = Pick<
  ChatServiceDeps,
  'cache' | 'accountant' | 'logger' | 'clock' | 'store' | 'onRequestFinished'
>;

export interface ReplyToFinish {
  requestId: string;
  /** For redacting its key from an error. */
  endpoint: Endpoint;
  conversation: Conversation;
  assistant: ChatMessage;
  sink: ChatSink;
  model: ResolvedModel;
  /** The planned prompt tokens (used when the API sent no usage). */
  promptTokens: number;
  cacheInput: CacheKeyInput;
  /** Set when the reply was served from the cache. */
  hit: CacheHit | undefined;
  outcome: StreamOutcome;
  apiRequestId: string | undefined;
  /** When the reply began (clock time). */
  startedAt: number;
  /** When its text ended (clock time; default: when finishing starts), and its API attempts: request metrics. */
  endedAt?: number;
  attempts?: readonly AttemptRecord[];
  /** Where the send came from, for the ledger: the panel (default) or a code action. */
  surface?: Extract<UsageSurface, 'panel' | 'action'>;
}

/** Accounts, settles, reports, caches (in the background) and saves a reply whose text has ended. */
export async function finishReply(deps: ReplyFinisherDeps, reply: ReplyToFinish): Promise<void> {
  const { logger, clock } = deps;
  const { requestId, conversation, assistant, sink, outcome, hit, apiRequestId } = reply;
  await account(deps, assistant, {
    requestId,
    conversationId: conversation.id,
    model: reply.model,
    promptTokens: reply.promptTokens,
    completionText: assistant.content,
    outcome: outcome.kind,
    cacheHit: hit !== undefined,
    ...(outcome.kind === 'complete' && outcome.usage && !hit ? { usage: outcome.usage } : {}),
    ...(hit?.entry.usage ? { savedUsage: hit.entry.usage } : {}),
    ...(apiRequestId ? { apiRequestId } : {}),
    surface: reply.surface ?? 'panel',
  });
  const elapsed = clock.now() - reply.startedAt;
  if (outcome.kind === 'complete') {
    assistant.status = 'complete';
    logger.info(
      `chat ${requestId}: complete in ${elapsed} ms, tokens in=${assistant.usage?.promptTokens ?? '?'} out=${assistant.usage?.completionTokens ?? '?'}`,
    );
    sink.done({ ...assistant });
    // Off the reply path: the panel has its reply; the cache write runs in the background (ResponseCache.settled).
    if (!hit)
      deps.cache?.storeLater(reply.cacheInput, {
        text: assistant.content,
        ...(outcome.usage ? { usage: outcome.usage } : {}),
        ...(outcome.finishReason ? { finishReason: outcome.finishReason } : {}),
      });
  } else if (outcome.kind === 'stopped') {
    assistant.status = 'stopped';
    logger.info(`chat ${requestId}: stopped after ${elapsed} ms with ${assistant.content.length} characters`);
    sink.done({ ...assistant });
  } else {
    const view = redactErrorView(outcome.failure.view, reply.endpoint.apiKey);
    logger.warn(
      `chat ${requestId}: failed (${view.kind}${outcome.failure.status ? ` ${outcome.failure.status}` : ''}) after ${elapsed} ms: ${view.detail ?? view.message}${view.requestId ? ` [request ${view.requestId}]` : ''}`,
    );
    if (outcome.afterTokens) {
      assistant.status = 'interrupted';
      sink.error(view, { ...assistant });
    } else {
      conversation.messages.splice(conversation.messages.indexOf(assistant), 1);
      sink.error(view);
    }
  }
  await persist(deps, conversation, sink);
  // Last: the metrics write must not compete with the reply's own save.
  reportFinished(deps, reply);
}

/** Tells the metrics hook how the request went (never its text); a failing hook is logged, the reply goes on. */
function reportFinished(deps: Pick<ReplyFinisherDeps, 'onRequestFinished' | 'logger' | 'clock'>, reply: ReplyToFinish) {
  if (!deps.onRequestFinished) return;
  const { outcome, assistant } = reply;
  try {
    deps.onRequestFinished({
      requestId: reply.requestId,
      model: reply.model.id,
      baseUrl: reply.endpoint.baseUrl,
      startedAt: reply.startedAt,
      endedAt: reply.endedAt ?? deps.clock.now(),
      outcome: outcome.kind === 'failed' ? (outcome.afterTokens ? 'interrupted' : 'failed') : outcome.kind,
      ...(outcome.kind === 'failed' ? { errorKind: outcome.failure.view.kind } : {}),
      cacheHit: reply.hit !== undefined,
      attempts: reply.attempts ?? [],
      ...(assistant.usage ? { usage: assistant.usage } : {}),
      ...(assistant.costUsd !== undefined ? { costUsd: assistant.costUsd } : {}),
      ...(assistant.savedUsd !== undefined ? { savedUsd: assistant.savedUsd } : {}),
    });
  } catch (e) {
    deps.logger.warn(`recording the metrics of ${reply.requestId} failed: ${errorMessage(e)}`);
  }
}

/** Records the request in the usage ledger and puts its usage and cost on the reply (estimated when the API sent none). */
async function account(
  deps: Pick<ReplyFinisherDeps, 'accountant' | 'logger'>,
  assistant: ChatMessage,
  reply: ReplyAccounting,
): Promise<void> {
  if (reply.usage) assistant.usage = reply.usage;
  if (reply.cacheHit) {
    assistant.cached = true;
    if (reply.savedUsage) assistant.usage = reply.savedUsage;
  }
  if (!deps.accountant) return;
  try {
    const cost = await deps.accountant.finish(reply);
    if (!cost) return;
    assistant.usage = cost.usage;
    if (cost.costUsd !== undefined) assistant.costUsd = cost.costUsd;
    if (cost.savedUsd !== undefined) assistant.savedUsd = cost.savedUsd;
  } catch (e) {
    deps.logger.error(`recording usage of ${reply.requestId} failed: ${errorMessage(e)}`);
  }
}

/** Saves now (a finished reply is always saved); a failure is logged and shown, and the reply stays on screen. */
async function persist(
  deps: Pick<ReplyFinisherDeps, 'store' | 'logger'>,
  conversation: Conversation,
  sink: Pick<ChatSink, 'notice'>,
): Promise<void> {
  try {
    await deps.store.save(conversation);
  } catch (e) {
    const why = errorMessage(e);
    deps.logger.error(`saving conversation ${conversation.id} failed: ${why}`);
    sink.notice(l10n.t('Tally could not save this conversation: {0}', why));
  }
}
