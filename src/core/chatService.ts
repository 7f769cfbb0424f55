// One conversation's chat loop: append the user's turn, stream the reply through the ChatClient, keep what arrived
// whatever happens (done, stopped, failed), and report each step to a ChatSink (the panel). Cancellation is by
// requestId and takes effect at once: the AbortSignal reaches the HTTP request.
import type { ChatMessage, Usage } from '../shared/conversation';
import type { ErrorView } from '../shared/errors';
import type { ChatClient, ChatRequestMessage } from './openaiClient';
import type { Endpoint } from './endpoint';
import { classifyError } from './errors';
import { redactErrorView } from './redact';
import { abortError, type Clock, type Logger } from './ports';

export interface ChatSink {
  started(user: ChatMessage, assistant: ChatMessage): void;
  delta(text: string): void;
  done(assistant: ChatMessage): void;
  error(error: ErrorView, assistant?: ChatMessage): void;
  /** Messages from this id on were taken out of the conversation (a retry replaces them). */
  removed(fromMessageId: string): void;
}

export interface ChatSettings {
  model: string;
  systemPrompt: string;
}

export interface ChatServiceDeps {
  client: ChatClient;
  /** The endpoint with its key, or undefined when no API key is set. */
  endpoint(): Promise<Endpoint | undefined>;
  settings(): ChatSettings;
  logger: Logger;
  clock: Clock;
  newId(prefix: string): string;
}

const NO_KEY: ErrorView = {
  kind: 'noApiKey',
  message: 'No API key is set. Run "Tally: Set API Key" or set the OPENAI_API_KEY environment variable.',
  actions: ['setApiKey'],
};

export class ChatService {
  private messages: ChatMessage[] = [];
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly deps: ChatServiceDeps) {}

  get history(): readonly ChatMessage[] {
    return this.messages;
  }

  /** The request that is streaming now, if any. */
  get busyRequestId(): string | undefined {
    return this.active.keys().next().value;
  }

  /** Sends `text` as the user's next turn and streams the reply into `sink`. Resolves when the reply ended. */
  async send(requestId: string, text: string, sink: ChatSink): Promise<void> {
    const { clock } = this.deps;
    if (this.active.size > 0) {
      sink.error({ kind: 'unknown', message: 'A reply is still arriving. Stop it before sending another message.', actions: [] });
      return;
    }
    const controller = new AbortController();
    this.active.set(requestId, controller);
    try {
      const endpoint = await this.deps.endpoint();
      if (!endpoint) {
        sink.error(NO_KEY);
        return;
      }
      const { model, systemPrompt } = this.deps.settings();
      const user: ChatMessage = { id: this.deps.newId('m'), role: 'user', content: text, createdAt: clock.now() };
      const request = this.requestMessages(systemPrompt, user);
      this.messages.push(user);
      const assistant: ChatMessage = { id: this.deps.newId('m'), role: 'assistant', content: '', createdAt: clock.now(), model, status: 'streaming' };
      this.messages.push(assistant);
      sink.started(user, { ...assistant });
      await this.stream(requestId, endpoint, { model, messages: request }, assistant, controller.signal, sink);
    } finally {
      this.active.delete(requestId);
    }
  }

  private requestMessages(systemPrompt: string, user: ChatMessage): ChatRequestMessage[] {
    const history = this.messages
      .filter((m) => m.role !== 'system' && m.content.length > 0)
      .map((m) => ({ role: m.role, content: m.content }));
    return [
      ...(systemPrompt.trim() ? [{ role: 'system' as const, content: systemPrompt }] : []),
      ...history,
      { role: 'user', content: user.content },
    ];
  }

  private async stream(requestId: string, endpoint: Endpoint, request: { model: string; messages: ChatRequestMessage[] },
    assistant: ChatMessage, signal: AbortSignal, sink: ChatSink): Promise<void> {
    const { logger, clock } = this.deps;
    const started = clock.now();
    let firstTokenAt: number | undefined;
    let usage: Usage | undefined;
    logger.info(`chat ${requestId}: model=${request.model} messages=${request.messages.length}`);
    try {
      for await (const event of this.deps.client.stream(endpoint, request, signal)) {
        if (event.type === 'delta') {
          firstTokenAt ??= clock.now();
          assistant.content += event.text;
          sink.delta(event.text);
        } else if (event.type === 'usage') {
          usage = event.usage;
        } else if (event.type === 'response') {
          logger.info(`chat ${requestId}: response ${event.requestId ?? ''} after ${clock.now() - started} ms`);
        }
      }
      // The SDK's stream ends quietly (no throw) when its signal aborts: that is a Stop, not a complete reply.
      if (signal.aborted) throw abortError();
      assistant.status = 'complete';
      if (usage) assistant.usage = usage;
      logger.info(`chat ${requestId}: complete in ${clock.now() - started} ms, first token after ${firstTokenAt === undefined ? '-' : firstTokenAt - started} ms, tokens in=${usage?.promptTokens ?? '?'} out=${usage?.completionTokens ?? '?'}`);
      sink.done({ ...assistant });
    } catch (err) {
      const classified = classifyError(err, clock.now());
      classified.view = redactErrorView(classified.view, endpoint.apiKey);
      if (signal.aborted || classified.view.kind === 'cancelled') {
        assistant.status = 'stopped';
        logger.info(`chat ${requestId}: stopped after ${clock.now() - started} ms with ${assistant.content.length} characters`);
        sink.done({ ...assistant });
        return;
      }
      logger.warn(`chat ${requestId}: failed (${classified.view.kind}${classified.status ? ` ${classified.status}` : ''}) after ${clock.now() - started} ms: ${classified.view.detail ?? ''}${classified.view.requestId ? ` [request ${classified.view.requestId}]` : ''}`);
      if (assistant.content.length > 0) {
        assistant.status = 'interrupted';
        sink.error(classified.view, { ...assistant });
      } else {
        this.messages.splice(this.messages.indexOf(assistant), 1);
        sink.error(classified.view);
      }
    }
  }

  /** Sends the last user turn again, replacing it and whatever reply followed it (never duplicating text). */
  async retry(requestId: string, sink: ChatSink): Promise<void> {
    if (this.active.size > 0) return;
    let index = -1;
    for (let i = this.messages.length - 1; i >= 0 && index < 0; i--) if (this.messages[i].role === 'user') index = i;
    if (index < 0) {
      sink.error({ kind: 'unknown', message: 'There is nothing to retry yet.', actions: [] });
      return;
    }
    const [user] = this.messages.splice(index);
    sink.removed(user.id);
    await this.send(requestId, user.content, sink);
  }

  /** Aborts one request, or every request when no id is given. Returns whether anything was aborted. */
  cancel(requestId?: string): boolean {
    const targets = requestId ? [this.active.get(requestId)].filter((c) => c !== undefined) : [...this.active.values()];
    for (const c of targets) c.abort();
    return targets.length > 0;
  }

  /** Starts a new, empty conversation (stopping any reply in progress). */
  clear(): void {
    this.cancel();
    this.messages = [];
  }
}
