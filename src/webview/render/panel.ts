// The panel's layout and its painting: header, conversation list, message list (a bounded window that pages as it
// scrolls: messageList.ts), request notice, retry countdown, error banner, and the composer at the foot. It renders a
// PanelState into the DOM at most once per animation frame, and repaints only the parts whose state changed.
import type { ErrorAction } from '../../shared/errors';
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import type { UiState } from '../hostClient';
import type { PanelState } from '../state';
import { Composer } from './composer';
import { ConversationList } from './conversationList';
import { routeCodeBlockClicks } from './codeBlockActions';
import { routeLinkClicks } from './linkClicks';
import { routeReaskClicks } from './routeLine';
import { renderStats } from './markdown';
import { MessageList } from './messageList';
import { el } from './dom';

export interface PanelCallbacks {
  post(msg: WebviewToHost): void;
  saveUi(state: UiState): void;
  newRequestId(): string;
}

const ACTION_LABEL: Record<ErrorAction, string> = {
  setApiKey: 'Set API Key',
  openBilling: 'Open Billing',
  retry: 'Retry',
  newChat: 'New Chat',
  chooseModel: 'Choose Model',
  showLog: 'Show Log',
  openSettings: 'Open Settings',
  raiseBudget: 'Raise Budget',
  sendAnyway: 'Send Anyway',
};

function actionButton(action: ErrorAction, post: PanelCallbacks['post']): HTMLButtonElement {
  const b = el('button', { type: 'button', className: 'action', textContent: ACTION_LABEL[action] });
  b.dataset.action = action;
  b.addEventListener('click', () => post({ type: 'action/run', action }));
  return b;
}

export class Panel {
  private readonly header = el('header', { id: 'status' });
  private readonly notice = el('div', { id: 'notice' });
  private readonly messages = new MessageList(() => this.writeCounters());
  private readonly list = this.messages.el;
  private readonly errorBox = el('div', { id: 'error', role: 'alert' });
  private readonly retryBox = el('div', { id: 'retry-notice', role: 'status' });
  private readonly requestNotice = el('div', { id: 'request-notice', role: 'status' });
  private countdown = 0;
  private readonly composer: Composer;
  private readonly conversations: ConversationList;
  private state: PanelState | undefined;
  /** Where the next paint takes its state from (main.ts applies the queued stream pieces there). */
  private source: PanelState | (() => PanelState) | undefined;
  /** The state last painted: a part whose slice of the state is the same object is not painted again. */
  private painted: PanelState | undefined;
  private frame = 0;
  private paints = 0;

  constructor(
    root: HTMLElement,
    private readonly cb: PanelCallbacks,
    ui: UiState,
  ) {
    this.conversations = new ConversationList(cb.post);
    this.composer = new Composer(
      {
        post: (msg) => cb.post(msg),
        newRequestId: () => cb.newRequestId(),
        saveUi: () => this.saveUi(),
        state: () => this.current(),
      },
      ui.draft,
    );
    routeLinkClicks(this.list, cb.post);
    routeReaskClicks(this.list, cb.post, () => cb.newRequestId());
    routeCodeBlockClicks(this.list, cb.post);
    root.replaceChildren(
      this.header,
      this.conversations.el,
      this.notice,
      this.list,
      this.requestNotice,
      this.retryBox,
      this.errorBox,
      this.composer.el,
    );
    this.list.addEventListener('scroll', () => this.saveUi(), { passive: true });
    if (ui.scrollTop !== undefined)
      requestAnimationFrame(() => {
        this.list.scrollTop = ui.scrollTop ?? 0;
      });
  }

  private saveUi(): void {
    this.cb.saveUi({ draft: this.composer.draft, scrollTop: this.list.scrollTop });
  }

  /** Side effects of a host message that the state alone does not carry: giving back a draft that was refused
   *  before it started (no key, over budget), and refreshing the conversation list when it may have changed. */
  noteHostMessage(msg: HostToWebview): void {
    this.composer.noteHostMessage(msg);
    if (
      msg.type === 'chat/done' ||
      msg.type === 'chat/cleared' ||
      msg.type === 'conversation/opened' ||
      msg.type === 'conversation/titled'
    ) {
      this.conversations.refresh();
    }
  }

