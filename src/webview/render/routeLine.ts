// The line under a routed reply: why the router chose its model ("Explain · simple (120 tokens, 9 lines) →
// gpt-4o-mini"), what that saves against the task's strong model ("saves ≈ $0.005 against gpt-4o", or "price
// unknown"), and one button, "Ask gpt-4o", that asks the same question again with that model (the host checks the
// reply and the model before it does).
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../../shared/conversation';
import type { WebviewToHost } from '../../shared/protocol';
import { savingText } from '../format';

/** The route line of `message` (none for a reply the router did not route); the button once the reply has ended. */
export function routeLine(message: ChatMessage): HTMLElement[] {
  const route = message.route;
  if (!route || message.role !== 'assistant') return [];
  const line = document.createElement('div');
  line.className = 'route';
  const alt = route.alternative;
  const text = document.createElement('span');
  text.className = 'route-reason';
  text.textContent = alt ? `${route.reason} · ${savingText(alt)}` : route.reason;
  line.append(text);
  if (alt && message.status !== 'streaming') {
    const ask = document.createElement('button');
    ask.type = 'button';
    ask.className = 'reask';
    ask.textContent = l10n.t('Ask {0}', alt.model);
    ask.setAttribute('aria-label', l10n.t('Ask {0}: ask this question again with the stronger model', alt.model));
    ask.title = l10n.t('Ask this question again with {0}; its reply replaces this one', alt.model);
    ask.dataset.reaskModel = alt.model;
    line.append(' ', ask);
  }
  return [line];
}

/** Posts `chat/reask` for a click (or Enter/Space) on a route line's button anywhere under `root`. */
export function routeReaskClicks(
  root: HTMLElement,
  post: (msg: WebviewToHost) => void,
  newRequestId: () => string,
): void {
  root.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest<HTMLElement>('button.reask') : null;
    const model = button?.dataset.reaskModel;
    const messageId = button?.closest<HTMLElement>('article.message')?.dataset.id;
    if (!button || !root.contains(button) || !model || !messageId) return;
    post({ type: 'chat/reask', requestId: newRequestId(), messageId, model });
  });
}
