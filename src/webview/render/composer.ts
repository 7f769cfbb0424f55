// The composer at the foot of the panel: the draft box, Send / Stop / Regenerate, and the draft's live estimate
// (asked of the host 150 ms after typing pauses). A draft the host refused before it started is given back.
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import type { PanelState } from '../state';
import { formatEstimate, formatTokens } from '../format';
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
    placeholder: 'Ask Tally… (Enter to send, Shift+Enter for a new line)',
  });
  private readonly send = el('button', { id: 'send', type: 'submit', textContent: 'Send' });
  private readonly stop = el('button', { id: 'stop', type: 'button', textContent: 'Stop' });
  private readonly estimate = el('span', { id: 'estimate' });
  private readonly models: ModelSelect;
  private readonly regenerate = el('button', {
    id: 'regenerate',
    type: 'button',
    className: 'action',
    textContent: 'Regenerate',
    title: 'Ask again for the last question (bypasses the cache)',
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
      el('div', { className: 'composer-bar' }, this.models.el, this.estimate, this.regenerate, this.stop, this.send),
    );
    this.cb.post({ type: 'models/list', refresh: false });
    this.regenerate.addEventListener('click', () => {
      if (!this.cb.state()?.busyRequestId) this.cb.post({ type: 'chat/regenerate', requestId: this.cb.newRequestId() });
    });
    this.input.value = draft;
    this.input.setAttribute('aria-label', 'Message');
    this.el.addEventListener('submit', (e) => {
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
      this.cb.saveUi();
      this.requestEstimate();
    });
    if (draft) this.requestEstimate();
    this.stop.addEventListener('click', () => {
      const busy = this.cb.state()?.busyRequestId;
      if (busy) this.cb.post({ type: 'chat/cancel', requestId: busy });
    });
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
    this.estimate.title = current
      ? `Prompt tokens the API will bill for this request, and its cost from input only to input plus the full reply budget (${formatTokens(e.maxReplyTokens)} tokens).${e.truncation ? ` ${e.truncation}.` : ''}`
      : '';
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
