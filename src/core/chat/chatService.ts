// ChatService, the chat loop's entry point: which conversation is on screen, one reply at a time, cancellation by
// requestId (the AbortSignal reaches the HTTP request at once), and the steps of a send in order: admit it
// (requestGate.ts), put the user's turn and an empty reply in the conversation, fill the reply (replySource.ts),
// and finish it (replyFinisher.ts). Also the live estimate of a draft and retrying the last turn.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../../shared/conversation';
import { joinSentences } from '../../shared/format';
import type { ResolvedModel } from '../tokens/models';
import type { Conversation } from '../conversations/codec';
import { headroomWarning, readRateLimits, type RateLimitSnapshot } from '../api/rateLimits';
import type { ChatServiceDeps, ChatSink, SendOptions } from './chatInterfaces';
import { RequestPlanner, type RequestPlan } from './requestPlanner';
import { admitRequest, planRequest } from './requestGate';
import { produceReply } from './replySource';
import { finishReply } from './replyFinisher';
import { chooseModel, routeRequestOf } from './modelChoice';
import type { RouteDecision } from '../routing/router';

export type { ChatServiceDeps } from './chatInterfaces';

export class ChatService {
  private conversation: Conversation;
  private rateLimits: RateLimitSnapshot | undefined;
  private readonly active = new Map<string, AbortController>();
  private readonly planner: RequestPlanner;

  constructor(private readonly deps: ChatServiceDeps) {
    this.planner = new RequestPlanner(deps.tokenizers);
    this.conversation = deps.store.create();
  }

  /** The conversation on screen. */
  get current(): Conversation {
    return this.conversation;
  }

  get history(): readonly ChatMessage[] {
    return this.conversation.messages;
  }

  /** Shows another conversation (stopping any reply in progress first). */
  setConversation(conversation: Conversation): void {
    this.cancel();
    this.conversation = conversation;
  }

  /** The request that is streaming now, if any. */
  get busyRequestId(): string | undefined {
    return this.active.keys().next().value;
  }

  /** Sends `text` as the user's next turn and streams the reply into `sink`. Resolves when the reply ended. */
  async send(requestId: string, text: string, sink: ChatSink, options: SendOptions = {}): Promise<void> {
    const { clock } = this.deps;
    if (this.active.size > 0) {
      sink.error({
        kind: 'unknown',
        message: l10n.t('A reply is still arriving. Stop it before sending another message.'),
        actions: [],
      });
      return;
    }
    const controller = new AbortController();
    this.active.set(requestId, controller);
    try {
      const signal = controller.signal;
      const admitted = await admitRequest(
        this.deps,
        this.planner,
        { requestId, text, options, signal, conversation: () => this.conversation },
        sink,
      );
      if (!admitted) return;
      const { endpoint, settings, plan, hit } = admitted;
      const user: ChatMessage = {
        id: this.deps.newId('m'),
        role: 'user',
        content: text,
        createdAt: clock.now(),
        ...(plan.newestTokenCounts ? { tokenCounts: { ...plan.newestTokenCounts } } : {}),
      };
      const assistant: ChatMessage = {
        id: this.deps.newId('m'),
        role: 'assistant',
        content: '',
        createdAt: clock.now(),
        model: admitted.request.model,
        status: 'streaming',
        ...(admitted.route ? { route: admitted.route } : {}),
      };
      const conversation = this.conversation;
      conversation.messages.push(user, assistant);
      conversation.model = admitted.request.model;
      this.deps.store.scheduleSave(conversation);
      sink.started(user, { ...assistant });
      const notices = [
        plan.truncation ? asSentence(plan.truncation.notice) : undefined,
        headroomWarning(this.rateLimits, plan.promptTokens + plan.maxReplyTokens, clock.now()),
        admitted.budgetWarning,
      ].filter((n) => n !== undefined);
      if (notices.length) sink.notice(joinSentences(notices));
      const produced = await produceReply(this.deps, {
        requestId,
        endpoint,
        request: admitted.request,
        settings,
        conversation,
        assistant,
        hit,
        signal,
        sink,
        onHeaders: (headers) => {
          this.rateLimits = readRateLimits(headers, clock.now()) ?? this.rateLimits;
        },
      });
      await finishReply(this.deps, {
        requestId,
        endpoint,
        conversation,
        assistant,
        sink,
        model: admitted.model,
        promptTokens: plan.promptTokens,
        cacheInput: admitted.cacheInput,
        hit,
        ...produced,
        // A send routed as a task other than chat comes from a code action (a retry keeps its route).
        surface: options.route && options.route.task !== 'chat' ? 'action' : 'panel',
      });
    } finally {
      this.active.delete(requestId);
    }
  }

  /** The plan for sending `text` now: what would go out and what it would cost (the live estimate of a draft). */
  async estimate(
    text: string,
    signal?: AbortSignal,
    options: Pick<SendOptions, 'model' | 'route'> = {},
  ): Promise<RequestPlan & { model: ResolvedModel; route?: RouteDecision }> {
    const settings = this.deps.settings();
    const { model, route } = await chooseModel(this.deps, settings, text, options, signal);
    const plan = await planRequest(this.planner, this.conversation.messages, settings, model, text, {
      ...(signal ? { signal } : {}),
    });
    return { ...plan, model, ...(route ? { route } : {}) };
  }

  /** Sends the last user turn again, replacing it and whatever reply followed it (never duplicating text). */
  async retry(requestId: string, sink: ChatSink, options: SendOptions = {}): Promise<void> {
    if (this.active.size > 0) return;
    const messages = this.conversation.messages;
    let index = -1;
    for (let i = messages.length - 1; i >= 0 && index < 0; i--) if (messages[i].role === 'user') index = i;
    if (index < 0) {
      sink.error({ kind: 'unknown', message: l10n.t('There is nothing to retry yet.'), actions: [] });
      return;
    }
    const [user, ...replaced] = messages.splice(index);
    sink.removed(user.id);
    // A routed reply is re-routed the same way (same task and measures), unless the retry names its own model.
    const routed = replaced.find((m) => m.route)?.route;
    const again = routed && !options.model && !options.route ? routeRequestOf(routed) : undefined;
    await this.send(requestId, user.content, sink, again ? { ...options, route: again } : options);
  }

  /** Aborts one request, or every request when no id is given. Returns whether anything was aborted. */
  cancel(requestId?: string): boolean {
    const targets = requestId ? [this.active.get(requestId)].filter((c) => c !== undefined) : [...this.active.values()];
    for (const c of targets) c.abort();
    return targets.length > 0;
  }

  /** Starts a new, empty conversation (stopping any reply in progress); it is saved with its first message. */
  clear(): void {
    this.setConversation(this.deps.store.create());
  }
}

/** A notice as a sentence of its own: capitalised and closed with the display language's full stop, unless it is one
 *  already (the truncation notice may come as a phrase, "input truncated from … to … tokens"). */
function asSentence(notice: string): string {
  if (/[.!?。！？]$/.test(notice)) return notice;
  return l10n.t({
    message: '{0}.',
    args: [`${notice.charAt(0).toUpperCase()}${notice.slice(1)}`],
    comment: ['A notice closed as a sentence: {0} is the notice, the period its full stop (。 in Chinese).'],
  });
}
