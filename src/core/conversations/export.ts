// Export (and copy) of a conversation: as JSON (the stored shape, pretty) or as Markdown. Pure functions.
import type { ChatMessage, ReplyStatus, Usage } from '../../shared/conversation';
import { formatReplyUsd, formatTokens } from '../../shared/format';
import { DEFAULT_TITLE, toStored, type Conversation } from './codec';
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
  const cached = u.cachedPromptTokens ? ` (${formatTokens(u.cachedPromptTokens)} cached)` : '';
  const tokens =
    `_Tokens: ${formatTokens(u.promptTokens)} prompt${cached} + ${formatTokens(u.completionTokens)} completion` +
    ` = ${formatTokens(u.totalTokens)}${u.estimated ? ' (estimated)' : ''}_`;
  if (m.cached)
    return `${tokens} · _answered from cache${m.savedUsd !== undefined ? `, saved ${formatReplyUsd(m.savedUsd)}` : ''}_`;
  return m.costUsd !== undefined ? `${tokens} · _${formatReplyUsd(m.costUsd)}_` : tokens;
}

const STATUS_NOTE: Partial<Record<ReplyStatus, string>> = {
  stopped: '_Stopped: the reply is incomplete._',
  interrupted: '_Interrupted by an error: the reply is incomplete._',
  streaming: '_Still arriving when exported: the reply is incomplete._',
};

/** Export (and copy) as Markdown: title heading, a bold role line per message, content verbatim. */
export function toMarkdown(c: Conversation): string {
  const out = [`# ${c.title.replace(/\s+/g, ' ').trim() || DEFAULT_TITLE}`, ''];
  for (const m of c.messages) {
    const role =
      m.role === 'user' ? 'You' : m.role === 'system' ? 'System' : m.model ? `Assistant (${m.model})` : 'Assistant';
    out.push(`**${role}**`, '', m.content ? closeFences(m.content) : '_(empty)_', '');
    const note = m.status && STATUS_NOTE[m.status];
    if (note) out.push(note, '');
    if (m.role === 'assistant' && m.usage) out.push(usageLine(m, m.usage), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
