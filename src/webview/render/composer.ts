// The composer at the foot of the panel: the draft box, Send / Stop / Regenerate, and the draft's live estimate
// (asked of the host 150 ms after typing pauses). A draft the host refused before it started is given back.
// Keys in the draft box: Enter sends and Shift+Enter starts a new line (never while an input method is composing:
// Enter then confirms the Chinese, Japanese or Korean candidate), Escape stops a streaming reply, and ↑ in an empty
// box brings back the last question to edit. The focus stays in the draft box after Send, Stop and Regenerate.
import * as l10n from '@vscode/l10n';
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import { composerKeyAction } from '../composerKeys';
import type { PanelState } from '../state';
import { estimateHelp, formatEstimate } from '../format';
import { el } from './dom';
import { ModelSelect } from './modelSelect';

export interface ComposerCallbacks {
  post(msg: WebviewToHost): void;
  newRequestId(): string;
  /** Saves the panel's UI state after the draft changed. */
  saveUi(): void;
  /** The newest state given to the panel: its busy request decides what Send, Stop and Regenerate do. */
  state(): PanelState | undefined;
}

export class Composer {
  private readonly input = el('textarea', {
    id: 'composer-input',
    rows: 3,
    placeholder: l10n.t('Ask Tally… (Enter to send, Shift+Enter for a new line)'),
  });
  private readonly send = el('button', { id: 'send', type: 'submit', textContent: l10n.t('Send') });
  private readonly stop = el('button', {
    id: 'stop',
    type: 'button',
    textContent: l10n.t('Stop'),
    title: l10n.t('Stop the reply (Escape)'),
  });
  private readonly estimate = el('span', { id: 'estimate' });
  /** The estimate's explanation, for screen readers (sighted users get it as the estimate's tooltip). */
  private readonly estimateHelp = el('span', { id: 'estimate-help', className: 'visually-hidden' });
  private readonly models: ModelSelect;
  private readonly regenerate = el('button', {
    id: 'regenerate',
    type: 'button',
    className: 'action',
    textContent: l10n.t('Regenerate'),
    title: l10n.t('Ask again for the last question (bypasses the cache)'),
  });
  readonly el = el('form', { id: 'composer' }, this.input);
  private estimateTimer = 0;
  private estimateSeq = 0;
  private lastSent: string | undefined;

  constructor(
    private readonly cb: ComposerCallbacks,
    draft: string,
  ) {
    this.models = new ModelSelect((msg) => this.cb.post(msg));
    this.el.append(
      el(
        'div',
        { className: 'composer-bar' },
        this.models.el,
        this.estimate,
        this.estimateHelp,
        this.regenerate,
        this.stop,
        this.send,
      ),
    );
    this.cb.post({ type: 'models/list', refresh: false });
    this.regenerate.addEventListener('click', () => {
      if (!this.cb.state()?.busyRequestId) this.cb.post({ type: 'chat/regenerate', requestId: this.cb.newRequestId() });
      this.focus();
    });
    this.input.value = draft;
    this.input.setAttribute('aria-label', l10n.t('Message'));
    // Focused, the draft box reads its estimate; the estimate reads what it means.
    this.input.setAttribute('aria-describedby', 'estimate');
    this.estimate.setAttribute('aria-describedby', 'estimate-help');
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
      this.focus();
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => {
      this.cb.saveUi();
      this.requestEstimate();
    });
    if (draft) this.requestEstimate();
    this.stop.addEventListener('click', () => this.stopReply());
  }

  private onKey(e: KeyboardEvent): void {
    const action = composerKeyAction(e, this.input.value);
    if (action === 'send') {
      e.preventDefault();
      this.submit();
    } else if (action === 'recallLastQuestion') {
      const last = this.lastQuestion();
      if (last === undefined) return;
      e.preventDefault();
      this.input.value = last;
      this.input.setSelectionRange(last.length, last.length);
      this.cb.saveUi();
      this.requestEstimate();
    }
  }

  /** The newest question of the conversation (or the one just sent), to edit again. */
  private lastQuestion(): string | undefined {
    const messages = this.cb.state()?.messages ?? [];
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content;
    return this.lastSent;
  }

  /** Stops the streaming reply (Stop, or Escape anywhere in the panel) and puts the focus back in the draft box. */
  stopReply(): void {
    const busy = this.cb.state()?.busyRequestId;
    if (busy) this.cb.post({ type: 'chat/cancel', requestId: busy });
    this.focus();
  }

  focus(): void {
    this.input.focus();
  }

  /** The user is typing a draft (the focus is in the draft box and it holds text). */
  isTyping(): boolean {
    return document.activeElement === this.input && this.input.value.trim() !== '';
  }

  /** The text in the draft box. */
  get draft(): string {
    return this.input.value;
  }

  /** Gives back a draft that was refused before it started (no key, over budget), unless a new one was typed. */
  noteHostMessage(msg: HostToWebview): void {
    // A new model (picker or settings): the draft's estimate is asked again at once, for the model now in use.
    if (msg.type === 'models/listed' || msg.type === 'config/changed') this.requestEstimate(0);
    if (msg.type === 'chat/started') this.lastSent = undefined;
    else if (msg.type === 'chat/error' && this.lastSent !== undefined && this.input.value.trim() === '') {
      this.input.value = this.lastSent;
      this.lastSent = undefined;
      this.cb.saveUi();
    }
  }

  paint(state: PanelState): void {
    const e = state.estimate;
    const current = e && this.input.value.trim() !== '';
    this.estimate.textContent = current ? formatEstimate(e) : '';
    this.estimate.title = current ? estimateHelp(e) : '';
    this.estimateHelp.textContent = this.estimate.title;
    const busy = state.busyRequestId !== undefined;
    this.send.disabled = busy;
    const last = state.messages[state.messages.length - 1];
    this.regenerate.hidden = busy || last?.role !== 'assistant';
    this.stop.hidden = !busy;
    this.models.paint(state.models);
  }

  /** Asks the host what the draft would cost, 150 ms after typing pauses (the host cancels a stale count). */
  private requestEstimate(delayMs = 150): void {
    clearTimeout(this.estimateTimer);
    this.estimateTimer = window.setTimeout(() => {
      const text = this.input.value.trim();
      this.estimateSeq++;
      if (!text) {
        this.estimate.textContent = '';
        return;
      }
      this.cb.post({ type: 'draft/estimate', seq: this.estimateSeq, text });
    }, delayMs);
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || this.cb.state()?.busyRequestId) return;
    this.lastSent = text;
    this.cb.post({ type: 'chat/send', requestId: this.cb.newRequestId(), text });
    this.input.value = '';
    this.cb.saveUi();
    this.requestEstimate();
  }
}
