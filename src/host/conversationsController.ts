// The conversations of this workspace in VS Code: open (panel list or quick pick with search), rename, delete with
// confirmation and undo, export as Markdown or JSON, copy as Markdown; the last open conversation comes back after
// a reload. Bodies live in files under the workspace's storage (core/conversations/store.ts), and so does the id of the
// last open one (core/conversations/lastOpened.ts).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ChatService } from '../core/chat/chatService';
import type { Conversation } from '../core/conversations/codec';
import { toJson, toMarkdown } from '../core/conversations/export';
import { newestPage, pageBefore } from '../core/conversations/messagePages';
import { titleFor } from '../core/conversations/titles';
import type { ConversationStore } from '../core/conversations/store';
import type { LastOpened } from '../core/conversations/lastOpened';
import type { ConversationListItem, ConversationRef } from '../shared/protocol';
import type { ChatViewProvider } from './chatViewProvider';
import { errorMessage } from '../core/errorMessage';
import { displayLocale } from '../shared/displayLocale';

/** "12 messages" / "1 message" in the display language. */
const messageCount = (n: number) => (n === 1 ? l10n.t('1 message') : l10n.t('{0} messages', n));

export interface ConversationsDeps {
  store: ConversationStore;
  service: ChatService;
  view: ChatViewProvider;
  lastOpened: LastOpened;
  log: vscode.LogOutputChannel;
}

export function refOf(c: Conversation): ConversationRef {
  return { id: c.id, title: titleFor(c) };
}

export class ConversationsController {
  private restored: Promise<void> | undefined;

  constructor(private readonly deps: ConversationsDeps) {}

  /** Opens the conversation that was open when the window last closed (once; later calls wait for it). */
  restoreLast(): Promise<void> {
    this.restored ??= (async () => {
      const id = await this.deps.lastOpened.get();
      const conv = id ? await this.deps.store.load(id) : undefined;
      if (conv && this.deps.service.current.messages.length === 0) this.deps.service.setConversation(conv);
      this.showWarnings();
    })().catch((e) => this.deps.log.error(`restoring the last conversation failed: ${errorMessage(e)}`));
    return this.restored;
  }

  /** Remembers the conversation on screen for the next reload. */
  async rememberCurrent(): Promise<void> {
    const current = this.deps.service.current;
    if (current.messages.length > 0) await this.deps.lastOpened.set(current.id);
  }

  async list(query: string): Promise<ConversationListItem[]> {
    const { store } = this.deps;
    const summaries = await store.list();
    this.showWarnings();
    if (!query)
      return summaries.map((s) => ({ id: s.id, title: s.title, updatedAt: s.updatedAt, messageCount: s.messageCount }));
    const byId = new Map(summaries.map((s) => [s.id, s]));
    return (await store.search(query)).map((h) => ({
      id: h.id,
      title: h.title,
      updatedAt: byId.get(h.id)?.updatedAt ?? 0,
      messageCount: byId.get(h.id)?.messageCount ?? 0,
      snippet: h.snippet,
    }));
  }

  async open(id: string): Promise<boolean> {
    const conv = await this.deps.store.load(id);
    this.showWarnings();
    if (!conv) {
      void vscode.window.showWarningMessage(
        l10n.t('Tally: that conversation could not be opened (it was deleted or damaged).'),
      );
      return false;
    }
    this.deps.service.setConversation(conv);
    await this.deps.lastOpened.set(conv.id);
    this.deps.view.post({ type: 'conversation/opened', conversation: refOf(conv), ...newestPage(conv.messages) });
    return true;
  }

  /** The panel scrolled back to the first message it was sent: the page before it. A conversation no longer on
   *  screen, or a message no longer in it, is answered with none (the panel then stops asking). */
  more(conversationId: string, beforeId: string): void {
    const current = this.deps.service.current;
    const page = current.id === conversationId ? pageBefore(current.messages, beforeId) : undefined;
    this.deps.view.post({
      type: 'conversation/older',
      conversationId,
      beforeId,
      ...(page ?? { messages: [], olderCount: 0 }),
    });
  }

