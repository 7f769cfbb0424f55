// Small display formatters shared by the panel's views (pure, unit-tested).
import type { ChatMessage, Usage } from '../shared/conversation';
import type { DraftEstimate } from '../shared/protocol';

const int = new Intl.NumberFormat('en-US');

export function formatTokens(n: number): string {
  return int.format(n);
}

/** "123 in · 456 out tokens" (+ "estimated" when Tally counted them itself). */
export function formatUsage(u: Usage): string {
  const cached = u.cachedPromptTokens ? ` (${formatTokens(u.cachedPromptTokens)} cached)` : '';
  return `${formatTokens(u.promptTokens)} in${cached} · ${formatTokens(u.completionTokens)} out tokens${u.estimated ? ' (estimated)' : ''}`;
}

/** "$0.0031": enough digits to tell small requests apart; "<$0.0001" for dust. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 1) return `$${usd.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}`;
  return `$${usd.toFixed(2)}`;
}

/** The composer's live line: "1,234 tokens · $0.0031–$0.044 · gpt-4o" (or "price unknown"). */
export function formatEstimate(e: DraftEstimate): string {
  const cost = e.minUsd !== undefined && e.maxUsd !== undefined ? `${formatUsd(e.minUsd)}–${formatUsd(e.maxUsd)}` : 'price unknown';
  const dropped = e.droppedCount ? ` · ${formatTokens(e.droppedCount)} older message${e.droppedCount === 1 ? '' : 's'} left out` : '';
  return `${formatTokens(e.promptTokens)} tokens · ${cost} · ${e.model}${dropped}`;
}

/** The line under a reply: tokens, cost (or "price unknown"), and for a cached reply what it saved. */
export function formatReplyCost(m: Pick<ChatMessage, 'usage' | 'costUsd' | 'savedUsd' | 'cached'>): string {
  if (!m.usage) return '';
  const parts = [formatUsage(m.usage)];
  if (m.cached) parts.push(`cached · saved ${m.savedUsd !== undefined ? formatUsd(m.savedUsd) : '(price unknown)'}`);
  else parts.push(m.costUsd !== undefined ? formatUsd(m.costUsd) : 'price unknown');
  return parts.join(' · ');
}
