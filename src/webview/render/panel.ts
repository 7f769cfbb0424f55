// The panel's layout and its painting: header, conversation list, message list (a bounded window that pages as it
// scrolls: messageList.ts), request notice, retry countdown, error banner (statusBoxes.ts), the composer at the foot,
// and the one live region a screen reader hears (liveRegion.ts, fed by ../announcer.ts). It renders a PanelState into
// the DOM at most once per animation frame, and repaints only the parts whose state changed. Keyboard: Escape stops
// a streaming reply from anywhere in the panel; focus goes back to the composer after a stop or a change of
// conversation, and to an error's primary action when one appears.
import * as l10n from '@vscode/l10n';
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import { Announcer } from '../announcer';
import type { UiState } from '../hostClient';
import type { PanelState } from '../state';
import { Composer } from './composer';
import { ConversationList } from './conversationList';
import { routeCodeBlockClicks } from './codeBlockActions';
import { routeLinkClicks } from './linkClicks';
import { LiveRegion } from './liveRegion';
import { routeReaskClicks } from './routeLine';
import { renderStats } from './markdown';
import { MessageList } from './messageList';
import { actionButton, ErrorBox, RetryBox } from './statusBoxes';
import { el, setData } from './dom';
import { UiStateSaver } from '../uiStateSaver';

export interface PanelCallbacks {
  post(msg: WebviewToHost): void;
  saveUi(state: UiState): void;
  newRequestId(): string;
  /** A paint's frame was drawn: how long the paint took on the main thread, ms (its script, the frame's style, layout,
   *  paint and commit, and what prepare and layOutAhead did for it; streamPacer.ts paces a stream by it). */
  painted(costMs: number): void;
}

export class Panel {
  private readonly header = el('header', { id: 'status' });
  private readonly notice = el('div', { id: 'notice' });
  private readonly messages = new MessageList(
    () => this.writeCounters(),
    (conversationId, beforeId) => this.cb.post({ type: 'conversation/more', conversationId, beforeId }),
  );
  private readonly list = this.messages.el;
  private readonly errorBox: ErrorBox;
  private readonly retryBox: RetryBox;
  private readonly requestNotice = el('div', { id: 'request-notice' });
  private readonly live = new LiveRegion();
  private readonly announcer = new Announcer((text) => this.live.say(text));
  /** A new error takes the focus to its primary action (unless the user was typing something else). */
  private focusErrorAction = false;
  private readonly composer: Composer;
  private readonly conversations: ConversationList;
  /** Saves the draft and the scroll position (uiStateSaver.ts: a draft at once, a scroll at most twice a second). */
  private readonly saver: UiStateSaver;
  /** The state the next paint shows. */
  private source: PanelState | undefined;
  /** The state last painted: a part whose slice of the state is the same object is not painted again. */
  private painted: PanelState | undefined;
  private frame = 0;
  private paints = 0;
  /** Markdown renders done inside paints (the rest were done ahead of them, by layOutAhead), and the most characters
   *  one paint rendered. */
  private rendersInPaints = 0;
  private maxCharsInPaint = 0;
  /** Tasks that rendered blocks ahead of a paint (layOutAhead), the characters they rendered, and the most one of
   *  them did. */
  private slicesAhead = 0;
  private charsAhead = 0;
  private maxSliceChars = 0;
  /** Tasks that inserted and laid out what was rendered ahead, and the most characters one of them did. */
  private layoutsAhead = 0;
  private maxLayoutChars = 0;

