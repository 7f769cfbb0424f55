// Rate-limit headroom from OpenAI's x-ratelimit-* response headers, so Tally can say before sending that a request
// will not fit in what remains of the current window (instead of learning it from a 429).
import * as l10n from '@vscode/l10n';
import { formatTokens } from '../../shared/format';

export interface RateLimitSnapshot {
  remainingRequests?: number;
  remainingTokens?: number;
  limitTokens?: number;
  /** Epoch ms when the request / token windows reset. */
  requestsResetAt?: number;
  tokensResetAt?: number;
}

/** "6m0s", "1.5s", "20ms", "1h2m3s" -> milliseconds. */
export function parseResetDuration(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    matched += m[0];
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (matched !== raw.trim()) {
    const seconds = Number(raw);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  return total;
}

function int(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads the headers of a response; undefined when the server sends none of them (most non-OpenAI servers). */
export function readRateLimits(headers: Record<string, string>, now: number): RateLimitSnapshot | undefined {
  const snap: RateLimitSnapshot = {};
  const set = <K extends keyof RateLimitSnapshot>(k: K, v: number | undefined) => {
    if (v !== undefined) snap[k] = v;
  };
  set('remainingRequests', int(headers['x-ratelimit-remaining-requests']));
  set('remainingTokens', int(headers['x-ratelimit-remaining-tokens']));
  set('limitTokens', int(headers['x-ratelimit-limit-tokens']));
  const rr = parseResetDuration(headers['x-ratelimit-reset-requests']);
  const rt = parseResetDuration(headers['x-ratelimit-reset-tokens']);
  set('requestsResetAt', rr === undefined ? undefined : now + rr);
  set('tokensResetAt', rt === undefined ? undefined : now + rt);
  return Object.keys(snap).length ? snap : undefined;
}

/**
 * A warning when the next request (estimated tokens) exceeds what remains before the window resets; undefined when
 * it fits, when nothing is known, or when the window has already reset.
 */
export function headroomWarning(
  snap: RateLimitSnapshot | undefined,
  estimatedTokens: number,
  now: number,
): string | undefined {
  if (!snap) return undefined;
  const seconds = (at: number) => Math.max(1, Math.ceil((at - now) / 1000));
  if (snap.remainingRequests === 0 && (snap.requestsResetAt === undefined || snap.requestsResetAt > now)) {
    return snap.requestsResetAt === undefined
      ? l10n.t('No requests remain in this rate-limit window; the request will wait for it to reset.')
      : l10n.t(
          'No requests remain in this rate-limit window for about {0} s; the request will wait for it to reset.',
          seconds(snap.requestsResetAt),
        );
  }
  if (
    snap.remainingTokens !== undefined &&
    estimatedTokens > snap.remainingTokens &&
    (snap.tokensResetAt === undefined || snap.tokensResetAt > now)
  ) {
    const need = formatTokens(estimatedTokens);
    const left = formatTokens(snap.remainingTokens);
    return snap.tokensResetAt === undefined
      ? l10n.t(
          'This request needs about {0} tokens but only {1} remain in the rate-limit window; it may be rate limited and wait.',
          need,
          left,
        )
      : l10n.t(
          'This request needs about {0} tokens but only {1} remain in the rate-limit window for about {2} s; it may be rate limited and wait.',
          need,
          left,
          seconds(snap.tokensResetAt),
        );
  }
  return undefined;
}
