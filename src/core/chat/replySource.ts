// Where a reply's text comes from: the cached reply when the cache had one, otherwise a stream from the API (with its
// retries and time limits). Each piece of text, as it arrives, is appended to the reply, shown, reported to the live
// usage count and scheduled for saving. Returns how the text ended; what that means for the reply is the finisher's.
import type { ChatMessage } from '../../shared/conversation';
import type { ChatRequest } from '../api/chatClient';
import type { Endpoint } from '../api/endpoint';
import { streamReply, type AttemptRecord, type ReplyStreamDeps, type StreamOutcome } from '../api/replyStream';
import type { CacheHit } from '../cache/responseCache';
import type { Conversation } from '../conversations/codec';
import type { ChatServiceDeps, ChatSettings, ChatSink } from './chatInterfaces';

export type ReplySourceDeps = Pick<
  ChatServiceDeps,
  'client' | 'clock' | 'logger' | 'random' | 'onAttempt' | 'accountant' | 'store'
>;

export interface ReplyToProduce {
  requestId: string;
  endpoint: Endpoint;
  request: ChatRequest;
  settings: ChatSettings;
  conversation: Conversation;
  /** The reply on screen; its content grows as text arrives. */
  assistant: ChatMessage;
  /** The cached reply to serve instead of asking the API. */
  hit: CacheHit | undefined;
  signal: AbortSignal;
  sink: ChatSink;
  /** The response headers of each API attempt (rate limits are read from them). */
  onHeaders(headers: Record<string, string>): void;
}

export interface ProducedReply {
  outcome: StreamOutcome;
  /** The API's id of the request, when an attempt reported one. */
  apiRequestId: string | undefined;
  /** When the reply began (clock time), for the time it took. */
  startedAt: number;
  /** When its text ended (clock time). */
  endedAt: number;
  /** Every API attempt, in order (none for a cache hit), for request metrics. */
  attempts: AttemptRecord[];
}

/** The retry loop's services and limits from the chat's settings: one mapping for the panel's replies and VS Code's
 *  Chat (core/lm/lmRequest.ts), so a new limit reaches both. */
export function replyStreamDeps(
  deps: Pick<ChatServiceDeps, 'client' | 'clock' | 'logger' | 'random'>,
  settings: ChatSettings,
): ReplyStreamDeps {
  return {
    client: deps.client,
    clock: deps.clock,
    logger: deps.logger,
    policy: settings.retryPolicy,
    timeouts: settings.timeouts,
    maxReplyChars: settings.maxReplyChars,
    ...(deps.random ? { random: deps.random } : {}),
  };
}

/** Fills `assistant` from the cache or the API and says how it ended. */
export async function produceReply(deps: ReplySourceDeps, reply: ReplyToProduce): Promise<ProducedReply> {
  const { logger, clock } = deps;
  const { requestId, request, settings, conversation, assistant, hit, sink } = reply;
  const startedAt = clock.now();
  logger.info(`chat ${requestId}: model=${request.model} messages=${request.messages.length}`);
  const delta = (text: string) => {
    assistant.content += text;
    sink.delta(text);
    deps.accountant?.progress(requestId, assistant.content.length);
    deps.store.scheduleSave(conversation);
  };
  let apiRequestId: string | undefined;
  const attempts: AttemptRecord[] = [];
  const outcome: StreamOutcome = hit
    ? (delta(hit.entry.reply),
      {
        kind: 'complete',
        ...(hit.entry.usage ? { usage: hit.entry.usage } : {}),
        finishReason: hit.entry.finishReason ?? null,
      })
    : await streamReply(
        {
          ...replyStreamDeps(deps, settings),
          onAttempt: (r) => {
            apiRequestId = r.apiRequestId ?? apiRequestId;
            attempts.push(r);
            deps.onAttempt?.(r);
          },
          onHeaders: reply.onHeaders,
        },
        requestId,
        reply.endpoint,
        request,
        reply.signal,
        { delta, retrying: (notice) => sink.retrying(notice) },
      );
  if (hit) logger.info(`chat ${requestId}: served from the cache (stored ${Math.round(hit.ageMs / 1000)} s ago)`);
  return { outcome, apiRequestId, startedAt, endedAt: clock.now(), attempts };
}