  constructor(
    root: HTMLElement,
    private readonly cb: PanelCallbacks,
    ui: UiState,
  ) {
    this.saver = new UiStateSaver(
      // A list at its end saves no position: it opens at its end (a streaming reply scrolls it at every paint).
      () => ({ draft: this.composer.draft, scroll: this.messages.atEnd ? undefined : this.messages.position() }),
      (state) => cb.saveUi(state),
      { set: (fn, ms) => window.setTimeout(fn, ms), clear: (h) => window.clearTimeout(h as number) },
      () => performance.now(),
    );
    this.conversations = new ConversationList(cb.post);
    this.errorBox = new ErrorBox(cb.post);
    this.retryBox = new RetryBox(cb.post);
    this.composer = new Composer(
      {
        post: (msg) => cb.post(msg),
        newRequestId: () => cb.newRequestId(),
        saveUi: () => this.saver.draftChanged(this.composer.draft.length),
        state: () => this.source,
      },
      ui.draft,
    );
    routeLinkClicks(this.list, cb.post);
    routeReaskClicks(this.list, cb.post, () => {
      this.composer.focus();
      return cb.newRequestId();
    });
    routeCodeBlockClicks(this.list, cb.post, () => this.announcer.say(l10n.t('Code copied.')));
    root.replaceChildren(
      this.header,
      this.conversations.el,
      this.notice,
      this.list,
      this.requestNotice,
      this.retryBox.el,
      this.errorBox.el,
      this.composer.el,
      this.live.el,
    );
    // Escape stops a streaming reply wherever the focus is in the panel (the composer's Stop does the same).
    root.ownerDocument.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
      const busy = this.source?.busyRequestId;
      if (!busy) return;
      e.preventDefault();
      this.composer.stopReply();
    });
    this.afterFrame.port1.onmessage = () => {
      cb.painted(this.paintPrepareMs + performance.now() - this.paintStart);
    };
    this.list.addEventListener('scroll', () => this.saver.scrolled(), { passive: true });
    // A scroll save still waiting is made before the view goes (hidden views may be disposed).
    window.addEventListener('pagehide', () => this.saver.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.saver.flush();
    });
    if (ui.scroll) this.messages.restore(ui.scroll);
  }

  /** Side effects of a host message that the state alone does not carry: giving back a draft that was refused
   *  before it started (no key, over budget), and refreshing the conversation list when it may have changed. */
  noteHostMessage(msg: HostToWebview): void {
    if (msg.type === 'chat/error') this.focusErrorAction = document.hasFocus() && !this.composer.isTyping();
    this.composer.noteHostMessage(msg);
    if ((msg.type === 'conversation/opened' || msg.type === 'chat/cleared') && document.hasFocus())
      this.composer.focus();
    if (
      msg.type === 'chat/done' ||
      msg.type === 'chat/cleared' ||
      msg.type === 'conversation/opened' ||
      msg.type === 'conversation/titled'
    ) {
      this.conversations.refresh();
    }
  }

  /** Call with every new state, stream pieces included: the live region hears what ended, failed or started
   *  waiting, once each (never the stream itself). */
  announce(state: PanelState): void {
    const before = this.announcer.count;
    this.announcer.observe(state, Date.now());
    if (this.announcer.count !== before) this.live.el.dataset.announced = String(this.announcer.count);
  }

  /** Ahead of the paint of a streaming reply, from the task that took in its new text: the reply's newly finished
   *  blocks are cut out of it, to be rendered and laid out by layOutAhead (its cost counts in the paint's). */
  prepare(state: PanelState): void {
    const start = performance.now();
    this.messages.prepare(state.messages);
    this.prepareMs += performance.now() - start;
  }

  /** Between prepare and the paint, in a task of its own: renders about `maxChars` characters of the blocks prepare
   *  cut out (or a block more) and holds them out of the page; or, once `layoutChars` or more are held, inserts them
   *  and lays them out. So no one task renders or lays out all that a paint adds (its time counts in the paint's cost).
   *  What is held when all are rendered is inserted by the paint. Whether another such task is needed. */
  layOutAhead(maxChars: number, layoutChars: number): boolean {
    const start = performance.now();
    const ahead = this.messages.workAhead.ahead();
    if (ahead.held >= layoutChars) {
      const chars = this.messages.workAhead.insertHeld();
      // Reading a size lays out what was inserted, now rather than in the frame.
      void this.list.scrollHeight;
      this.layoutsAhead++;
      this.maxLayoutChars = Math.max(this.maxLayoutChars, chars);
      this.writeCounters();
      this.prepareMs += performance.now() - start;
      return ahead.more;
    }
    const chars = this.messages.workAhead.renderAhead(maxChars);
    if (chars > 0) {
      this.slicesAhead++;
      this.charsAhead += chars;
      this.maxSliceChars = Math.max(this.maxSliceChars, chars);
      this.writeCounters();
    }
    this.prepareMs += performance.now() - start;
    const left = this.messages.workAhead.ahead();
    return left.more || left.held >= layoutChars;
  }

  /** Schedules a render of `state` (coalesced to one per frame). */
  render(state: PanelState): void {
    this.source = state;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** When the last paint started, and what prepare() and layOutAhead() did for it: with the message posted from the
   *  paint, which runs once the frame it ran in has been rendered, they make its cost (PanelCallbacks.painted). */
  private paintStart = 0;
  private prepareMs = 0;
  private paintPrepareMs = 0;
  private readonly afterFrame = new MessageChannel();

  private paint(): void {
    const start = performance.now();
    const state = this.source;
    if (!state) return;
    const before = renderStats();
    const prev = this.painted;
    this.painted = state;
    this.messages.measure();
    if (!prev || state.config !== prev.config) this.paintHeader(state);
    if (!prev || state.list !== prev.list || state.conversation !== prev.conversation) this.conversations.paint(state);
    this.messages.paint(state.messages, state.conversation?.id, state.busyRequestId, state.olderCount);
    if (!prev || composerChanged(prev, state)) this.composer.paint(state);
    if (!prev || state.notice !== prev.notice) {
      this.requestNotice.textContent = state.notice?.text ?? '';
      this.requestNotice.hidden = !state.notice;
    }
    if (!prev || state.retry !== prev.retry) this.retryBox.paint(state);
    if (!prev || state.error !== prev.error) {
      const primary = this.errorBox.paint(state);
      if (primary && this.focusErrorAction) primary.focus();
      this.focusErrorAction = false;
    }
    setData(document.body, { busy: String(state.busyRequestId !== undefined) });
    this.messages.settle();
    this.paints++;
    const after = renderStats();
    this.rendersInPaints += after.renders - before.renders;
    this.maxCharsInPaint = Math.max(this.maxCharsInPaint, after.chars - before.chars);
    this.writeCounters();
    this.paintStart = start;
    this.paintPrepareMs = this.prepareMs;
    this.prepareMs = 0;
    this.afterFrame.port2.postMessage(null);
  }

  /** Work counters for the UI tests (a streaming reply must cost markdown renders per frame, not per piece, render
   *  its finished blocks ahead of the frames that show them, and lay them out a slice at a time). */
  private writeCounters(): void {
    const stats = renderStats();
    setData(document.body, {
      paints: String(this.paints),
      markdownRenders: String(stats.renders),
      markdownRendersInPaints: String(this.rendersInPaints),
      maxCharsInPaint: String(this.maxCharsInPaint),
      markdownChars: String(stats.chars),
      slicesAhead: String(this.slicesAhead),
      charsAhead: String(this.charsAhead),
      maxSliceChars: String(this.maxSliceChars),
      layoutsAhead: String(this.layoutsAhead),
      maxLayoutChars: String(this.maxLayoutChars),
    });
  }

  private paintHeader(state: PanelState): void {
    const c = state.config;
    this.header.textContent = c ? `${c.model} · ${c.endpoint}` : l10n.t('Connecting…');
    this.notice.replaceChildren();
    if (c && !c.hasApiKey) {
      this.notice.append(
        el('p', {
          textContent: l10n.t(
            "Tally needs an API key for your endpoint. It is kept in VS Code's secret storage, never in settings. You can also set the {0} environment variable.",
            'OPENAI_API_KEY',
          ),
        }),
        actionButton('setApiKey', this.cb.post),
      );
    }
    this.notice.hidden = this.notice.childElementCount === 0;
  }
}

/** Whether what the composer shows changed: the estimate, the model list, whether a reply is being written, whether
 *  the last message is a reply (Regenerate). A paint of a streaming reply changes none of them. */
function composerChanged(a: PanelState, b: PanelState): boolean {
  const lastRole = (s: PanelState) => s.messages[s.messages.length - 1]?.role;
  return (
    a.estimate !== b.estimate ||
    a.models !== b.models ||
    a.busyRequestId !== b.busyRequestId ||
    lastRole(a) !== lastRole(b)
  );
}
