// From a finished request (what the chat service reports when a reply ends, with the attempts it made) to its
// metrics record: durations from the clock times, the wait after each rate limit, the output rate of the attempt
// that answered, and tokens and cost as accounted. Takes the base URL's origin only.
import type { Usage } from '../../shared/conversation';
import type { ErrorKind } from '../../shared/errors';
import type { AttemptRecord } from '../api/replyStream';
import {
  clampText,
  originOf,
  type AttemptMetric,
  type RequestMetric,
  type RequestOutcome,
  METRIC_VERSION,
} from './requestMetric';

/** What the chat service says about a request once its reply ended (see ChatServiceDeps.onRequestFinished). */
export interface FinishedRequest {
  requestId: string;
  model: string;
  /** The endpoint's base URL (never its key); only its origin is kept. */
  baseUrl: string;
  /** Clock times: the reply began, and its text ended (before accounting). */
  startedAt: number;
  endedAt: number;
  outcome: RequestOutcome;
  /** The final error (failed or interrupted). */
  errorKind?: ErrorKind;
  cacheHit: boolean;
  /** Every API attempt, in order (none for a cache hit). */
  attempts: readonly AttemptRecord[];
  /** As accounted (API-reported, or estimated). */
  usage?: Usage;
  costUsd?: number;
  savedUsd?: number;
}

const count = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : 0);
const ms = (n: number) => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

export function makeRequestMetric(f: FinishedRequest): RequestMetric {
  const attempts: AttemptMetric[] = f.attempts.slice(0, 64).map((a) => ({
    ...(a.status !== undefined ? { 'http.response.status_code': a.status } : {}),
    ...(a.errorKind !== undefined && a.errorKind !== 'cancelled' ? { 'error.type': a.errorKind } : {}),
    waitMs: ms(a.waitBeforeMs),
    durationMs: ms(a.latencyMs),
    ...(a.ttftMs !== undefined ? { ttftMs: ms(a.ttftMs) } : {}),
  }));
  let rateLimitWaitMs = 0;
  for (let i = 1; i < attempts.length; i++)
    if (attempts[i - 1]['error.type'] === 'rateLimited') rateLimitWaitMs += attempts[i].waitMs;
  const last = f.attempts[f.attempts.length - 1];
  const answered = [...f.attempts].reverse().find((a) => a.ttftMs !== undefined);
  const inputTokens = count(f.usage?.promptTokens);
  const outputTokens = count(f.usage?.completionTokens);
  const generationMs = answered && answered.ttftMs !== undefined ? answered.latencyMs - answered.ttftMs : 0;
  const r: RequestMetric = {
    v: METRIC_VERSION,
    id: clampText(f.requestId),
    time: Math.max(0, Math.round(f.startedAt)),
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': clampText(f.model),
    ...originOf(f.baseUrl),
    outcome: f.outcome,
    retries: Math.max(0, attempts.length - 1),
    waitMs: attempts.reduce((n, a) => n + a.waitMs, 0),
    rateLimitWaitMs,
    durationMs: ms(f.endedAt - f.startedAt),
    'gen_ai.usage.input_tokens': inputTokens,
    'gen_ai.usage.output_tokens': outputTokens,
    'gen_ai.usage.cache_read.input_tokens': Math.min(count(f.usage?.cachedPromptTokens), inputTokens),
    usageEstimated: f.usage?.estimated === true,
    cacheHit: f.cacheHit,
    attempts,
  };
  if ((f.outcome === 'failed' || f.outcome === 'interrupted') && f.errorKind) r['error.type'] = f.errorKind;
  if (last?.status !== undefined) r['http.response.status_code'] = last.status;
  if (answered?.ttftMs !== undefined) r.ttftMs = ms(answered.startedAt + answered.ttftMs - f.startedAt);
  else if (f.cacheHit) r.ttftMs = r.durationMs;
  if (outputTokens > 0 && generationMs > 0)
    r.outputTokensPerS = Math.round((outputTokens / generationMs) * 10_000) / 10;
  if (f.costUsd !== undefined && Number.isFinite(f.costUsd) && f.costUsd >= 0) r.costUsd = f.costUsd;
  if (f.savedUsd !== undefined && Number.isFinite(f.savedUsd) && f.savedUsd >= 0) r.savedUsd = f.savedUsd;
  return r;
}
