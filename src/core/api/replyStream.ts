// One reply, from the first attempt to the last: stream through the ChatClient under time limits, retry what can
// succeed (only before the first token: after that the partial reply is kept and the user decides), wait as the
// policy says, and record every attempt. Never swallows an error: the outcome says how it ended and why.
// Every delta passes here, so this is where a reply's size is bounded: past the limit the stream is closed and the
// reply ends as a failure after tokens (kept, not retried), like a connection dropped mid-reply.
import * as l10n from '@vscode/l10n';
import type { Usage } from '../../shared/conversation';
import type { ErrorKind } from '../../shared/errors';
import { formatTokens } from '../../shared/format';
import type { Endpoint } from './endpoint';
import { classifyError, TallyError, type Classified } from './errors';
import type { ChatClient, ChatRequest, StreamEvent } from './chatClient';
import type { Clock, Logger } from '../ports';
import { decideRetry, retryReason, type RetryPolicy } from './retry';
import { watchStream, type StreamTimeouts } from './streamWatchdog';

/** One HTTP attempt, for metrics and the log. */
export interface AttemptRecord {
  requestId: string;
  attempt: number;
  /** Milliseconds waited before this attempt (0 for the first). */
  waitBeforeMs: number;
  startedAt: number;
  /** Until the stream ended or failed. */
  latencyMs: number;
  /** Until the first content token, when one arrived. */
  ttftMs?: number;
  /** HTTP status: 200 once the stream opened, else the error's status (none for network failures). */
  status?: number;
  errorKind?: ErrorKind;
  apiRequestId?: string;
}

/** Shown while Tally waits to try again: "Rate limited — retrying in 8 s (attempt 2 of 4)". */
export interface RetryNotice {
  reason: string;
  kind: ErrorKind;
  /** The attempt about to be made, and how many there can be in all. */
  attempt: number;
  of: number;
  delayMs: number;
  /** Epoch ms when the next attempt starts. */
  until: number;
}

/** Longest reply kept, in characters (1 MiB), unless the settings say otherwise (`tally.maxReplySizeKB` × 1024). */
export const DEFAULT_MAX_REPLY_CHARS = 1024 * 1024;

/** The error of a reply stopped at `limit` characters: says the limit and how to raise it; never retried. */
export function replyTooLargeError(limit: number): TallyError {
  const kb = Math.max(1, Math.round(limit / 1024));
  return new TallyError(
    'replyTooLarge',
    l10n.t(
      'The reply was stopped at the size limit of {0} KB; what arrived is kept. To accept longer replies, raise the setting tally.maxReplySizeKB.',
      kb,
    ),
    false,
    l10n.t('Limit: {0} characters', formatTokens(limit)),
  );
}

/** The limit to apply: a positive whole number of characters, else the default. */
export function maxReplyChars(limit: number | undefined): number {
  return limit !== undefined && Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : DEFAULT_MAX_REPLY_CHARS;
}

export type StreamOutcome =
  | { kind: 'complete'; usage?: Usage; finishReason?: string | null }
  | { kind: 'stopped' }
  | { kind: 'failed'; failure: Classified; afterTokens: boolean };

export interface ReplyStreamDeps {
  client: ChatClient;
  clock: Clock;
  logger: Logger;
  policy: RetryPolicy;
  timeouts: StreamTimeouts;
  random?: () => number;
  onAttempt?(record: AttemptRecord): void;
  /** Response headers of each opened stream (rate-limit headroom is read from them). */
  onHeaders?(headers: Record<string, string>): void;
  /** Most characters a reply may have; default DEFAULT_MAX_REPLY_CHARS. */
  maxReplyChars?: number;
}

export interface ReplyHandlers {
  delta(text: string): void;
  retrying(notice: RetryNotice): void;
  /** A fragment of a tool call (requests with tools); like text, it ends retrying: the reply has begun. */
  toolCall?(fragment: Extract<StreamEvent, { type: 'toolCall' }>): void;
}

