// Small display formatters shared by the panel's views (pure, unit-tested).
import type { Usage } from '../shared/conversation';

const int = new Intl.NumberFormat('en-US');

export function formatTokens(n: number): string {
  return int.format(n);
}

/** "123 in · 456 out tokens" (+ "estimated" when Tally counted them itself). */
export function formatUsage(u: Usage): string {
  const cached = u.cachedPromptTokens ? ` (${formatTokens(u.cachedPromptTokens)} cached)` : '';
  return `${formatTokens(u.promptTokens)} in${cached} · ${formatTokens(u.completionTokens)} out tokens${u.estimated ? ' (estimated)' : ''}`;
}
