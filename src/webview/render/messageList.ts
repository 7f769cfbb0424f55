// The conversation's messages as a scrolling list whose DOM stays bounded: a window of at most MAX_PAGES pages of
// MessageViews (messageWindow.ts). The host sends a long conversation's newest messages and older ones as they are
// needed: when the window comes within a page of the first message the panel has, it asks for the ones before it
// (`conversation/more`, core/conversations/messagePages.ts). Older pages load as the top of the list comes into view,
// the newest pages that fall out of the window come back as the bottom comes into view (an IntersectionObserver on the
// "Show older" and "Show newer" buttons, which stay as keyboard controls). What is on screen keeps its place when pages
// are added or dropped above it, and a list at its end stays there when a message in it changes size after the paint
// (keepEnd). Messages off screen cost no layout (`content-visibility: auto` in media/chat.css).
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../../shared/conversation';
import { PAGE, TAIL, around, newer, older, wantsOlder, windowRange, type MessageWindow } from '../messageWindow';
import type { ScrollAnchor } from '../uiStateSaver';
import { el, setData, setText } from './dom';
import { MessageView } from './messageView';
import { OlderMessages } from '../olderMessages';
import { WorkAhead } from './workAhead';
import { ScrollRestore } from './scrollRestore';

type Step = (w: MessageWindow, total: number) => MessageWindow;

/** A list whose viewport ends this close to its end (px) is at its end: it follows what is added there. */
const NEAR_END_PX = 40;

export class MessageList {
  readonly el = el('main', { id: 'messages' });
  private readonly olderButton = el('button', { id: 'show-older', type: 'button', className: 'action' });
  private readonly newerButton = el('button', { id: 'show-newer', type: 'button', className: 'action' });
  /** What an empty conversation shows. */
  private readonly emptyHint = el('p', { className: 'empty-hint' });
  private readonly views = new Map<string, MessageView>();
  /** The views with blocks cut out for the tasks ahead of a paint (prepare), and that work. */
  readonly workAhead = new WorkAhead((v) => this.views.get(v.id) === v);
  private readonly observer: IntersectionObserver;
  private readonly inView = new Set<Element>();
  private window: MessageWindow = TAIL;
  private messages: ChatMessage[] = [];
  /** Messages before `messages` the host has not sent yet, and the asks for them. */
  private readonly olderMessages: OlderMessages;
  private conversationId: string | undefined;
  private busyRequestId: string | undefined;
  private wasNearBottom = true;
  private jumpToEnd = false;
  /** The list was put at its end (settle) and the user has not scrolled away since: it stays at its end when what is
   *  in it changes size afterwards, e.g. a closed chunk of a long reply laid out when it comes near the screen (it was
   *  skipped at a guessed height: render/blockChunks.ts). `stuckHeight` is the list's height when it was last put
   *  there. */
  private stuck = false;
  private stuckHeight = 0;
  private readonly resizes = new ResizeObserver(() => {
    if (!this.restorer.hold()) this.keepEnd();
  });
  /** Where the list was when the panel was last open, put back when its conversation is shown (scrollRestore.ts). */
  private readonly restorer = new ScrollRestore(this.el, (id) => this.views.get(id)?.el);
  /** Work counters for the UI tests: views built, window moves. */
  private built = 0;
  private moves = 0;
  /** Times the list was put back at its end after a size change (keepEnd). */
  private endKept = 0;

