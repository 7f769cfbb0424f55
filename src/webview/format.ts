// The panel's display texts: a reply's usage and cost line and the composer's estimate line. Numbers are formatted
// by src/shared/format.ts, as everywhere in Tally; a reply's or a request's cost with two significant digits below a
// dollar ("$0.0031"), where the status bar's totals show cents.
import type { ChatMessage, ReplyRoute, Usage } from '../shared/conversation';
import { formatReplyUsd, formatTokens, PRICE_UNKNOWN } from '../shared/format';
import type { DraftEstimate } from '../shared/protocol';

export { formatTokens };

/** "123 in · 456 out tokens" (+ "estimated" when Tally counted them itself). */
export function formatUsage(u: Usage): string {
  const cached = u.cachedPromptTokens ? ` (${formatTokens(u.cachedPromptTokens)} cached)` : '';
  return `${formatTokens(u.promptTokens)} in${cached} · ${formatTokens(u.completionTokens)} out tokens${u.estimated ? ' (estimated)' : ''}`;
}

/** The composer's live line: "1,234 tokens · $0.0031–$0.044 · gpt-4o" (or "price unknown"). */
export function formatEstimate(e: DraftEstimate): string {
  const cost =
    e.minUsd !== undefined && e.maxUsd !== undefined
      ? `${formatReplyUsd(e.minUsd)}–${formatReplyUsd(e.maxUsd)}`
      : PRICE_UNKNOWN;
  const dropped = e.droppedCount
    ? ` · ${formatTokens(e.droppedCount)} older message${e.droppedCount === 1 ? '' : 's'} left out`
    : '';
  return `${formatTokens(e.promptTokens)} tokens · ${cost} · ${e.model}${dropped}`;
}

/** The line under a reply: tokens, cost (or "price unknown"), and for a cached reply what it saved. */
export function formatReplyCost(m: Pick<ChatMessage, 'usage' | 'costUsd' | 'savedUsd' | 'cached'>): string {
  if (!m.usage) return '';
  const parts = [formatUsage(m.usage)];
  if (m.cached)
    parts.push(`cached · saved ${m.savedUsd !== undefined ? formatReplyUsd(m.savedUsd) : `(${PRICE_UNKNOWN})`}`);
  else parts.push(formatReplyUsd(m.costUsd));
  return parts.join(' · ');
}

/** A routed reply's saving against its alternative: "saves ≈ $0.005 against gpt-4o", "costs ≈ $0.001 more than
 *  gpt-5", or "price unknown against gpt-4o". */
export function savingText(alternative: NonNullable<ReplyRoute['alternative']>): string {
  const { model, savingUsd } = alternative;
  if (savingUsd === undefined) return `${PRICE_UNKNOWN} against ${model}`;
  return savingUsd >= 0
    ? `saves ≈ ${formatReplyUsd(savingUsd)} against ${model}`
    : `costs ≈ ${formatReplyUsd(-savingUsd)} more than ${model}`;
}
