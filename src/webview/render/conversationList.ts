// The conversation list: a fold at the top of the panel with a search box, one row per conversation (newest first,
// or search hits with their matching text), and per-row Rename and Delete. Clicking a row opens it.
// Every control is a button (Tab, Enter, Space); the dates follow the display language.
import * as l10n from '@vscode/l10n';
import { formatDateTime, formatTokens } from '../../shared/format';
import type { ConversationListItem, WebviewToHost } from '../../shared/protocol';
import type { PanelState } from '../state';
import { el } from './dom';

export class ConversationList {
  /** The New Chat button and the fold: the button sits beside the fold's summary, not in it (a button inside a
   * summary is a control nested in a control, which screen readers and keyboards handle badly; axe nested-interactive). */
  readonly el = el('div', { id: 'conversation-bar' });
  private readonly fold = el('details', { id: 'conversations' });
  private readonly title = el('span', { id: 'conversation-title' });
  private readonly search = el('input', {
    id: 'conversation-search',
    type: 'search',
    placeholder: l10n.t('Search conversations…'),
  });
  private readonly items = el('ul', { id: 'conversation-items' });
  private searchTimer = 0;

  constructor(private readonly post: (msg: WebviewToHost) => void) {
    const newChat = el('button', {
      id: 'conversation-new',
      type: 'button',
      className: 'action',
      textContent: l10n.t('New Chat'),
      title: l10n.t('Start a new conversation'),
    });
    this.search.setAttribute('aria-label', l10n.t('Search conversations'));
    this.items.setAttribute('aria-label', l10n.t('Conversations'));
    newChat.addEventListener('click', () => this.post({ type: 'chat/new' }));
    this.fold.append(
      el('summary', {}, this.title),
      el('div', { className: 'conversation-body' }, this.search, this.items),
    );
    this.el.append(newChat, this.fold);
    this.fold.addEventListener('toggle', () => {
      if (this.fold.open) this.requestList();
    });
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.requestList(), 150);
    });
  }

  private requestList(): void {
    this.post({ type: 'conversations/list', query: this.search.value.trim() });
  }

  paint(state: PanelState): void {
    this.title.textContent = state.conversation?.title ?? l10n.t('New conversation');
    this.title.title = l10n.t('Conversations of this workspace');
    const list = state.list;
    if (!list || list.query !== this.search.value.trim()) return;
    this.items.replaceChildren(...list.items.map((item) => this.row(item, item.id === state.conversation?.id)));
    if (list.items.length === 0)
      this.items.append(
        el('li', {
          className: 'empty',
          textContent: list.query ? l10n.t('No conversation matches.') : l10n.t('No saved conversations yet.'),
        }),
      );
  }

  /** Asks for a fresh list if the fold is open (after a save, rename or delete). */
  refresh(): void {
    if (this.fold.open) this.requestList();
  }

  private row(item: ConversationListItem, current: boolean): HTMLLIElement {
    const open = el(
      'button',
      { type: 'button', className: 'conversation-open', title: l10n.t('Open this conversation') },
      el('span', { className: 'conversation-name', textContent: item.title }),
      el('span', {
        className: 'conversation-meta',
        textContent: `${formatDateTime(item.updatedAt)} · ${
          item.messageCount === 1 ? l10n.t('1 message') : l10n.t('{0} messages', formatTokens(item.messageCount))
        }`,
      }),
    );
    if (current) open.setAttribute('aria-current', 'true');
    if (item.snippet) open.append(el('span', { className: 'conversation-snippet', textContent: item.snippet }));
    open.addEventListener('click', () => this.post({ type: 'conversation/open', id: item.id }));
    const rename = el('button', {
      type: 'button',
      className: 'conversation-rename icon',
      textContent: l10n.t('Rename'),
      title: l10n.t('Rename'),
    });
    rename.setAttribute('aria-label', l10n.t('Rename "{0}"', item.title));
    rename.addEventListener('click', () => this.post({ type: 'conversation/rename', id: item.id }));
    const del = el('button', {
      type: 'button',
      className: 'conversation-delete icon',
      textContent: l10n.t('Delete'),
      title: l10n.t('Delete'),
    });
    del.setAttribute('aria-label', l10n.t('Delete "{0}"', item.title));
    del.addEventListener('click', () => this.post({ type: 'conversation/delete', id: item.id }));
    const li = el('li', { className: `conversation-item${current ? ' current' : ''}` }, open, rename, del);
    li.dataset.id = item.id;
    return li;
  }
}
