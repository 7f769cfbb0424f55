// The chat-format rule: how many tokens a message and a whole request cost, with a per-message cache.
import type { Encoding } from './models';
import type { TokenCounter } from './tokenCounter';

// OpenAI's chat format (cookbook "How to count tokens with tiktoken"): every message costs 3 tokens of framing plus
// its role and content, a `name` costs its tokens plus 1, and the reply is primed with 3 more tokens. With these the
// estimate equals the API's `usage.prompt_tokens` for gpt-3.5-turbo-0613 and later, gpt-4, gpt-4o and newer.
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

export interface CountableMessage {
  role: string;
  content: string;
  name?: string;
  /** Cache: tokens of this message in the chat format (framing + role + content + name), per encoding. Stored with
   *  the message so a long history is never recounted; delete it if the content is ever edited. */
  tokenCounts?: Partial<Record<Encoding, number>>;
}

/** These roles are one token in both o200k_base and cl100k_base (asserted in test/unit/tokens.test.ts), so counting a
 *  message costs one tokenizer call for its content. */
const SINGLE_TOKEN_ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant', 'developer', 'tool']);

/** Counts one message as steps: yields each text to count, receives its count, returns the message's tokens. A
 *  cached count is returned without any step; a computed one is stored on the message. Shared by the synchronous
 *  `countMessageTokens` and the sync/async drivers in contextFit.ts, so the rule exists once. */
export function* messageTokenSteps(msg: CountableMessage, encoding: Encoding): Generator<string, number, number> {
  const cached = msg.tokenCounts?.[encoding];
  if (cached !== undefined) return cached;
  const overhead = yield* overheadSteps(msg);
  const total = overhead + (msg.content.length === 0 ? 0 : yield msg.content);
  (msg.tokenCounts ??= {})[encoding] = total;
  return total;
}

/** Framing + role + name tokens of a message (everything but the content). */
export function* overheadSteps(msg: Pick<CountableMessage, 'role' | 'name'>): Generator<string, number, number> {
  const role = SINGLE_TOKEN_ROLES.has(msg.role) ? 1 : yield msg.role;
  const name = msg.name === undefined ? 0 : (yield msg.name) + TOKENS_PER_NAME;
  return TOKENS_PER_MESSAGE + role + name;
}

function runCounting<R>(steps: Generator<string, R, number>, counter: TokenCounter): R {
  let r = steps.next();
  while (!r.done) r = steps.next(counter.count(r.value));
  return r.value;
}

/** Tokens of one message in the chat format, from its cache when present (else counted and cached). */
export function countMessageTokens(msg: CountableMessage, counter: TokenCounter): number {
  return runCounting(messageTokenSteps(msg, counter.encoding), counter);
}

/** Prompt tokens of a whole request: every message plus the reply priming (= the API's `usage.prompt_tokens`). */
export function countChatTokens(messages: readonly CountableMessage[], counter: TokenCounter): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const m of messages) total += countMessageTokens(m, counter);
  return total;
}
