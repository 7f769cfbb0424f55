// Where the message list was scrolled to, put back when the panel is opened again (VS Code disposes a hidden view and
// the panel's saved state, uiStateSaver.ts, brings the position back). A position is a message and where its top was:
// once the conversation is shown (and, if the message is older than what the host sent, once its page has come), the
// list opens the page around that message (messageWindow.ts `around`) and puts its top back at that offset, and holds
// it there while the messages around it are laid out (messages off screen are skipped at a guessed height until first
// laid out near the screen, so where it is moves as they are), for up to HOLD_MS or until the user scrolls.
import type { ChatMessage } from '../../shared/conversation';
import { restoreTarget } from '../restoreTarget';
import type { ScrollAnchor } from '../uiStateSaver';

/** How long a position put back is held while what is around it is laid out, unless the user scrolls first (ms). */
const HOLD_MS = 1500;

export class ScrollRestore {
  /** The saved position, until the first conversation is shown. */
  private saved: ScrollAnchor | undefined;
  /** The paint that shows its message puts it back (settle). */
  private due: ScrollAnchor | undefined;
  private held: { anchor: ScrollAnchor; until: number } | undefined;

  /** `list` scrolls; `messageEl` finds a message's element in it. */
  constructor(
    private readonly list: HTMLElement,
    private readonly messageEl: (id: string) => HTMLElement | undefined,
  ) {
    // The user scrolling takes over from a position being put back, or waiting for its page.
    for (const type of ['wheel', 'pointerdown', 'keydown', 'touchstart'])
      list.addEventListener(
        type,
        () => {
          this.held = undefined;
          this.saved = undefined;
        },
        { passive: true },
      );
  }

  /** The panel was opened again: the list goes back to `anchor` when the conversation it was in is shown. */
  restore(anchor: ScrollAnchor): void {
    this.saved = anchor;
  }

  /** At the paint of the first conversation shown: the index in `messages` of the message to put back, whose page
   *  the list then shows; 'older' while it waits for older messages (restoreTarget.ts); or undefined (also when no
   *  position waits). */
  take(
    messages: readonly ChatMessage[],
    busy: boolean,
    conversationId: string,
    moreOlder: boolean,
  ): number | 'older' | undefined {
    const anchor = this.saved;
    if (!anchor) return undefined;
    const target = restoreTarget(anchor, messages, busy, conversationId, moreOlder);
    if (target === 'older') return target;
    this.saved = undefined;
    if (target === 'drop') return undefined;
    this.due = anchor;
    return target;
  }

  /** After the paint that shows it: puts the message back at its offset. Whether it did (then the list does not
   *  follow its end). */
  settle(): boolean {
    const anchor = this.due;
    this.due = undefined;
    if (!anchor || !this.messageEl(anchor.id)) return false;
    this.held = { anchor, until: performance.now() + HOLD_MS };
    this.hold();
    return true;
  }

  /** After sizes changed (ResizeObserver): while a position is held, the message back at its offset. Whether one
   *  is. */
  hold(): boolean {
    const h = this.held;
    const el = h && this.messageEl(h.anchor.id);
    if (!h || !el || performance.now() > h.until) {
      this.held = undefined;
      return false;
    }
    const top = el.getBoundingClientRect().top - this.list.getBoundingClientRect().top;
    if (Math.abs(top - h.anchor.offset) >= 1) this.list.scrollTop += top - h.anchor.offset;
    return true;
  }
}
