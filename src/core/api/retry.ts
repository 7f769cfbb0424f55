// The retry policy: which failures are retried, how long to wait, and when to give up. One loop for the whole
// request (the SDK's own retries are off), waits through an injectable, abortable Clock.
//
// Why not cockatiel's RetryPolicy (we checked its source, dist/RetryPolicy.js): its wait between attempts is a bare
// setTimeout that ignores the AbortSignal, so Stop during a 60 s Retry-After wait would not take effect until the
// wait ran out; the timer cannot be injected, so tests would have to sleep for real; and its backoff cannot take the
// server's Retry-After as the wait. What remains of it here would be one formula, so Tally owns this small loop.
import * as l10n from '@vscode/l10n';
import type { ErrorKind } from '../../shared/errors';
import { formatTimeOfDay } from '../../shared/format';
import { TallyError, type Classified } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt (the seed's 3). */
  maxRetries: number;
  /** First backoff wait; each retry doubles it, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest server-requested wait (Retry-After) Tally will sit through; beyond it the request fails at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
};

/**
 * Wait before retry number `retry` (1-based): the server's Retry-After when it sent one, else exponential backoff
 * with "equal jitter" — half the exponential step fixed, half random — so waits grow but clients spread out.
 */
export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.ceil(retryAfterMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; error?: TallyError };

/** Decides what to do after attempt number `attempt` (1-based) failed with `failure`. */
export function decideRetry(
  policy: RetryPolicy,
  attempt: number,
  failure: Classified,
  now: number,
  random: () => number,
): RetryDecision {
  if (!failure.retryable || attempt > policy.maxRetries) return { retry: false };
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
    const kind: ErrorKind = failure.view.kind;
    return {
      retry: false,
      error: new TallyError(
        kind,
        l10n.t(
          '{0} — the server asks to wait {1} s, longer than the {2} s Tally waits. Try again after {3}.',
          failure.view.message.replace(/[.。]$/, ''),
          Math.ceil(failure.retryAfterMs / 1000),
          Math.round(policy.maxRetryAfterMs / 1000),
          formatTimeOfDay(now + failure.retryAfterMs),
        ),
        false,
        failure.view.detail,
      ),
    };
  }
  return { retry: true, delayMs: backoffDelay(policy, attempt, failure.retryAfterMs, random) };
}

/** Short human label for what is being waited out, for the panel's notice. */
export function retryReason(kind: ErrorKind): string {
  switch (kind) {
    case 'rateLimited':
      return l10n.t('Rate limited');
    case 'server':
      return l10n.t('Server error');
    case 'network':
      return l10n.t('Connection failed');
    case 'timeout':
      return l10n.t('Timed out');
    default:
      return l10n.t('Request failed');
  }
}