  /** `onMoved` runs after the window moved by scrolling or a button (outside the panel's paint); `askOlder` asks the
   *  host for the messages before the message `beforeId` of the conversation on screen. */
  constructor(
    private readonly onMoved: () => void,
    askOlder: (conversationId: string, beforeId: string) => void,
  ) {
    this.olderMessages = new OlderMessages(askOlder);
    this.olderButton.addEventListener('click', () => this.move(older));
    this.newerButton.addEventListener('click', () => this.move(newer));
    this.el.append(this.emptyHint, this.olderButton, this.newerButton);
    // Not a live region (a streaming reply would be read piece by piece: the panel's announcer speaks instead), but a
    // named, focusable landmark, so the keyboard can scroll it.
    this.el.tabIndex = 0;
    this.el.setAttribute('aria-label', l10n.t('Conversation'));
    // Scrolled away from the end (against the height the list had when it was put there: a size change not laid out
    // yet must not read as the user leaving), or back to it.
    this.el.addEventListener(
      'scroll',
      () => {
        if (this.fromEnd() < NEAR_END_PX) this.stick();
        else if (this.fromEnd(this.stuckHeight) >= NEAR_END_PX) this.stuck = false;
      },
      { passive: true },
    );
    this.observer = new IntersectionObserver((entries) => this.onIntersect(entries), {
      root: this.el,
      rootMargin: '400px 0px',
    });
    this.observe();
  }

  /** Call before anything in the panel changes size: whether the list is scrolled to its end. */
  measure(): void {
    this.wasNearBottom = this.fromEnd() < NEAR_END_PX;
  }

  /** How far the bottom of the list's viewport is from the end of a list `height` high (its height now). */
  private fromEnd(height = this.el.scrollHeight): number {
    return height - this.el.scrollTop - this.el.clientHeight;
  }

  /** Shows `messages` (system messages are not shown), after `olderCount` older ones the host has not sent. A new
   *  conversation or a new request returns to the end. */
  paint(
    messages: ChatMessage[],
    conversationId: string | undefined,
    busyRequestId: string | undefined,
    olderCount = 0,
  ): void {
    const changed = conversationId !== this.conversationId;
    if (changed || (busyRequestId && busyRequestId !== this.busyRequestId)) {
      this.conversationId = conversationId;
      this.window = TAIL;
      this.jumpToEnd = true;
    }
    // Older messages came (the window counts from the end, so it stays on what it showed): the top of the list, if it
    // is in view, goes on loading.
    const came = this.olderMessages.update(conversationId, messages[0]?.id, olderCount);
    this.busyRequestId = busyRequestId;
    this.messages = messages.filter((m) => m.role !== 'system');
    const i =
      conversationId !== undefined
        ? this.restorer.take(this.messages, busyRequestId !== undefined, conversationId, olderCount > 0)
        : undefined;
    // The page around a position being put back (settle puts it back; were its message not found there, the list
    // would go to its end as a new conversation does).
    if (typeof i === 'number') this.window = around(i, this.messages.length);
    else if (i === 'older') this.olderMessages.want();
    this.paintWindow();
    if (came) this.observe();
  }

  /** Ahead of a paint: the last reply, if it is shown and streams or has just ended, cuts out its newly finished
   *  blocks (messageView.ts), which the tasks ahead of the paint render and insert (workAhead). */
  prepare(messages: readonly ChatMessage[]): void {
    const last = messages[messages.length - 1];
    const view = last && this.views.get(last.id);
    if (!view) return;
    view.prepare(last);
    this.workAhead.add(view);
  }

  /** The panel was opened again: the list goes back to `anchor` when the conversation it was in is shown. */
  restore(anchor: ScrollAnchor): void {
    this.restorer.restore(anchor);
  }

  /** Where the list is scrolled to (what the panel saves): the first message on screen and where its top is. */
  position(): ScrollAnchor | undefined {
    const a = this.anchor();
    const id = (a?.el as HTMLElement | undefined)?.dataset.id;
    if (!a || !id) return undefined;
    const offset = Math.round(a.top - this.el.getBoundingClientRect().top);
    return this.conversationId ? { id, offset, conversationId: this.conversationId } : { id, offset };
  }

  /** Call after the whole panel is painted: follows the end of the conversation when it was there already. */
  settle(): void {
    if (this.restorer.settle()) {
      // Not following the end any more (the empty panel's first paint was there): a message laid out later must not
      // take the list back to it (keepEnd). A position at the end sticks again when its scroll event comes.
      this.stuck = false;
      this.jumpToEnd = false;
      return;
    }
    if ((this.wasNearBottom && this.window.below === 0) || this.jumpToEnd) {
      this.el.scrollTop = this.el.scrollHeight;
      this.stick();
    }
    this.jumpToEnd = false;
  }

