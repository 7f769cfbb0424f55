// The boxes between the conversation and the composer: the retry countdown ("Rate limited — retrying in 8 s
// (attempt 2 of 4)", with Cancel) and the error banner (the error's sentence, its details, and the actions that help,
// the first of them the primary one). Neither is a live region: the countdown would be read every second; the panel's
// announcer says each once (webview/announcer.ts).
import * as l10n from '@vscode/l10n';
import type { ErrorAction } from '../../shared/errors';
import type { WebviewToHost } from '../../shared/protocol';
import { retryText } from '../format';
import type { PanelState } from '../state';
import { el } from './dom';

type Post = (msg: WebviewToHost) => void;

function actionLabel(action: ErrorAction): string {
  switch (action) {
    case 'setApiKey':
      return l10n.t('Set API Key');
    case 'openBilling':
      return l10n.t('Open Billing');
    case 'retry':
      return l10n.t('Retry');
    case 'newChat':
      return l10n.t('New Chat');
    case 'chooseModel':
      return l10n.t('Choose Model');
    case 'showLog':
      return l10n.t('Show Log');
    case 'openSettings':
      return l10n.t('Open Settings');
    case 'raiseBudget':
      return l10n.t('Raise Budget');
    case 'sendAnyway':
      return l10n.t('Send Anyway');
  }
}

export function actionButton(action: ErrorAction, post: Post): HTMLButtonElement {
  const b = el('button', { type: 'button', className: 'action', textContent: actionLabel(action) });
  b.dataset.action = action;
  b.addEventListener('click', () => post({ type: 'action/run', action }));
  return b;
}

/** The retry countdown, counting down each second, with a way to cancel. */
export class RetryBox {
  readonly el = el('div', { id: 'retry-notice' });
  private countdown = 0;

  constructor(private readonly post: Post) {}

  paint(state: PanelState): void {
    clearInterval(this.countdown);
    this.el.replaceChildren();
    const retry = state.retry;
    this.el.hidden = !retry;
    if (!retry) return;
    const { notice, requestId } = retry;
    const text = el('span', { className: 'retry-text' });
    const tick = () => {
      text.textContent = retryText(notice, Date.now());
    };
    tick();
    this.countdown = window.setInterval(tick, 250);
    const cancel = el('button', { type: 'button', className: 'action', textContent: l10n.t('Cancel') });
    cancel.dataset.action = 'cancel';
    cancel.addEventListener('click', () => this.post({ type: 'chat/cancel', requestId }));
    this.el.append(text, cancel);
  }
}

/** The last failure: its sentence (from the host, translated there), details, and its action buttons. */
export class ErrorBox {
  readonly el = el('div', { id: 'error' });

  constructor(private readonly post: Post) {}

  /** Paints the error; returns its primary action button, if it has one. */
  paint(state: PanelState): HTMLButtonElement | undefined {
    this.el.replaceChildren();
    const e = state.error?.error;
    this.el.hidden = !e;
    if (!e) return undefined;
    this.el.dataset.kind = e.kind;
    this.el.append(el('p', { className: 'error-message', textContent: e.message }));
    if (e.detail || e.requestId) {
      const details = el('details', {}, el('summary', { textContent: l10n.t('Details') }));
      if (e.detail) details.append(el('p', { textContent: e.detail }));
      if (e.requestId) details.append(el('p', { textContent: l10n.t('Request id: {0}', e.requestId) }));
      this.el.append(details);
    }
    const buttons = e.actions.map((a) => actionButton(a, this.post));
    if (buttons.length) this.el.append(el('div', { className: 'actions' }, ...buttons));
    return buttons[0];
  }
}
