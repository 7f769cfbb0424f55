// Which slice of a long conversation the panel keeps in the DOM: a window of at most MAX_PAGES pages of messages,
// counted from the end (so a reply streaming at the bottom, new messages and older ones the host sends later keep it
// where it is), and when to ask the host for older messages. Pure arithmetic, unit-tested in plain Node;
// `render/messageList.ts` applies it to the DOM.

/** Messages added or dropped at a time, and shown when a conversation opens. */
export const PAGE = 80;
/** At most this many pages are rendered: older pages push the newest out, and back. */
export const MAX_PAGES = 3;
const MAX = PAGE * MAX_PAGES;

export interface MessageWindow {
  /** Messages below the window (0: the window ends at the newest message). */
  readonly below: number;
  /** Messages in the window. */
  readonly size: number;
}

/** The newest page: where every conversation opens and every send returns. */
export const TAIL: MessageWindow = { below: 0, size: PAGE };

/** The window over `total` messages as [start, end) indexes; if messages were removed below it, it shows the
 *  oldest `size` rather than nothing. */
export function windowRange(w: MessageWindow, total: number): { start: number; end: number } {
  const end = Math.max(total - w.below, Math.min(w.size, total));
  return { start: Math.max(0, end - w.size), end };
}

/** A page with message `index` of `total` in it, half a page from its end where there is room (where the list is put
 *  back to when the panel is opened again: render/scrollRestore.ts). */
export function around(index: number, total: number): MessageWindow {
  const end = Math.min(total, Math.max(PAGE, index + 1 + PAGE / 2));
  return { below: total - end, size: PAGE };
}

/** One page further back; the newest pages beyond MAX_PAGES drop out below. */
export function older(w: MessageWindow, total: number): MessageWindow {
  const { start, end } = windowRange(w, total);
  const added = Math.min(PAGE, start);
  if (added === 0) return w;
  const size = end - start + added;
  const drop = Math.max(0, size - MAX);
  return { below: total - end + drop, size: size - drop };
}

/** One page nearer the newest; the oldest pages beyond MAX_PAGES drop out above. */
export function newer(w: MessageWindow, total: number): MessageWindow {
  const { start, end } = windowRange(w, total);
  const added = Math.min(PAGE, total - end);
  if (added === 0) return w;
  return { below: total - end - added, size: Math.min(MAX, end - start + added) };
}

/** Whether to ask the host for older messages (`olderCount` of them are not loaded): the window is within a page of
 *  the first of the `loaded` ones, so they are asked for while that page is read. */
export function wantsOlder(w: MessageWindow, loaded: number, olderCount: number): boolean {
  return olderCount > 0 && windowRange(w, loaded).start < PAGE;
}
