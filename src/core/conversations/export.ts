// Export (and copy) of a conversation: as JSON (the stored shape, pretty) or as Markdown. Pure functions. What Tally
// writes around the messages in Markdown (role lines, notes, token lines) is in the display language; the messages
// themselves are exported verbatim, and the JSON is data (never translated).
import * as l10n from '@vscode/l10n';
import type { ChatMessage, ReplyStatus, Usage } from '../../shared/conversation';
import { formatReplyUsd, formatTokens } from '../../shared/format';
import { defaultTitle, toStored, type Conversation } from './codec';
import { closesFence, fenceOf } from './markdownFences';

/** Export as JSON: the stored shape, pretty. */
export const toJson = (c: Conversation): string => `${JSON.stringify(toStored(c), null, 2)}\n`;

/** Content with a fence closed if it was left open (a reply stopped inside a code block), so export stays readable. */
function closeFences(content: string): string {
  let open = '';
  for (const line of content.split('\n')) {
    const f = fenceOf(line);
    if (!f) continue;
    if (!open) open = f;
    else if (closesFence(open, line)) open = '';
  }
  return open ? `${content}\n${open}` : content;
}

/** `_Tokens: 1,200 prompt (800 cached) + 30 completion = 1,230_ · _$0.0031_`: counts in full, then the cost as the
 *  panel shows a reply's (src/shared/format.ts) in its own emphasis; no cost part when the price was not recorded. */
function usageLine(m: Pick<ChatMessage, 'costUsd' | 'savedUsd' | 'cached'>, u: Usage): string {
  const [prompt, completion, total] = [u.promptTokens, u.completionTokens, u.totalTokens].map(formatTokens);
  const counts = u.cachedPromptTokens
    ? l10n.t(
        'Tokens: {0} prompt ({1} cached) + {2} completion = {3}',
        prompt,
        formatTokens(u.cachedPromptTokens),
        completion,
        total,
      )
    : l10n.t('Tokens: {0} prompt + {1} completion = {2}', prompt, completion, total);
  const tokens = `_${u.estimated ? l10n.t('{0} (estimated)', counts) : counts}_`;
  if (m.cached) {
    const cache =
      m.savedUsd !== undefined
        ? l10n.t('answered from cache, saved {0}', formatReplyUsd(m.savedUsd))
        : l10n.t('answered from cache');
    return `${tokens} · _${cache}_`;
  }
  return m.costUsd !== undefined ? `${tokens} · _${formatReplyUsd(m.costUsd)}_` : tokens;
}

/** The note under a reply that did not complete, or undefined. */
function statusNote(status: ReplyStatus | undefined): string | undefined {
  switch (status) {
    case 'stopped':
      return l10n.t('Stopped: the reply is incomplete.');
    case 'interrupted':
      return l10n.t('Interrupted by an error: the reply is incomplete.');
    case 'streaming':
      return l10n.t('Still arriving when exported: the reply is incomplete.');
    default:
      return undefined;
  }
}

/** Who wrote a message, as its bold line says: "You", "Assistant (gpt-4o)". */
function roleLine(m: ChatMessage): string {
  if (m.role === 'user') return l10n.t('You');
  if (m.role === 'system') return l10n.t('System');
  return m.model ? l10n.t('Assistant ({0})', m.model) : l10n.t('Assistant');
}

/** Export (and copy) as Markdown: title heading, a bold role line per message, content verbatim. */
export function toMarkdown(c: Conversation): string {
  const out = [`# ${c.title.replace(/\s+/g, ' ').trim() || defaultTitle()}`, ''];
  for (const m of c.messages) {
    out.push(`**${roleLine(m)}**`, '', m.content ? closeFences(m.content) : `_${l10n.t('(empty)')}_`, '');
    const note = statusNote(m.status);
    if (note) out.push(`_${note}_`, '');
    if (m.role === 'assistant' && m.usage) out.push(usageLine(m, m.usage), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
