// One conversation's chat loop: append the user's turn, stream the reply through the ChatClient, keep what arrived
// whatever happens (done, stopped, failed), and report each step to a ChatSink (the panel). Cancellation is by
// requestId and takes effect at once: the AbortSignal reaches the HTTP request.
import type { ChatMessage } from '../../shared/conversation';
import type { ErrorView } from '../../shared/errors';
import type { ResolvedModel } from '../tokens/models';
import type { ChatClient, ChatRequest } from '../api/chatClient';
import { ContextBudgetError, RequestPlanner, type RequestPlan } from './requestPlanner';
import type { Tokenizers } from '../tokens/tokenizers';
import type { Conversation } from '../conversations/codec';
import type { Accountant, ReplyAccounting } from '../usage/accounting';
import { cacheInputFor, type CacheKeyInput } from '../cache/cacheKey';
import type { CacheHit, ResponseCache } from '../cache/responseCache';
import type { ConversationStore } from '../conversations/store';
import type { Endpoint } from '../api/endpoint';
import { EndpointRefusedError } from '../api/endpointPolicy';
import { redactErrorView } from '../api/redact';
import type { Clock, Logger } from '../ports';
import { streamReply, type AttemptRecord, type StreamOutcome } from '../api/replyStream';
import { headroomWarning, readRateLimits, type RateLimitSnapshot } from '../api/rateLimits';
import { errorMessage } from '../errorMessage';
import type { ChatSettings, ChatSink, SendOptions } from './chatInterfaces';

export interface ChatServiceDeps {
  client: ChatClient;
  /** The endpoint with its key, or undefined when no API key is set; rejects with EndpointRefusedError when the
   *  configured endpoint may not be used (nothing is sent then). */
  endpoint(): Promise<Endpoint | undefined>;
  settings(): ChatSettings;
  logger: Logger;
  clock: Clock;
  newId(prefix: string): string;
  /** Jitter source for backoff (tests make it fixed). */
  random?: () => number;
  onAttempt?(record: AttemptRecord): void;
  tokenizers: Tokenizers;
  /** The registry entry for a model id (with the user's overrides). */
  resolveModel(id: string): ResolvedModel;
  /** Where conversations are kept (per workspace). */
  store: ConversationStore;
  /** Budgets and the usage ledger. */
  accountant?: Accountant;
  /** The response cache (absent or mode off: every request goes to the API). */
  cache?: ResponseCache;
}

