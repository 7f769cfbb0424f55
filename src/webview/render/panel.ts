// The whole panel: header, message list, error banner, composer. It renders a PanelState into the DOM, keeping one
// MessageView per message and re-rendering the streaming one at most once per animation frame.
import type { ErrorAction } from '../../shared/errors';
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import type { UiState } from '../hostClient';
import type { PanelState } from '../state';
import { formatEstimate, formatTokens } from '../format';
import { ConversationList } from './conversationList';
import { routeLinkClicks } from './linkClicks';
import { renderStats } from './markdown';
import { MessageView } from './messageView';
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

/** Messages rendered at first: a 2,000-message conversation opens at once; older ones page in on request. */
const PAGE = 80;

function actionButton(action: ErrorAction, post: PanelCallbacks['post']): HTMLButtonElement {
  const b = el('button', { type: 'button', className: 'action', textContent: ACTION_LABEL[action] });
  b.dataset.action = action;
  b.addEventListener('click', () => post({ type: 'action/run', action }));
  return b;
}

export class Panel {
  private readonly header = el('header', { id: 'status' });
  private readonly notice = el('div', { id: 'notice' });
  private readonly list = el('main', { id: 'messages' });
  private readonly errorBox = el('div', { id: 'error', role: 'alert' });
  private readonly retryBox = el('div', { id: 'retry-notice', role: 'status' });
  private readonly requestNotice = el('div', { id: 'request-notice', role: 'status' });
  private countdown = 0;
  private readonly input = el('textarea', {
    id: 'composer-input',
    rows: 3,
    placeholder: 'Ask Tally… (Enter to send, Shift+Enter for a new line)',
  });
  private readonly send = el('button', { id: 'send', type: 'submit', textContent: 'Send' });
  private readonly stop = el('button', { id: 'stop', type: 'button', textContent: 'Stop' });
  private readonly estimate = el('span', { id: 'estimate' });
  private readonly regenerate = el('button', {
    id: 'regenerate',
    type: 'button',
    className: 'action',
    textContent: 'Regenerate',
    title: 'Ask again for the last question (bypasses the cache)',
  });
  private estimateTimer = 0;
  private estimateSeq = 0;
  private readonly views = new Map<string, MessageView>();
  private readonly conversations: ConversationList;
  private readonly older = el('button', { id: 'show-older', type: 'button', className: 'action' });
  private visibleCount = PAGE;
  private shownConversation: string | undefined;
  private lastSent: string | undefined;
  private state: PanelState | undefined;
  private frame = 0;
  private paints = 0;

