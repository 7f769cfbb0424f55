// Context fitting: which messages of a conversation are sent, within a token budget.
//
// Linear and cached: each message is counted at most once per encoding (the count is stored on the message, see
// chatFormat.ts), then the history is walked from the newest message backwards, adding messages while they fit.
// Nothing older than the first message that does not fit is visited, so a new turn costs one tokenizer call (the
// new message) plus a walk over the messages that are sent. The seed instead recounted the whole list after each
// pop(0), quadratic in the history length (bench/trimming.ts measures both).
//
// Invariants (test/unit/context.test.ts): the prompt never exceeds the budget; the system prompt and the newest
// message are always sent; order is preserved; the history sent is a contiguous, most recent run (no gaps); at
// most `maxMessages` non-system messages. If the system prompt and the newest message alone do not fit, the
// newest message's content is cut at a token boundary, marked, and reported in `truncation.notice`.
import * as l10n from '@vscode/l10n';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { formatTokens } from '../../shared/format';
import type { Encoding, ModelInfo } from './models';
import { messageTokenSteps, overheadSteps, REPLY_PRIMING_TOKENS, type CountableMessage } from './chatFormat';
import { runSteps, truncateSteps } from './slicing';
import type { AsyncTokenCounter, TokenCounter, Truncation } from './tokenCounter';

/** Appended to a cut input so that the model, and the user reading the sent prompt, can see the cut. */
export const TRUNCATION_MARKER = '\n…[truncated]';

export interface FitOptions<M extends CountableMessage> {
  /** Always sent first when present. */
  system?: M;
  /** Earlier messages, oldest first. */
  history: readonly M[];
  /** The new user turn: always sent, truncated if it cannot fit otherwise. */
  newest: M;
  /** Tokens the prompt may use: see `promptBudget`. */
  budgetTokens: number;
  /** Most non-system messages to send, the newest included (default: no limit). */
  maxMessages?: number;
  /** How the notice names a cut input: "selection" for an editor selection (default "input"). */
  inputLabel?: string;
}

export interface FitResult<M extends CountableMessage> {
  /** What to send, in order: system (if any), the kept history, the newest message (possibly a truncated copy). */
  messages: M[];
  /** History messages left out (the oldest ones). */
  droppedCount: number;
  /** Prompt tokens of `messages` in the chat format (= the API's expected `usage.prompt_tokens`). */
  promptTokens: number;
  truncation?: { fromTokens: number; toTokens: number; notice: string };
}

/** Thrown when the system prompt leaves no room for any input within the budget: nothing sensible can be cut. */
export class ContextBudgetError extends Error {
  constructor(
    readonly systemTokens: number,
    readonly budgetTokens: number,
  ) {
    super(
      l10n.t(
        'The system prompt ({0} tokens) leaves no room for input within the prompt budget of {1} tokens.',
        formatTokens(systemTokens),
        formatTokens(budgetTokens),
      ),
    );
    this.name = 'ContextBudgetError';
  }
}

/**
 * Prompt budget of a request: the context window minus the tokens reserved for the reply. The reply reservation is
 * the configured maximum, capped by what the model can produce.
 */
export function promptBudget(
  model: Pick<ModelInfo, 'contextWindow' | 'maxOutputTokens'>,
  maxReplyTokens: number,
): number {
  const reply = Math.max(0, Math.min(maxReplyTokens, model.maxOutputTokens));
  return Math.max(0, model.contextWindow - reply);
}

/** "selection truncated from 9,000 to 4,000 tokens", in the display language (`label` is already translated). */
export function truncationNotice(label: string, fromTokens: number, toTokens: number): string {
  return l10n.t('{0} truncated from {1} to {2} tokens', label, formatTokens(fromTokens), formatTokens(toTokens));
}

// The algorithm is written once, as steps that ask for counts and truncations; `fitContext` answers them on the
// spot and `fitContextAsync` answers them without blocking (sliced or in a worker).
type Ask = { kind: 'count'; text: string } | { kind: 'truncate'; text: string; maxTokens: number; suffix: string };
type Answer = number | Truncation;
type Steps<R> = Generator<Ask, R, Answer>;

function* askCount(text: string): Steps<number> {
  const n = yield { kind: 'count', text };
  if (typeof n !== 'number') throw new TypeError('fitContext: expected a count');
  return n;
}

