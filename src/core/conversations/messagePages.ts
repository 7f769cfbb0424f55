// What the panel is sent of a conversation: the newest messages when it is opened, then older ones a page at a time as
// its list scrolls back to them (`conversation/more` → `conversation/older`, src/shared/protocol.ts). A long
// conversation is not posted whole: posting and deserialising 2,000 messages (~1.7 MB) cost the panel's first paint
// more than painting it. Pure functions, no I/O, unit-tested in plain Node.
import type { ChatMessage } from '../../shared/conversation';

/** Messages sent when a conversation is opened: two of the panel's pages (src/webview/messageWindow.ts PAGE), so
 *  scrolling back one page needs nothing from the host, and the next is asked for while that one is read. */
export const OPENING_MESSAGES = 160;
/** Messages sent per ask for older ones: the most the panel's window holds (MAX_PAGES × PAGE). */
export const OLDER_MESSAGES = 240;
/** Characters of content a page stops at (with at least one message): 160 replies of 20,000 tokens would otherwise
 *  be a 13 MB post. About 25 ms of posting and deserialising. */
export const PAGE_CHARS = 1_000_000;

export interface MessagePage {
  /** In conversation order, as the panel shows them (without what only the host uses). */
  messages: ChatMessage[];
  /** Messages of the conversation before the first of these, not sent yet. */
  olderCount: number;
}

/** A message as the panel gets it: a copy, without the token counts cached for the host's context planning. */
export function forPanel(m: ChatMessage): ChatMessage {
  const { tokenCounts: _, ...rest } = m;
  return rest;
}

/** Where a page that ends before index `end` starts: up to `count` messages back, fewer once they hold `maxChars`
 *  characters of content (never fewer than one). */
function pageStart(messages: readonly ChatMessage[], end: number, count: number, maxChars: number): number {
  let start = end;
  let chars = 0;
  while (start > 0 && end - start < count) {
    chars += messages[start - 1].content.length;
    if (chars > maxChars && start < end) break;
    start--;
  }
  return start;
}

/** The newest `count` messages of `messages` (fewer if they hold more than `maxChars` characters). */
export function newestPage(
  messages: readonly ChatMessage[],
  count = OPENING_MESSAGES,
  maxChars = PAGE_CHARS,
): MessagePage {
  const start = pageStart(messages, messages.length, count, maxChars);
  return { messages: messages.slice(start).map(forPanel), olderCount: start };
}

/** Up to `count` messages just before the message `beforeId` (fewer if they hold more than `maxChars` characters);
 *  undefined when no message has that id (the conversation changed since the panel was sent it). Searches from the
 *  end, where the panel's pages are. */
export function pageBefore(
  messages: readonly ChatMessage[],
  beforeId: string,
  count = OLDER_MESSAGES,
  maxChars = PAGE_CHARS,
): MessagePage | undefined {
  let end = messages.length - 1;
  while (end >= 0 && messages[end].id !== beforeId) end--;
  if (end < 0) return undefined;
  const start = pageStart(messages, end, count, maxChars);
  return { messages: messages.slice(start, end).map(forPanel), olderCount: start };
}
