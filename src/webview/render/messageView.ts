// One chat message as DOM: role, markdown body, code-block actions, and the usage line under a finished reply.
import type { ChatMessage } from '../../shared/conversation';
import { formatReplyCost } from '../format';
import { renderMarkdown } from './markdown';

const STATUS_NOTE: Partial<Record<NonNullable<ChatMessage['status']>, string>> = {
  stopped: 'Stopped — the reply above is what arrived before you stopped it.',
  interrupted: 'Interrupted — the connection failed before the reply finished.',
};

export class MessageView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly footer: HTMLElement;
  private rendered: { content: string; status: ChatMessage['status']; usage: string } | undefined;

  constructor(message: ChatMessage) {
    this.el = document.createElement('article');
    this.el.className = `message ${message.role}`;
    this.el.dataset.id = message.id;
    const role = document.createElement('div');
    role.className = 'role';
    role.textContent = message.role === 'user' ? 'You' : message.model ? `Tally · ${message.model}` : 'Tally';
    this.body = document.createElement('div');
    this.body.className = message.role === 'user' ? 'content plain' : 'content markdown';
    this.footer = document.createElement('div');
    this.footer.className = 'footer';
    this.el.append(role, this.body, this.footer);
    this.update(message);
  }

  /** Re-renders only what changed since the last call. */
  update(message: ChatMessage): void {
    const usage = message.usage ? formatReplyCost(message) : '';
    const prev = this.rendered;
    if (prev && prev.content === message.content && prev.status === message.status && prev.usage === usage) return;
    if (message.status) this.el.dataset.status = message.status;
    if (!prev || prev.content !== message.content) {
      if (message.role === 'user') this.body.textContent = message.content;
      else {
        this.body.innerHTML = renderMarkdown(message.content);
        addCodeActions(this.body);
      }
    }
    this.footer.replaceChildren();
    const note = message.status ? STATUS_NOTE[message.status] : undefined;
    if (note) this.footer.append(span('note', note));
    if (usage) this.footer.append(span('usage', usage));
    this.rendered = { content: message.content, status: message.status, usage };
  }
}

function span(cls: string, text: string): HTMLElement {
  const s = document.createElement('div');
  s.className = cls;
  s.textContent = text;
  return s;
}

function addCodeActions(root: HTMLElement): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    if (!code) continue;
    const bar = document.createElement('div');
    bar.className = 'code-actions';
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'code-copy';
    copy.textContent = 'Copy';
    copy.addEventListener('click', () => {
      void navigator.clipboard.writeText(code.textContent ?? '').then(() => { copy.textContent = 'Copied'; });
    });
    bar.append(copy);
    pre.before(bar);
  }
}
