// One chat message as DOM: role, markdown body, code-block actions, and the usage line under a finished reply.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../../shared/conversation';
import { formatReplyCost } from '../format';
import { MarkdownBody } from './markdownBody';
import { routeLine } from './routeLine';

function statusNote(status: ChatMessage['status']): string | undefined {
  if (status === 'stopped') return l10n.t('Stopped — the reply above is what arrived before you stopped it.');
  if (status === 'interrupted') return l10n.t('Interrupted — the connection failed before the reply finished.');
  return undefined;
}

export class MessageView {
  readonly el: HTMLElement;
  /** The message's id. */
  readonly id: string;
  private readonly body: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly markdown: MarkdownBody;
  private rendered: { content: string; status: ChatMessage['status']; usage: string } | undefined;
  /** The message last shown: the panel's state keeps a message's object while it does not change. */
  private message: ChatMessage | undefined;

  constructor(message: ChatMessage) {
    this.el = document.createElement('article');
    this.el.className = `message ${message.role}`;
    this.id = message.id;
    this.el.dataset.id = message.id;
    const role = document.createElement('div');
    role.className = 'role';
    role.textContent = message.role === 'user' ? l10n.t('You') : message.model ? `Tally · ${message.model}` : 'Tally';
    this.body = document.createElement('div');
    this.body.className = message.role === 'user' ? 'content plain' : 'content markdown';
    this.footer = document.createElement('div');
    this.footer.className = 'footer';
    this.markdown = new MarkdownBody(this.body);
    this.el.append(role, this.body, this.footer);
    this.update(message);
  }

  /** While `message` streams, or when it has just ended, cuts out its newly finished blocks, to be rendered ahead of
   *  the paint that shows them (markdownBody.ts). */
  prepare(message: ChatMessage): void {
    if (message.role === 'user') return;
    if (message.status === 'streaming') this.markdown.prepareStreaming(message.content);
    else this.markdown.prepareFinal(message.content);
  }

  /** Renders about `maxChars` characters of the blocks `prepare` cut out, ahead of the paint, and holds them; the
   *  characters rendered. */
  renderAhead(maxChars: number): number {
    return this.markdown.renderAhead(maxChars);
  }

  /** The characters rendered ahead and held, and whether blocks are left to render. */
  get ahead(): { held: number; more: boolean } {
    return this.markdown.ahead;
  }

  /** Inserts the blocks renderAhead holds; the characters inserted. */
  insertHeld(): number {
    return this.markdown.insertHeld();
  }

  /** Re-renders only what changed since the last call. */
  update(message: ChatMessage): void {
    // A paint of a streaming reply looks at every message in the window; only the reply changed.
    if (message === this.message) return;
    // Blocks cut out for the tasks ahead of the paint are not rendered yet: they are rendered a slice at a time, and
    // the paint that ends those tasks shows the message (main.ts). A paint in between (another host message, the list
    // paging) leaves it as it is rather than render them all in one task.
    if (this.markdown.ahead.more) return;
    this.message = message;
    const usage = message.usage ? formatReplyCost(message) : '';
    const prev = this.rendered;
    if (prev && prev.content === message.content && prev.status === message.status && prev.usage === usage) return;
    const streaming = message.status === 'streaming';
    // Set when the status changes, not at every paint of a stream (each write is an attribute change to style and,
    // with a screen reader on, to the accessibility tree).
    if (!prev || prev.status !== message.status) {
      if (message.status) this.el.dataset.status = message.status;
      // A reply being written is busy: a screen reader in browse mode waits for it (the end is announced once).
      if (streaming) this.el.setAttribute('aria-busy', 'true');
      else this.el.removeAttribute('aria-busy');
    }
    // A reply that just finished is rendered whole once, even when its text did not change.
    if (!prev || prev.content !== message.content || (prev.status === 'streaming' && !streaming)) {
      if (message.role === 'user') this.body.textContent = message.content;
      else if (streaming) this.markdown.showStreaming(message.content);
      else this.markdown.showFinal(message.content);
    }
    if (!prev || prev.status !== message.status || prev.usage !== usage) {
      this.footer.replaceChildren();
      const note = statusNote(message.status);
      if (note) this.footer.append(span('note', note));
      if (usage) this.footer.append(span('usage', usage));
      this.footer.append(...routeLine(message));
    }
    this.rendered = { content: message.content, status: message.status, usage };
  }
}

function span(cls: string, text: string): HTMLElement {
  const s = document.createElement('div');
  s.className = cls;
  s.textContent = text;
  return s;
}
