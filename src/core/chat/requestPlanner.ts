// What exactly a request will send, and what it will cost, before it is sent: the system prompt, as much history
// as fits the model's context window minus the reply budget, and the new turn (truncated, with a notice, if it
// cannot fit). The same plan serves the live estimate of a draft and the real send, so the estimate shown is the
// prompt the API bills (`usage.prompt_tokens`).
import type { ChatMessage } from '../../shared/conversation';
import { ContextBudgetError, fitContextAsync, promptBudget } from '../tokens/contextFit';
import { costOf, type ResolvedModel } from '../tokens/models';
import type { ChatRequestMessage } from '../api/chatClient';
import type { CountableMessage } from '../tokens/chatFormat';
import type { Tokenizers } from '../tokens/tokenizers';

export interface PlanInput {
  model: ResolvedModel;
  systemPrompt: string;
  /** The conversation so far (oldest first); empty and still-streaming replies are not sent. */
  history: readonly ChatMessage[];
  /** The new user turn. */
  text: string;
  maxReplyTokens: number;
  maxHistoryMessages?: number;
  /** How a truncation notice names the input: "selection" for Explain Selection. */
  inputLabel?: string;
  signal?: AbortSignal;
}

export interface RequestPlan {
  messages: ChatRequestMessage[];
  promptTokens: number;
  /** Reply budget actually requested (the setting, capped by the model's maximum output). */
  maxReplyTokens: number;
  droppedCount: number;
  truncation?: { fromTokens: number; toTokens: number; notice: string };
  /** The new turn's counts, to store on the user message when it was sent whole. */
  newestTokenCounts?: ChatMessage['tokenCounts'];
  /** Cost from input only to input plus the whole reply budget; undefined when the model's price is unknown. */
  minUsd?: number;
  maxUsd?: number;
}

export { ContextBudgetError };

export class RequestPlanner {
  /** The system prompt as a countable message, kept so its count is cached across requests. */
  private system: CountableMessage | undefined;

  constructor(private readonly tokenizers: Tokenizers) {}

  async plan(input: PlanInput): Promise<RequestPlan> {
    const { model } = input;
    const maxReplyTokens = Math.max(1, Math.min(input.maxReplyTokens, model.maxOutputTokens));
    if (input.systemPrompt.trim() && this.system?.content !== input.systemPrompt) {
      this.system = { role: 'system', content: input.systemPrompt };
    }
    const system = input.systemPrompt.trim() ? this.system : undefined;
    const history = input.history.filter(
      (m) => m.role !== 'system' && m.content.length > 0 && m.status !== 'streaming',
    );
    const newest: CountableMessage = { role: 'user', content: input.text };
    const fit = await fitContextAsync({
      ...(system ? { system } : {}),
      history,
      newest,
      budgetTokens: promptBudget(model, maxReplyTokens),
      ...(input.maxHistoryMessages ? { maxMessages: input.maxHistoryMessages } : {}),
      inputLabel: input.inputLabel ?? 'input',
      counter: this.tokenizers.asyncCounter(model.encoding),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const min = costOf({ promptTokens: fit.promptTokens, completionTokens: 0 }, model).usd;
    const max = costOf({ promptTokens: fit.promptTokens, completionTokens: maxReplyTokens }, model).usd;
    return {
      messages: fit.messages.map((m) => ({ role: m.role as 'system' | 'user' | 'assistant', content: m.content })),
      promptTokens: fit.promptTokens,
      maxReplyTokens,
      droppedCount: fit.droppedCount,
      ...(fit.truncation ? { truncation: fit.truncation } : { newestTokenCounts: newest.tokenCounts }),
      ...(min !== undefined ? { minUsd: min } : {}),
      ...(max !== undefined ? { maxUsd: max } : {}),
    };
  }
}
