// Time limits on a streamed attempt: one until the first event arrives (the response headers), one between events
// (a stalled stream). When a limit passes, the attempt is aborted — the HTTP request is closed — and a timeout
// TallyError is thrown, which the retry policy treats like any other failure.
import * as l10n from '@vscode/l10n';
import { TallyError } from './errors';

export interface StreamTimeouts {
  /** Limit until the server answers (status and headers). */
  firstByteMs: number;
  /** Limit between two stream events once the answer has started. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: StreamTimeouts = { firstByteMs: 60_000, idleMs: 90_000 };

/**
 * Iterates `open(signal)` under `limits`. The attempt's signal follows `outer` (Stop) and the watchdog. The SDK ends
 * its stream quietly when aborted, so a fired limit is checked after the stream ends as well as when it throws.
 */
export async function* watchStream<T>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  outer: AbortSignal,
  limits: StreamTimeouts,
): AsyncGenerator<T> {
  const attempt = new AbortController();
  const onOuter = () => attempt.abort();
  if (outer.aborted) attempt.abort();
  outer.addEventListener('abort', onOuter, { once: true });
  let fired: 'firstByte' | 'idle' | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number, which: 'firstByte' | 'idle') => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      fired = which;
      attempt.abort();
    }, ms);
  };
  const timeout = () =>
    fired === 'firstByte'
      ? new TallyError(
          'timeout',
          l10n.t('The API did not answer within {0} s.', Math.round(limits.firstByteMs / 1000)),
          true,
        )
      : new TallyError(
          'timeout',
          l10n.t('The reply stalled: nothing arrived for {0} s.', Math.round(limits.idleMs / 1000)),
          true,
        );
  arm(limits.firstByteMs, 'firstByte');
  try {
    const iterator = open(attempt.signal)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (e) {
        if (fired && !outer.aborted) throw timeout();
        throw e;
      }
      if (fired && !outer.aborted) throw timeout();
      if (next.done) return;
      arm(limits.idleMs, 'idle');
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onOuter);
    attempt.abort();
  }
}
