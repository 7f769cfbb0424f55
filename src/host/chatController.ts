// Connects the chat service to the panel: turns a send into posts of started/delta/done/error, tracks the busy
// state (the `tally.busy` context key drives the Stop command), and answers the webview's `ready` with the state.
import * as vscode from 'vscode';
import type { ChatSink, SendOptions } from '../core/chat/chatInterfaces';
import type { ChatService } from '../core/chat/chatService';
import { coalesceDeltas, DELTA_INTERVAL_MS } from '../core/chat/deltaCoalescer';
import { reaskRefusal } from '../core/chat/modelChoice';
import { newestPage } from '../core/conversations/messagePages';
import type { ConversationListItem, PanelConfig } from '../shared/protocol';
import type { ChatViewProvider } from './chatViewProvider';
import { refOf, type ConversationsController } from './conversationsController';

export interface ChatControllerDeps {
  service: ChatService;
  view: ChatViewProvider;
  panelConfig(): Promise<PanelConfig>;
  newId(prefix: string): string;
  conversations: ConversationsController;
}

export class ChatController {
  private estimating: AbortController | undefined;
  private lastSend: { text: string; options: SendOptions } | undefined;
  /** How often the panel paints a streaming reply, as it last said (`stream/pace`); stream pieces go no more often. */
  private paceMs = DELTA_INTERVAL_MS;

  constructor(private readonly deps: ChatControllerDeps) {}

  /** The panel paints a streaming reply at most every `ms` (validated: STREAM_PACE_MS). A reply streaming now
   *  follows it from its next interval. */
  setPace(ms: number): void {
    this.paceMs = ms;
  }

  /** Sends a user turn. Resolves when the reply has ended (complete, stopped or failed). */
  async send(text: string, requestId = this.deps.newId('r'), options: SendOptions = {}): Promise<void> {
    this.lastSend = { text, options };
    await this.run((sink) => this.deps.service.send(requestId, text, sink, options), requestId);
  }

  /** "Send this one anyway" after a budget refusal: the refused text again, past the budget check. */
  async sendAnyway(): Promise<void> {
    if (!this.lastSend) return;
    await this.send(this.lastSend.text, undefined, { ...this.lastSend.options, ignoreBudget: true });
  }

  /** Regenerate: the last turn again, asking the API even when the cache has an answer. */
  async regenerate(requestId = this.deps.newId('r')): Promise<void> {
    await this.run((sink) => this.deps.service.retry(requestId, sink, { bypassCache: true }), requestId);
  }

  /** "Ask gpt-4o": the latest reply, which the router sent to a cheaper model, asked again with `model` (its
   *  alternative), replacing it like Regenerate does. Any other reply or model is refused with a message. */
  async reask(messageId: string, model: string, requestId = this.deps.newId('r')): Promise<void> {
    const refusal = reaskRefusal(this.deps.service.history, messageId, model);
    if (refusal) {
      void vscode.window.showInformationMessage(refusal);
      return;
    }
    await this.run((sink) => this.deps.service.retry(requestId, sink, { bypassCache: true, model }), requestId);
  }

  /** Sends the last user turn again, replacing the reply that followed it. */
  async retry(requestId = this.deps.newId('r')): Promise<void> {
    await this.run((sink) => this.deps.service.retry(requestId, sink), requestId);
  }

  private async run(work: (sink: ChatSink) => Promise<void>, requestId: string): Promise<void> {
    const { service, view } = this.deps;
    // Stream pieces go to the panel coalesced (at most one post per interval the panel paints at); every other call
    // posts the queued text first.
    const sink = coalesceDeltas(
      {
        started: (user, assistant) => view.post({ type: 'chat/started', requestId, user, assistant }),
        delta: (t) => view.post({ type: 'chat/delta', requestId, text: t }),
        done: (assistant) => view.post({ type: 'chat/done', requestId, assistant }),
        error: (error, assistant) =>
          view.post({ type: 'chat/error', requestId, error, ...(assistant ? { assistant } : {}) }),
        removed: (fromMessageId) => view.post({ type: 'chat/removed', fromMessageId }),
        retrying: (notice) => view.post({ type: 'chat/retrying', requestId, notice }),
        notice: (text) => view.post({ type: 'chat/notice', requestId, text }),
      },
      () => this.paceMs,
    );
    await vscode.commands.executeCommand('setContext', 'tally.busy', true);
    try {
      await work(sink);
    } finally {
      sink.flush();
      await vscode.commands.executeCommand('setContext', 'tally.busy', service.busyRequestId !== undefined);
      view.post({ type: 'conversation/titled', conversation: refOf(service.current) });
      await this.deps.conversations.rememberCurrent();
    }
  }

  /** Answers a draft estimate; a newer draft aborts the estimate of the previous one. */
  async estimate(seq: number, text: string): Promise<void> {
    this.estimating?.abort();
    const controller = new AbortController();
    this.estimating = controller;
    try {
      const plan = await this.deps.service.estimate(text, controller.signal);
      if (controller.signal.aborted) return;
      this.deps.view.post({
        type: 'draft/estimated',
        estimate: {
          seq,
          model: plan.model.id,
          promptTokens: plan.promptTokens,
          maxReplyTokens: plan.maxReplyTokens,
          droppedCount: plan.droppedCount,
          ...(plan.minUsd !== undefined ? { minUsd: plan.minUsd } : {}),
          ...(plan.maxUsd !== undefined ? { maxUsd: plan.maxUsd } : {}),
          ...(plan.truncation ? { truncation: plan.truncation.notice } : {}),
        },
      });
    } catch (e) {
      if (!controller.signal.aborted) throw e;
    } finally {
      if (this.estimating === controller) this.estimating = undefined;
    }
  }

  stop(requestId?: string): boolean {
    return this.deps.service.cancel(requestId);
  }

  newChat(): void {
    this.deps.service.clear();
    this.deps.view.post({ type: 'chat/cleared', conversation: refOf(this.deps.service.current) });
  }

  /** The full state for a webview that just loaded. */
  async sendInit(): Promise<void> {
    const { service, view } = this.deps;
    // A panel that has just loaded has not painted a stream yet: the default pace until it says otherwise.
    this.paceMs = DELTA_INTERVAL_MS;
    await this.deps.conversations.restoreLast();
    const busy = service.busyRequestId;
    view.post({
      type: 'init',
      config: await this.deps.panelConfig(),
      conversation: refOf(service.current),
      ...newestPage(service.history),
      ...(busy ? { busyRequestId: busy } : {}),
    });
  }

  postList(query: string, items: ConversationListItem[]): void {
    this.deps.view.post({ type: 'conversations/listed', query, items });
  }

  async configChanged(): Promise<void> {
    this.deps.view.post({ type: 'config/changed', config: await this.deps.panelConfig() });
  }
}
