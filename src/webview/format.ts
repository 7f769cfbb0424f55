// The panel's display texts: a reply's usage and cost line, the composer's estimate line, a routed reply's saving and
// the retry countdown, in the display language (l10n.t; numbers through src/shared/format.ts, which formats them for
// the display locale, as everywhere in Tally). A reply's or a request's cost with two significant digits below a
// dollar ("$0.0031"), where the status bar's totals show cents.
import * as l10n from '@vscode/l10n';
import type { ChatMessage, ReplyRoute, Usage } from '../shared/conversation';
import { formatReplyUsd, formatTokens, priceUnknown } from '../shared/format';
import type { DraftEstimate, RetryNoticeView } from '../shared/protocol';

export { formatTokens };

/** "123 in · 456 out tokens" (+ "(estimated)" when Tally counted them itself). */
export function formatUsage(u: Usage): string {
  const prompt = formatTokens(u.promptTokens);
  const completion = formatTokens(u.completionTokens);
  if (u.cachedPromptTokens) {
    const cached = formatTokens(u.cachedPromptTokens);
    return u.estimated
      ? l10n.t('{0} in ({1} cached) · {2} out tokens (estimated)', prompt, cached, completion)
      : l10n.t('{0} in ({1} cached) · {2} out tokens', prompt, cached, completion);
  }
  return u.estimated
    ? l10n.t('{0} in · {1} out tokens (estimated)', prompt, completion)
    : l10n.t('{0} in · {1} out tokens', prompt, completion);
}

/** The composer's live line: "1,234 tokens · $0.0031–$0.044 · gpt-4o" (or "price unknown"). */
export function formatEstimate(e: DraftEstimate): string {
  const cost =
    e.minUsd !== undefined && e.maxUsd !== undefined
      ? `${formatReplyUsd(e.minUsd)}–${formatReplyUsd(e.maxUsd)}`
      : priceUnknown();
  const line = l10n.t('{0} tokens · {1} · {2}', formatTokens(e.promptTokens), cost, e.model);
  if (!e.droppedCount) return line;
  const dropped =
    e.droppedCount === 1
      ? l10n.t('1 older message left out')
      : l10n.t('{0} older messages left out', formatTokens(e.droppedCount));
  return `${line} · ${dropped}`;
}

/** The estimate's explanation (its title and its accessible description). */
export function estimateHelp(e: DraftEstimate): string {
  const help = l10n.t(
    'Prompt tokens the API will bill for this request, and its cost from input only to input plus the full reply budget ({0} tokens).',
    formatTokens(e.maxReplyTokens),
  );
  return e.truncation ? `${help} ${e.truncation}.` : help;
}

/** The line under a reply: tokens, cost (or "price unknown"), and for a cached reply what it saved. */
export function formatReplyCost(m: Pick<ChatMessage, 'usage' | 'costUsd' | 'savedUsd' | 'cached'>): string {
  if (!m.usage) return '';
  const usage = formatUsage(m.usage);
  if (!m.cached) return `${usage} · ${formatReplyUsd(m.costUsd)}`;
  const saved =
    m.savedUsd !== undefined
      ? l10n.t('cached · saved {0}', formatReplyUsd(m.savedUsd))
      : l10n.t('cached · saved ({0})', priceUnknown());
  return `${usage} · ${saved}`;
}

/** A routed reply's saving against its alternative: "saves ≈ $0.005 against gpt-4o", "costs ≈ $0.001 more than
 *  gpt-5", or "price unknown against gpt-4o". */
export function savingText(alternative: NonNullable<ReplyRoute['alternative']>): string {
  const { model, savingUsd } = alternative;
  if (savingUsd === undefined) return l10n.t('price unknown against {0}', model);
  return savingUsd >= 0
    ? l10n.t('saves ≈ {0} against {1}', formatReplyUsd(savingUsd), model)
    : l10n.t('costs ≈ {0} more than {1}', formatReplyUsd(-savingUsd), model);
}

/** Whole seconds until the next attempt (never below zero). */
export function retrySecondsLeft(notice: RetryNoticeView, now: number): number {
  return Math.max(0, Math.ceil((notice.until - now) / 1000));
}

/** "Rate limited — retrying in 8 s (attempt 2 of 4)": the reason comes from the host, already translated. */
export function retryText(notice: RetryNoticeView, now: number): string {
  return l10n.t(
    '{0} — retrying in {1} s (attempt {2} of {3})',
    notice.reason,
    retrySecondsLeft(notice, now),
    notice.attempt,
    notice.of,
  );
}