  constructor(
    root: HTMLElement,
    private readonly cb: PanelCallbacks,
    ui: UiState,
  ) {
    this.conversations = new ConversationList(cb.post);
    this.older.addEventListener('click', () => {
      this.visibleCount += PAGE;
      this.paint();
    });
    const form = el(
      'form',
      { id: 'composer' },
      this.input,
      el('div', { className: 'composer-bar' }, this.estimate, this.regenerate, this.stop, this.send),
    );
    this.regenerate.addEventListener('click', () => {
      if (!this.state?.busyRequestId) this.cb.post({ type: 'chat/regenerate', requestId: this.cb.newRequestId() });
    });
    this.list.append(this.older);
    routeLinkClicks(this.list, cb.post);
    root.replaceChildren(
      this.header,
      this.conversations.el,
      this.notice,
      this.list,
      this.requestNotice,
      this.retryBox,
      this.errorBox,
      form,
    );
    this.input.value = ui.draft;
    this.input.setAttribute('aria-label', 'Message');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      this.saveUi();
      this.requestEstimate();
    });
    if (ui.draft) this.requestEstimate();
    this.list.addEventListener('scroll', () => this.saveUi(), { passive: true });
    this.stop.addEventListener('click', () => {
      if (this.state?.busyRequestId) this.cb.post({ type: 'chat/cancel', requestId: this.state.busyRequestId });
    });
    if (ui.scrollTop !== undefined)
      requestAnimationFrame(() => {
        this.list.scrollTop = ui.scrollTop ?? 0;
      });
  }

  private saveUi(): void {
    this.cb.saveUi({ draft: this.input.value, scrollTop: this.list.scrollTop });
  }

  /** Asks the host what the draft would cost, 150 ms after typing pauses (the host cancels a stale count). */
  private requestEstimate(): void {
    clearTimeout(this.estimateTimer);
    this.estimateTimer = window.setTimeout(() => {
      const text = this.input.value.trim();
      this.estimateSeq++;
      if (!text) {
        this.estimate.textContent = '';
        return;
      }
      this.cb.post({ type: 'draft/estimate', seq: this.estimateSeq, text });
    }, 150);
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || this.state?.busyRequestId) return;
    this.lastSent = text;
    this.cb.post({ type: 'chat/send', requestId: this.cb.newRequestId(), text });
    this.input.value = '';
    this.saveUi();
    this.requestEstimate();
  }

  /** Side effects of a host message that the state alone does not carry: giving back a draft that was refused
   *  before it started (no key, over budget), and refreshing the conversation list when it may have changed. */
  noteHostMessage(msg: HostToWebview): void {
    if (msg.type === 'chat/started') this.lastSent = undefined;
    else if (msg.type === 'chat/error' && this.lastSent !== undefined && this.input.value.trim() === '') {
      this.input.value = this.lastSent;
      this.lastSent = undefined;
      this.saveUi();
    }
    if (
      msg.type === 'chat/done' ||
      msg.type === 'chat/cleared' ||
      msg.type === 'conversation/opened' ||
      msg.type === 'conversation/titled'
    ) {
      this.conversations.refresh();
    }
  }

  /** Schedules a render of `state` (coalesced to one per animation frame). */
  render(state: PanelState): void {
    this.state = state;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const state = this.state;
    if (!state) return;
    const nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    if (state.conversation?.id !== this.shownConversation) {
      this.shownConversation = state.conversation?.id;
      this.visibleCount = PAGE;
    }
    this.paintHeader(state);
    this.conversations.paint(state);
    this.paintMessages(state);
    const e = state.estimate;
    const current = e && this.input.value.trim() !== '';
    this.estimate.textContent = current ? formatEstimate(e) : '';
    this.estimate.title = current
      ? `Prompt tokens the API will bill for this request, and its cost from input only to input plus the full reply budget (${formatTokens(e.maxReplyTokens)} tokens).${e.truncation ? ` ${e.truncation}.` : ''}`
      : '';
    this.requestNotice.textContent = state.notice?.text ?? '';
    this.requestNotice.hidden = !state.notice;
    this.paintRetry(state);
    this.paintError(state);
    const busy = state.busyRequestId !== undefined;
    this.send.disabled = busy;
    const last = state.messages[state.messages.length - 1];
    this.regenerate.hidden = busy || last?.role !== 'assistant';
    this.stop.hidden = !busy;
    document.body.dataset.busy = String(busy);
    if (nearBottom) this.list.scrollTop = this.list.scrollHeight;
    // Work counters for the UI tests (a streaming reply must cost markdown renders per frame, not per piece).
    const stats = renderStats();
    document.body.dataset.paints = String(++this.paints);
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

  private paintMessages(state: PanelState): void {
    const seen = new Set<string>();
    let previous: Element | null = this.older;
    const shown = state.messages.filter((m) => m.role !== 'system');
    const hidden = Math.max(0, shown.length - this.visibleCount);
    this.older.hidden = hidden === 0;
    this.older.textContent = `Show ${Math.min(PAGE, hidden)} older messages (${hidden} hidden)`;
    for (const m of shown.slice(hidden)) {
      seen.add(m.id);
      let view = this.views.get(m.id);
      if (view) view.update(m);
      else {
        view = new MessageView(m);
        this.views.set(m.id, view);
      }
      const expected: Element | null = previous.nextElementSibling;
      if (expected !== view.el) this.list.insertBefore(view.el, expected);
      previous = view.el;
    }
    for (const [id, view] of this.views) {
      if (!seen.has(id)) {
        view.el.remove();
        this.views.delete(id);
      }
    }
    if (shown.length === 0) this.list.dataset.empty = 'true';
    else delete this.list.dataset.empty;
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
