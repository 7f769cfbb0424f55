// What the panel says to a screen reader, and when (issue #15). The message list is not a live region: a streaming
// reply would be read out token by token. Instead the panel's one polite live region (render/liveRegion.ts) is told,
// once each: a reply that finished (its first ~400 characters as plain text, with tokens and cost), stopped, or
// failed (the error's text); that a wait before retrying started (not every second of its countdown); a notice about
// the request (rate-limit headroom, budget). Pure: it watches successive PanelStates and calls `speak`, so the policy
// is unit-tested in plain Node. Each observation looks at a few fields and the last message only: O(1) per state.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../shared/conversation';
import { formatReplyCost, retryText } from './format';
import type { PanelState } from './state';

/** A finished reply is read up to this many characters. */
export const ANNOUNCED_REPLY_CHARS = 400;

/** Markdown source as text to listen to: no fences, emphasis, heading or quote marks; links as their text. Reads at
 *  most a bounded slice of the reply, however long it is. */
export function plainReplyText(markdown: string, max = ANNOUNCED_REPLY_CHARS): string {
  const slice = markdown.slice(0, max * 3);
  const text = slice
    .replace(/^ {0,3}(```|~~~).*$/gm, '')
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/^ {0,3}(#{1,6}|>+|[-*+]) +/gm, '')
    .replace(/(\*\*|__|\*|~~|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max || markdown.length > slice.length ? `${text.slice(0, max).trimEnd()}…` : text;
}

/** What is said when a reply ends: finished (from the cache or not) or stopped; nothing for an interrupted reply,
 *  whose error is said instead. */
export function replyEndedText(m: ChatMessage): string | undefined {
  if (m.status === 'stopped') return l10n.t('Reply stopped.');
  if (m.status !== 'complete') return undefined;
  const text = plainReplyText(m.content);
  const cost = formatReplyCost(m);
  if (m.cached)
    return cost ? l10n.t('Reply from the cache: {0} ({1})', text, cost) : l10n.t('Reply from the cache: {0}', text);
  return cost ? l10n.t('Reply finished: {0} ({1})', text, cost) : l10n.t('Reply finished: {0}', text);
}

export class Announcer {
  /** The reply seen streaming and not yet announced. */
  private streamingId: string | undefined;
  private error: PanelState['error'];
  private notice: PanelState['notice'];
  private retryKey: string | undefined;
  /** Announcements made (for tests and the UI tests' counters). */
  count = 0;

  constructor(private readonly speak: (text: string) => void) {}

  /** Call with every new state (after each reduced host message, stream pieces included); `now` for the countdown. */
  observe(state: PanelState, now: number): void {
    const texts: string[] = [];
    const last = state.messages[state.messages.length - 1];
    if (last?.role === 'assistant' && last.status === 'streaming') this.streamingId = last.id;
    else if (this.streamingId !== undefined) {
      // The reply seen streaming has ended, or is gone (it failed before its first word, another conversation opened).
      const ended = last?.id === this.streamingId ? replyEndedText(last) : undefined;
      if (ended) texts.push(ended);
      this.streamingId = undefined;
    }
    if (state.error !== this.error) {
      this.error = state.error;
      if (state.error) texts.push(state.error.error.message);
    }
    if (state.notice !== this.notice) {
      this.notice = state.notice;
      if (state.notice) texts.push(state.notice.text);
    }
    // A wait is said once, when it starts: its key is the request and the attempt, not the seconds left.
    const retryKey = state.retry ? `${state.retry.requestId}#${state.retry.notice.attempt}` : undefined;
    if (retryKey !== this.retryKey) {
      this.retryKey = retryKey;
      if (state.retry) texts.push(retryText(state.retry.notice, now));
    }
    if (texts.length) this.say(texts.join(' '));
  }

  /** Says `text` now (a one-off, such as "Code copied."). */
  say(text: string): void {
    this.count++;
    this.speak(text);
  }
}