const NO_KEY: ErrorView = {
  kind: 'noApiKey',
  message: 'No API key is set. Run "Tally: Set API Key" or set the OPENAI_API_KEY environment variable.',
  actions: ['setApiKey'],
};

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
        message: 'A reply is still arriving. Stop it before sending another message.',
        actions: [],
      });
      return;
    }
    const controller = new AbortController();
    this.active.set(requestId, controller);
    try {
      const endpoint = await this.resolveEndpoint(sink);
      if (endpoint === null) return;
      if (!endpoint) {
        sink.error(NO_KEY);
        return;
      }
      const settings = this.deps.settings();
      const model = this.deps.resolveModel(settings.model);
      const plan = await this.planOrReport(settings, model, text, options.inputLabel, controller.signal, sink);
      if (!plan) return;
      const request: ChatRequest = {
        model: settings.model,
        messages: plan.messages,
        maxTokens: plan.maxReplyTokens,
        ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
      };
      // A cached reply costs nothing, so it is looked up before the budget check: a budget never refuses a free answer.
      const cacheInput = cacheInputFor(endpoint.baseUrl, request);
      const hit = await this.deps.cache?.lookup(cacheInput, {
        bypass: options.bypassCache === true,
        maxReplyChars: settings.maxReplyChars,
      });
      const verdict = hit
        ? undefined
        : await this.deps.accountant?.check({
            requestId,
            conversationId: this.conversation.id,
            model,
            promptTokens: plan.promptTokens,
            maxReplyTokens: plan.maxReplyTokens,
            ...(plan.maxUsd !== undefined ? { maxUsd: plan.maxUsd } : {}),
            ...(options.ignoreBudget ? { ignoreBudget: true } : {}),
          });
      if (verdict?.refuse) {
        sink.error(verdict.refuse);
        return;
      }
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
        model: settings.model,
        status: 'streaming',
      };
      const conversation = this.conversation;
      conversation.messages.push(user, assistant);
      conversation.model = settings.model;
      this.deps.store.scheduleSave(conversation);
      sink.started(user, { ...assistant });
      const notices = [
        plan.truncation ? `${plan.truncation.notice[0].toUpperCase()}${plan.truncation.notice.slice(1)}.` : undefined,
        headroomWarning(this.rateLimits, plan.promptTokens + plan.maxReplyTokens, clock.now()),
        verdict?.warning,
      ].filter((n) => n !== undefined);
      if (notices.length) sink.notice(notices.join(' '));
      await this.stream(requestId, endpoint, request, conversation, assistant, controller.signal, sink, {
        settings,
        model,
        promptTokens: plan.promptTokens,
        cacheInput,
        ...(hit ? { hit } : {}),
      });
    } finally {
      this.active.delete(requestId);
    }
  }

  /** The endpoint to send to; null (after telling the sink) when the configured one is refused. */
  private async resolveEndpoint(sink: ChatSink): Promise<Endpoint | undefined | null> {
    try {
      return await this.deps.endpoint();
    } catch (e) {
      if (!(e instanceof EndpointRefusedError)) throw e;
      this.deps.logger.warn(`chat: ${e.message}`);
      sink.error(e.view);
      return null;
    }
  }

  /** The plan for sending `text` now: what would go out and what it would cost (the live estimate of a draft). */
  async estimate(text: string, signal?: AbortSignal): Promise<RequestPlan & { model: ResolvedModel }> {
    const settings = this.deps.settings();
    const model = this.deps.resolveModel(settings.model);
    return { ...(await this.plan(settings, model, text, { ...(signal ? { signal } : {}) })), model };
  }

  /** The one place a request is planned, for the estimate and the send alike, from settings read once by the caller. */
  private plan(
    settings: ChatSettings,
    model: ResolvedModel,
    text: string,
    extra: { inputLabel?: string; signal?: AbortSignal },
  ): Promise<RequestPlan> {
    return this.planner.plan({
      model,
      systemPrompt: settings.systemPrompt,
      history: this.conversation.messages,
      text,
      maxReplyTokens: settings.maxReplyTokens,
      ...extra,
    });
  }

  private async planOrReport(
    settings: ChatSettings,
    model: ResolvedModel,
    text: string,
    inputLabel: string | undefined,
    signal: AbortSignal,
    sink: ChatSink,
  ): Promise<RequestPlan | undefined> {
    try {
      return await this.plan(settings, model, text, { ...(inputLabel ? { inputLabel } : {}), signal });
    } catch (e) {
      if (signal.aborted) return undefined;
      if (e instanceof ContextBudgetError) {
        sink.error({
          kind: 'contextTooLong',
          message: `${e.message} Shorten the system prompt (tally.systemPrompt) or lower tally.maxReplyTokens.`,
          actions: ['openSettings'],
        });
        return undefined;
      }
      throw e;
    }
  }

  private async stream(
    requestId: string,
    endpoint: Endpoint,
    request: ChatRequest,
    conversation: Conversation,
    assistant: ChatMessage,
    signal: AbortSignal,
    sink: ChatSink,
    ctx: {
      settings: ChatSettings;
      model: ResolvedModel;
      promptTokens: number;
      cacheInput: CacheKeyInput;
      hit?: CacheHit;
    },
  ): Promise<void> {
    const { logger, clock } = this.deps;
    const { settings } = ctx;
    const started = clock.now();
    logger.info(`chat ${requestId}: model=${request.model} messages=${request.messages.length}`);
    const delta = (text: string) => {
      assistant.content += text;
      sink.delta(text);
      this.deps.accountant?.progress(requestId, assistant.content.length);
      this.deps.store.scheduleSave(conversation);
    };
    const { hit, cacheInput } = ctx;
    let apiRequestId: string | undefined;
    const outcome: StreamOutcome = hit
      ? (delta(hit.entry.reply),
        {
          kind: 'complete',
          ...(hit.entry.usage ? { usage: hit.entry.usage } : {}),
          finishReason: hit.entry.finishReason ?? null,
        })
      : await streamReply(
          {
            client: this.deps.client,
            clock,
            logger,
            policy: settings.retryPolicy,
            timeouts: settings.timeouts,
            maxReplyChars: settings.maxReplyChars,
            ...(this.deps.random ? { random: this.deps.random } : {}),
            onAttempt: (r) => {
              apiRequestId = r.apiRequestId ?? apiRequestId;
              this.deps.onAttempt?.(r);
            },
            onHeaders: (headers) => {
              this.rateLimits = readRateLimits(headers, clock.now()) ?? this.rateLimits;
            },
          },
          requestId,
          endpoint,
          request,
          signal,
          { delta, retrying: (notice) => sink.retrying(notice) },
        );
    if (hit) logger.info(`chat ${requestId}: served from the cache (stored ${Math.round(hit.ageMs / 1000)} s ago)`);
    if (outcome.kind === 'complete' && !hit) {
      await this.deps.cache?.store(cacheInput, {
        text: assistant.content,
        ...(outcome.usage ? { usage: outcome.usage } : {}),
        ...(outcome.finishReason ? { finishReason: outcome.finishReason } : {}),
      });
    }
    await this.account(assistant, {
      requestId,
      conversationId: conversation.id,
      model: ctx.model,
      promptTokens: ctx.promptTokens,
      completionText: assistant.content,
      outcome: outcome.kind,
      cacheHit: hit !== undefined,
      ...(outcome.kind === 'complete' && outcome.usage && !hit ? { usage: outcome.usage } : {}),
      ...(hit?.entry.usage ? { savedUsage: hit.entry.usage } : {}),
      ...(apiRequestId ? { apiRequestId } : {}),
    });
    const elapsed = clock.now() - started;
    if (outcome.kind === 'complete') {
      assistant.status = 'complete';
      logger.info(
        `chat ${requestId}: complete in ${elapsed} ms, tokens in=${assistant.usage?.promptTokens ?? '?'} out=${assistant.usage?.completionTokens ?? '?'}`,
      );
      sink.done({ ...assistant });
    } else if (outcome.kind === 'stopped') {
      assistant.status = 'stopped';
      logger.info(`chat ${requestId}: stopped after ${elapsed} ms with ${assistant.content.length} characters`);
      sink.done({ ...assistant });
    } else {
      const view = redactErrorView(outcome.failure.view, endpoint.apiKey);
      logger.warn(
        `chat ${requestId}: failed (${view.kind}${outcome.failure.status ? ` ${outcome.failure.status}` : ''}) after ${elapsed} ms: ${view.detail ?? view.message}${view.requestId ? ` [request ${view.requestId}]` : ''}`,
      );
      if (outcome.afterTokens) {
        assistant.status = 'interrupted';
        sink.error(view, { ...assistant });
      } else {
        conversation.messages.splice(conversation.messages.indexOf(assistant), 1);
        sink.error(view);
      }
    }
    await this.persist(conversation, sink);
  }

  /** Records the request in the usage ledger and puts its usage and cost on the reply (estimated when the API sent none). */
  private async account(assistant: ChatMessage, reply: ReplyAccounting): Promise<void> {
    if (reply.usage) assistant.usage = reply.usage;
    if (reply.cacheHit) {
      assistant.cached = true;
      if (reply.savedUsage) assistant.usage = reply.savedUsage;
    }
    if (!this.deps.accountant) return;
    try {
      const cost = await this.deps.accountant.finish(reply);
      if (!cost) return;
      assistant.usage = cost.usage;
      if (cost.costUsd !== undefined) assistant.costUsd = cost.costUsd;
      if (cost.savedUsd !== undefined) assistant.savedUsd = cost.savedUsd;
    } catch (e) {
      this.deps.logger.error(`recording usage of ${reply.requestId} failed: ${errorMessage(e)}`);
    }
  }

  /** Saves now (a finished reply is always saved); a failure is logged and shown, and the reply stays on screen. */
  private async persist(conversation: Conversation, sink: Pick<ChatSink, 'notice'>): Promise<void> {
    try {
      await this.deps.store.save(conversation);
    } catch (e) {
      const why = errorMessage(e);
      this.deps.logger.error(`saving conversation ${conversation.id} failed: ${why}`);
      sink.notice(`Tally could not save this conversation: ${why}`);
    }
  }

  /** Sends the last user turn again, replacing it and whatever reply followed it (never duplicating text). */
  async retry(requestId: string, sink: ChatSink, options: SendOptions = {}): Promise<void> {
    if (this.active.size > 0) return;
    const messages = this.conversation.messages;
    let index = -1;
    for (let i = messages.length - 1; i >= 0 && index < 0; i--) if (messages[i].role === 'user') index = i;
    if (index < 0) {
      sink.error({ kind: 'unknown', message: 'There is nothing to retry yet.', actions: [] });
      return;
    }
    const [user] = messages.splice(index);
    sink.removed(user.id);
    await this.send(requestId, user.content, sink, options);
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