  /** The list is at its end and follows what is added there (what the panel saves as its scroll position: none). */
  get atEnd(): boolean {
    return this.stuck && this.window.below === 0;
  }

  private stick(): void {
    this.stuck = true;
    this.stuckHeight = this.el.scrollHeight;
  }

  /** After a message in the window changed size (ResizeObserver, after layout, before paint): back to the end if the
   *  list was there. */
  private keepEnd(): void {
    if (!this.stuck || this.window.below !== 0 || this.el.scrollHeight === this.stuckHeight) return;
    this.el.scrollTop = this.el.scrollHeight;
    this.stuckHeight = this.el.scrollHeight;
    this.el.dataset.endKept = String(++this.endKept);
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      if (e.isIntersecting) this.inView.add(e.target);
      else this.inView.delete(e.target);
    }
    // Both ends in view: the window is shorter than the screen, so moving it would only swing back and forth.
    if (this.inView.size !== 1) return;
    this.move(this.inView.has(this.olderButton) ? older : newer);
  }

  private move(step: Step): void {
    const next = step(this.window, this.messages.length);
    if (next === this.window) return;
    const anchor = this.anchor();
    this.window = next;
    this.moves++;
    this.paintWindow();
    if (anchor) this.el.scrollTop += anchor.el.getBoundingClientRect().top - anchor.top;
    this.onMoved();
    // Observing again reports whether each end is still in view, so loading continues while it is.
    this.observe();
  }

  private observe(): void {
    this.observer.disconnect();
    this.inView.clear();
    this.observer.observe(this.olderButton);
    this.observer.observe(this.newerButton);
  }

  /** The first message whose bottom is below the top of the list's viewport, and where it is on screen. */
  private anchor(): { el: Element; top: number } | undefined {
    const top = this.el.getBoundingClientRect().top;
    for (let e = this.olderButton.nextElementSibling; e && e !== this.newerButton; e = e.nextElementSibling) {
      const r = e.getBoundingClientRect();
      if (r.bottom > top) return { el: e, top: r.top };
    }
    return undefined;
  }

  private paintWindow(): void {
    const total = this.messages.length;
    const { start, end } = windowRange(this.window, total);
    if (wantsOlder(this.window, total, this.olderMessages.count)) this.olderMessages.want();
    const above = start + this.olderMessages.count;
    this.olderButton.hidden = above === 0;
    setText(
      this.olderButton,
      start === 0
        ? l10n.t('Loading older messages ({0} hidden)…', above)
        : l10n.t('Show {0} older messages ({1} hidden)', Math.min(PAGE, start), above),
    );
    this.newerButton.hidden = end === total;
    setText(this.newerButton, l10n.t('Show newer messages ({0} hidden)', total - end));
    const seen = new Set<string>();
    let previous: Element = this.olderButton;
    for (let i = start; i < end; i++) {
      const m = this.messages[i];
      seen.add(m.id);
      let view = this.views.get(m.id);
      if (view) view.update(m);
      else {
        view = new MessageView(m);
        this.views.set(m.id, view);
        this.resizes.observe(view.el);
        this.built++;
      }
      const expected = previous.nextElementSibling;
      if (expected !== view.el) this.el.insertBefore(view.el, expected);
      previous = view.el;
    }
    for (const [id, view] of this.views) {
      if (!seen.has(id)) {
        this.resizes.unobserve(view.el);
        view.el.remove();
        this.views.delete(id);
      }
    }
    this.emptyHint.hidden = total > 0;
    if (total === 0) {
      this.el.dataset.empty = 'true';
      setText(this.emptyHint, l10n.t('Ask a question, or select code and run "Tally: Explain Selection".'));
    } else if (this.el.dataset.empty !== undefined) delete this.el.dataset.empty;
    setData(this.el, {
      hiddenAbove: String(above),
      hiddenBelow: String(total - end),
      loaded: String(total),
      viewsBuilt: String(this.built),
      windowMoves: String(this.moves),
      olderAsks: String(this.olderMessages.asks),
    });
  }
}