  /** Schedules a render of `state`, or of what `state()` returns at paint time (coalesced to one per frame). */
  render(state: PanelState | (() => PanelState)): void {
    this.source = state;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private current(): PanelState | undefined {
    if (typeof this.source === 'function') this.source = this.source();
    this.state = this.source;
    return this.state;
  }

  private paint(): void {
    const state = this.current();
    if (!state) return;
    const prev = this.painted;
    this.painted = state;
    this.messages.measure();
    if (!prev || state.config !== prev.config) this.paintHeader(state);
    if (!prev || state.list !== prev.list || state.conversation !== prev.conversation) this.conversations.paint(state);
    this.messages.paint(state.messages, state.conversation?.id, state.busyRequestId);
    this.composer.paint(state);
    if (!prev || state.notice !== prev.notice) {
      this.requestNotice.textContent = state.notice?.text ?? '';
      this.requestNotice.hidden = !state.notice;
    }
    if (!prev || state.retry !== prev.retry) this.paintRetry(state);
    if (!prev || state.error !== prev.error) this.paintError(state);
    document.body.dataset.busy = String(state.busyRequestId !== undefined);
    this.messages.settle();
    this.paints++;
    this.writeCounters();
  }

  /** Work counters for the UI tests (a streaming reply must cost markdown renders per frame, not per piece). */
  private writeCounters(): void {
    const stats = renderStats();
    document.body.dataset.paints = String(this.paints);
    document.body.dataset.markdownRenders = String(stats.renders);
    document.body.dataset.markdownChars = String(stats.chars);
  }

  private paintHeader(state: PanelState): void {
    const c = state.config;
    this.header.textContent = c ? `${c.model} · ${c.endpoint}` : 'Connecting…';
    this.notice.replaceChildren();
    if (c && !c.hasApiKey) {
      this.notice.append(
        el('p', {
          textContent:
            "Tally needs an API key for your endpoint. It is kept in VS Code's secret storage, never in settings. You can also set the OPENAI_API_KEY environment variable.",
        }),
        actionButton('setApiKey', this.cb.post),
      );
    }
    this.notice.hidden = this.notice.childElementCount === 0;
  }

  /** "Rate limited — retrying in 8 s (attempt 2 of 4)", counting down each second, with a way to cancel. */
  private paintRetry(state: PanelState): void {
    clearInterval(this.countdown);
    this.retryBox.replaceChildren();
    const retry = state.retry;
    this.retryBox.hidden = !retry;
    if (!retry) return;
    const { notice, requestId } = retry;
    const text = el('span', { className: 'retry-text' });
    const tick = () => {
      const left = Math.max(0, Math.ceil((notice.until - Date.now()) / 1000));
      text.textContent = `${notice.reason} — retrying in ${left} s (attempt ${notice.attempt} of ${notice.of})`;
    };
    tick();
    this.countdown = window.setInterval(tick, 250);
    const cancel = el('button', { type: 'button', className: 'action', textContent: 'Cancel' });
    cancel.dataset.action = 'cancel';
    cancel.addEventListener('click', () => this.cb.post({ type: 'chat/cancel', requestId }));
    this.retryBox.append(text, cancel);
  }

  private paintError(state: PanelState): void {
    this.errorBox.replaceChildren();
    const e = state.error?.error;
    this.errorBox.hidden = !e;
    if (!e) return;
    this.errorBox.dataset.kind = e.kind;
    this.errorBox.append(el('p', { className: 'error-message', textContent: e.message }));
    if (e.detail || e.requestId) {
      const details = el('details', {}, el('summary', { textContent: 'Details' }));
      if (e.detail) details.append(el('p', { textContent: e.detail }));
      if (e.requestId) details.append(el('p', { textContent: `Request id: ${e.requestId}` }));
      this.errorBox.append(details);
    }
    const actions = el('div', { className: 'actions' });
    for (const a of e.actions) actions.append(actionButton(a, this.cb.post));
    if (actions.childElementCount) this.errorBox.append(actions);
  }
}
