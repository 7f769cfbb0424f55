// The conversation list: a fold at the top of the panel with a search box, one row per conversation (newest first,
// or search hits with their matching text), and per-row Rename and Delete. Clicking a row opens it.
import type { ConversationListItem, WebviewToHost } from '../../shared/protocol';
import type { PanelState } from '../state';
import { el } from './dom';

const when = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export class ConversationList {
  readonly el = el('details', { id: 'conversations' });
  private readonly title = el('span', { id: 'conversation-title' });
  private readonly search = el('input', {
    id: 'conversation-search',
    type: 'search',
    placeholder: 'Search conversations…',
  });
  private readonly items = el('ul', { id: 'conversation-items' });
  private searchTimer = 0;

  constructor(private readonly post: (msg: WebviewToHost) => void) {
    const newChat = el('button', {
      id: 'conversation-new',
      type: 'button',
      className: 'action',
      textContent: 'New Chat',
      title: 'Start a new conversation',
    });
    newChat.addEventListener('click', (e) => {
      e.preventDefault();
      this.post({ type: 'chat/new' });
    });
    this.el.append(
      el('summary', {}, this.title, newChat),
      el('div', { className: 'conversation-body' }, this.search, this.items),
    );
    this.el.addEventListener('toggle', () => {
      if (this.el.open) this.requestList();
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
    this.title.textContent = state.conversation?.title ?? 'New conversation';
    this.title.title = 'Conversations of this workspace';
    const list = state.list;
    if (!list || list.query !== this.search.value.trim()) return;
    this.items.replaceChildren(...list.items.map((item) => this.row(item, item.id === state.conversation?.id)));
    if (list.items.length === 0)
      this.items.append(
        el('li', {
          className: 'empty',
          textContent: list.query ? 'No conversation matches.' : 'No saved conversations yet.',
        }),
      );
  }

  /** Asks for a fresh list if the fold is open (after a save, rename or delete). */
  refresh(): void {
    if (this.el.open) this.requestList();
  }

  private row(item: ConversationListItem, current: boolean): HTMLLIElement {
    const open = el(
      'button',
      { type: 'button', className: 'conversation-open', title: 'Open this conversation' },
      el('span', { className: 'conversation-name', textContent: item.title }),
      el('span', {
        className: 'conversation-meta',
        textContent: `${when.format(item.updatedAt)} · ${item.messageCount} messages`,
      }),
    );
    if (item.snippet) open.append(el('span', { className: 'conversation-snippet', textContent: item.snippet }));
    open.addEventListener('click', () => this.post({ type: 'conversation/open', id: item.id }));
    const rename = el('button', {
      type: 'button',
      className: 'conversation-rename icon',
      textContent: 'Rename',
      title: 'Rename',
    });
    rename.addEventListener('click', () => this.post({ type: 'conversation/rename', id: item.id }));
    const del = el('button', {
      type: 'button',
      className: 'conversation-delete icon',
      textContent: 'Delete',
      title: 'Delete',
    });
    del.addEventListener('click', () => this.post({ type: 'conversation/delete', id: item.id }));
    const li = el('li', { className: `conversation-item${current ? ' current' : ''}` }, open, rename, del);
    li.dataset.id = item.id;
    return li;
  }
}
