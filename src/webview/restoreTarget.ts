// Which message a saved scroll position (uiStateSaver.ts ScrollAnchor) puts the list back at, once a conversation is
// shown: pure, unit-tested in plain Node; render/scrollRestore.ts applies it.
import type { ChatMessage } from '../shared/conversation';
import type { ScrollAnchor } from './uiStateSaver';

/** The index of `anchor`'s message in `messages` (its page is shown); 'older' when it is not among them but the
 *  position was saved in conversation `conversationId`, which has older messages the host has not sent (`moreOlder`:
 *  it waits for them); 'drop' when it cannot be put back (not there, or a reply streams: that returns to the end). */
export function restoreTarget(
  anchor: ScrollAnchor,
  messages: readonly ChatMessage[],
  busy: boolean,
  conversationId: string | undefined,
  moreOlder: boolean,
): number | 'older' | 'drop' {
  if (busy) return 'drop';
  const i = messages.findIndex((m) => m.id === anchor.id);
  if (i >= 0) return i;
  return moreOlder && anchor.conversationId !== undefined && anchor.conversationId === conversationId
    ? 'older'
    : 'drop';
}