export async function streamReply(
  deps: ReplyStreamDeps,
  requestId: string,
  endpoint: Endpoint,
  request: ChatRequest,
  signal: AbortSignal,
  handlers: ReplyHandlers,
): Promise<StreamOutcome> {
  const { clock, logger, policy } = deps;
  const random = deps.random ?? Math.random;
  const limit = maxReplyChars(deps.maxReplyChars);
  let waitBeforeMs = 0;
  for (let attempt = 1; ; attempt++) {
    const startedAt = clock.now();
    const record: AttemptRecord = { requestId, attempt, waitBeforeMs, startedAt, latencyMs: 0 };
    let gotTokens = false;
    let usage: Usage | undefined;
    let finishReason: string | null | undefined;
    let received = 0;
    try {
      for await (const event of watchStream((s) => deps.client.stream(endpoint, request, s), signal, deps.timeouts)) {
        if (event.type === 'response') {
          record.status = 200;
          if (event.requestId) record.apiRequestId = event.requestId;
          deps.onHeaders?.(event.headers);
        } else if (event.type === 'delta') {
          const text = event.text.length > limit - received ? fitting(event.text, limit - received) : event.text;
          if (text) {
            if (!gotTokens) {
              gotTokens = true;
              record.ttftMs = clock.now() - startedAt;
            }
            received += text.length;
            handlers.delta(text);
          }
          if (text.length < event.text.length) throw replyTooLargeError(limit); // ends the attempt: the request closes
        } else if (event.type === 'toolCall') {
          if (!gotTokens) {
            gotTokens = true;
            record.ttftMs = clock.now() - startedAt;
          }
          handlers.toolCall?.(event);
        } else if (event.type === 'usage') usage = event.usage;
        else finishReason = event.reason;
      }
      if (signal.aborted) return settle(record, { kind: 'stopped' });
      return settle(record, { kind: 'complete', ...(usage ? { usage } : {}), finishReason });
    } catch (err) {
      if (signal.aborted) return settle(record, { kind: 'stopped' });
      const failure = classifyError(err, clock.now());
      if (failure.view.kind === 'cancelled') return settle(record, { kind: 'stopped' });
      record.errorKind = failure.view.kind;
      if (failure.status !== undefined) record.status = failure.status;
      const decision = gotTokens
        ? { retry: false as const }
        : decideRetry(policy, attempt, failure, clock.now(), random);
      if (!decision.retry) {
        const final = decision.error ? classifyError(decision.error) : failure;
        if (decision.error)
          final.view = { ...final.view, ...(failure.view.requestId ? { requestId: failure.view.requestId } : {}) };
        return settle(record, { kind: 'failed', failure: final, afterTokens: gotTokens });
      }
      settle(record);
      logger.info(
        `chat ${requestId}: attempt ${attempt}/${policy.maxRetries + 1} failed (${failure.view.kind}${failure.status ? ` ${failure.status}` : ''}); retrying in ${decision.delayMs} ms`,
      );
      handlers.retrying({
        reason: retryReason(failure.view.kind),
        kind: failure.view.kind,
        attempt: attempt + 1,
        of: policy.maxRetries + 1,
        delayMs: decision.delayMs,
        until: clock.now() + decision.delayMs,
      });
      try {
        await clock.sleep(decision.delayMs, signal);
      } catch {
        return { kind: 'stopped' };
      }
      waitBeforeMs = decision.delayMs;
    }
  }

  /** Completes an attempt's record (latency), reports and logs it, and passes the outcome through. */
  function settle<O extends StreamOutcome | undefined>(record: AttemptRecord, outcome?: O): O {
    record.latencyMs = clock.now() - record.startedAt;
    if (outcome?.kind === 'stopped') record.errorKind = 'cancelled';
    deps.onAttempt?.(record);
    logger.info(
      `chat ${record.requestId}: attempt ${record.attempt} ${record.errorKind ?? 'ok'} status=${record.status ?? '-'} ` +
        `latency=${record.latencyMs}ms ttft=${record.ttftMs ?? '-'}ms wait=${record.waitBeforeMs}ms${record.apiRequestId ? ` api-request=${record.apiRequestId}` : ''}`,
    );
    return outcome as O;
  }
}

/** The first `room` characters of `text`, never ending in half a surrogate pair. */
function fitting(text: string, room: number): string {
  const cut = text.slice(0, Math.max(0, room));
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