/** Adapts chatFormat.ts's text-to-count steps (the chat-format rule, with its cache) to this file's asks. */
function* counted(steps: Generator<string, number, number>): Steps<number> {
  let r = steps.next();
  while (!r.done) r = steps.next(yield* askCount(r.value));
  return r.value;
}

function* fitSteps<M extends CountableMessage>(o: FitOptions<M>, encoding: Encoding): Steps<FitResult<M>> {
  const budget = o.budgetTokens;
  const systemTokens = o.system ? yield* counted(messageTokenSteps(o.system, encoding)) : 0;
  const newestTokens = yield* counted(messageTokenSteps(o.newest, encoding));
  const head = o.system ? [o.system] : [];
  let total = systemTokens + newestTokens + REPLY_PRIMING_TOKENS;

  if (total > budget) {
    // The newest input alone does not fit: keep its start, cut at a token boundary, mark the cut, report it.
    const overhead = yield* counted(overheadSteps(o.newest));
    const room = budget - systemTokens - REPLY_PRIMING_TOKENS - overhead;
    const t = yield { kind: 'truncate', text: o.newest.content, maxTokens: room, suffix: TRUNCATION_MARKER };
    if (typeof t === 'number') throw new TypeError('fitContext: expected a truncation');
    if (t.tokens > room) throw new ContextBudgetError(systemTokens, budget);
    const messageTokens = overhead + t.tokens;
    const newest: M = { ...o.newest, content: t.text + TRUNCATION_MARKER, tokenCounts: { [encoding]: messageTokens } };
    const fromTokens = newestTokens - overhead;
    return {
      messages: [...head, newest],
      droppedCount: o.history.length,
      promptTokens: systemTokens + messageTokens + REPLY_PRIMING_TOKENS,
      truncation: {
        fromTokens,
        toTokens: t.prefixTokens,
        notice: truncationNotice(o.inputLabel ?? l10n.t('input'), fromTokens, t.prefixTokens),
      },
    };
  }

  // Walk back from the newest history message while it fits; stop at the first one that does not (no gaps).
  const maxHistory = Math.max(0, Math.floor(o.maxMessages ?? Infinity) - 1);
  const stop = Math.max(0, o.history.length - maxHistory);
  let first = o.history.length;
  while (first > stop) {
    const n = yield* counted(messageTokenSteps(o.history[first - 1], encoding));
    if (total + n > budget) break;
    total += n;
    first--;
  }
  return {
    messages: [...head, ...o.history.slice(first), o.newest],
    droppedCount: first,
    promptTokens: total,
  };
}

/** Fits a conversation into the budget, counting synchronously (small inputs, tests, worker threads). */
export function fitContext<M extends CountableMessage>(o: FitOptions<M> & { counter: TokenCounter }): FitResult<M> {
  const steps = fitSteps(o, o.counter.encoding);
  let r = steps.next();
  while (!r.done) {
    const ask = r.value;
    r = steps.next(
      ask.kind === 'count'
        ? o.counter.count(ask.text)
        : runSteps(truncateSteps(ask.text, ask.maxTokens, ask.suffix, o.counter)),
    );
  }
  return r.value;
}

/** The same fit without blocking the thread: counts and truncations go through an AsyncTokenCounter (sliced on
 *  this thread or in a worker). Cached counts cost nothing, so a new turn awaits one count. Many small uncached
 *  messages (a long conversation counted for the first time) each resolve at once, so the loop also lets the
 *  event loop run every `sliceMs` (default 4 ms). */
export async function fitContextAsync<M extends CountableMessage>(
  o: FitOptions<M> & { counter: AsyncTokenCounter; signal?: AbortSignal; sliceMs?: number },
): Promise<FitResult<M>> {
  const steps = fitSteps(o, o.counter.encoding);
  let r = steps.next();
  let since = performance.now();
  while (!r.done) {
    if (performance.now() - since > (o.sliceMs ?? 4)) {
      await nextTurn();
      o.signal?.throwIfAborted();
      since = performance.now();
    }
    const ask = r.value;
    r = steps.next(
      ask.kind === 'count'
        ? await o.counter.count(ask.text, o.signal)
        : await o.counter.truncate(ask.text, ask.maxTokens, ask.suffix, o.signal),
    );
  }
  return r.value;
}