  /** A quick pick of this workspace's conversations; typing searches titles and content. */
  async pick(): Promise<void> {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
    qp.title = l10n.t('Tally: Open Conversation');
    qp.placeholder = l10n.t('Type to search titles and messages');
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const load = async (query: string) => {
      qp.busy = true;
      const items = await this.list(query);
      if (qp.value.trim() !== query) return;
      qp.items = items.map((i) => ({
        id: i.id,
        label: i.title,
        description: `${messageCount(i.messageCount)} · ${new Date(i.updatedAt).toLocaleString(displayLocale())}`,
        ...(i.snippet ? { detail: i.snippet } : {}),
        alwaysShow: query !== '',
      }));
      qp.busy = false;
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    qp.onDidChangeValue((v) => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(v.trim()), 150);
    });
    qp.onDidAccept(async () => {
      const chosen = qp.selectedItems[0];
      qp.hide();
      if (chosen && (await this.open(chosen.id))) await this.deps.view.reveal();
    });
    qp.onDidHide(() => qp.dispose());
    qp.show();
    await load('');
  }

  async rename(id = this.deps.service.current.id, title?: string): Promise<void> {
    const conv = id === this.deps.service.current.id ? this.deps.service.current : await this.deps.store.load(id);
    if (!conv) return;
    const next =
      title ??
      (await vscode.window.showInputBox({
        title: l10n.t('Rename conversation'),
        value: titleFor(conv),
        prompt: l10n.t('Leave empty to title it from the first question again.'),
      }));
    if (next === undefined) return;
    const renamed = await this.deps.store.rename(id, next);
    if (renamed) this.deps.view.post({ type: 'conversation/titled', conversation: refOf(renamed) });
  }

  /** Deletes after a modal confirmation; the notification that follows offers Undo. */
  async delete(id = this.deps.service.current.id, confirmed = false): Promise<void> {
    const conv = id === this.deps.service.current.id ? this.deps.service.current : await this.deps.store.load(id);
    if (!conv) return;
    if (!confirmed) {
      const del = l10n.t('Delete');
      const count = conv.messages.length;
      const answer = await vscode.window.showWarningMessage(
        l10n.t('Delete the conversation "{0}"?', titleFor(conv)),
        {
          modal: true,
          detail:
            count === 1
              ? l10n.t('1 message. You can undo this right after.')
              : l10n.t('{0} messages. You can undo this right after.', count),
        },
        del,
      );
      if (answer !== del) return;
    }
    const deleted = await this.deps.store.delete(id);
    if (id === this.deps.service.current.id) {
      this.deps.service.clear();
      this.deps.view.post({ type: 'chat/cleared', conversation: refOf(this.deps.service.current) });
    }
    if (!deleted) return;
    const undo = l10n.t('Undo');
    void vscode.window.showInformationMessage(l10n.t('Deleted "{0}".', titleFor(conv)), undo).then(async (choice) => {
      if (choice !== undo) return;
      const restored = await this.deps.store.restore(deleted);
      if (restored) await this.open(restored.id);
    });
  }

  /** Exports the conversation on screen: to a file the user picks (Markdown or JSON) or to the clipboard. */
  async export(format: 'markdown' | 'json' | 'clipboard', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const conv = this.deps.service.current;
    if (conv.messages.length === 0) {
      void vscode.window.showInformationMessage(l10n.t('Tally: this conversation is empty; nothing to export.'));
      return undefined;
    }
    if (format === 'clipboard') {
      await vscode.env.clipboard.writeText(toMarkdown(conv));
      void vscode.window.showInformationMessage(l10n.t('Tally: conversation copied as Markdown.'));
      return undefined;
    }
    const ext = format === 'markdown' ? 'md' : 'json';
    const safe =
      titleFor(conv)
        .replace(/[^\w.-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) || 'conversation';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: l10n.t('Export conversation'),
        saveLabel: l10n.t('Export'),
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${safe}.${ext}`) } : {}),
        filters: format === 'markdown' ? { Markdown: ['md'] } : { JSON: ['json'] },
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(
      uri,
      new TextEncoder().encode(format === 'markdown' ? toMarkdown(conv) : toJson(conv)),
    );
    this.deps.log.info(`exported conversation ${conv.id} as ${format}`);
    return uri;
  }

  private showWarnings(): void {
    for (const w of this.deps.store.takeWarnings()) {
      this.deps.log.warn(w);
      void vscode.window.showWarningMessage(w);
    }
  }
}
