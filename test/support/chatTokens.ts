// Prompt-token counting for the fake OpenAI server, with gpt-tokenizer as published (the extension ships the same
// library but merges long pieces with its own code, src/core/tokens/linearMerge.ts); the fully independent check,
// against js-tiktoken, is test/unit/tokenEngine.test.ts.
//
// Rule (OpenAI cookbook "How to count tokens with tiktoken", gpt-3.5-turbo / gpt-4 / gpt-4o families):
//   every message costs 3 tokens + the tokens of each field value (role, content, name); a `name` costs 1 more;
//   the reply is primed with 3 more tokens.
import type * as Encoding from 'gpt-tokenizer/cjs/encoding/o200k_base';

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface ChatContentPart {
  type: string;
  text?: string;
}

export interface ChatMessageLike {
  role: string;
  content?: string | readonly ChatContentPart[] | null;
  name?: string;
}

type Encoder = typeof Encoding;

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;

/** The encoding a chat model uses. Provider prefixes (`openai/gpt-4o`) are ignored; unknown models get o200k_base. */
export function encodingForModel(model: string): EncodingName {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  // gpt-4 and its dated/sized variants (gpt-4-0613, gpt-4-32k, gpt-4-turbo) — but not gpt-4o or gpt-4.1.
  if (name.startsWith('gpt-3.5') || /^gpt-4(-|$)/.test(name)) return 'cl100k_base';
  return 'o200k_base'; // gpt-4o*, gpt-4.1*, gpt-5*, o1*, o3*, o4* and anything unknown
}

// Each encoding's rank table is several MB, so it is required on first use only and then kept.
const encoders = new Map<EncodingName, Encoder>();

function encoder(name: EncodingName): Encoder {
  let enc = encoders.get(name);
  if (!enc) {
    // Literal specifiers so esbuild can bundle them. The `cjs/` subpath is used because it resolves both for
    // tsc (moduleResolution node10 ignores package `exports`) and at run time (exports `./cjs/*`, require only).
    /* eslint-disable @typescript-eslint/no-require-imports */
    enc =
      name === 'cl100k_base'
        ? (require('gpt-tokenizer/cjs/encoding/cl100k_base') as Encoder)
        : (require('gpt-tokenizer/cjs/encoding/o200k_base') as Encoder);
    /* eslint-enable @typescript-eslint/no-require-imports */
    encoders.set(name, enc);
  }
  return enc;
}

/** Tokens in plain text for a model's encoding (special-token strings are counted as ordinary text). */
export function countTextTokens(text: string, model: string): number {
  if (!text) return 0;
  // disallowedSpecial: empty set, so text such as "<|endoftext|>" from a user is encoded, never rejected.
  return encoder(encodingForModel(model)).encode(text, { disallowedSpecial: new Set() }).length;
}

/** The text of a message's content: a string, or the `text` of each text part of an array (images etc. ignored). */
export function contentText(content: ChatMessageLike['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

/** Reads a request body's `messages` (unknown JSON) into ChatMessageLike[]; malformed entries are dropped. */
export function parseChatMessages(v: unknown): ChatMessageLike[] {
  const isRecord = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((m) => ({
    role: typeof m.role === 'string' ? m.role : '',
    content:
      typeof m.content === 'string'
        ? m.content
        : Array.isArray(m.content)
          ? m.content
              .filter(isRecord)
              .map((p) => ({ type: String(p.type), text: typeof p.text === 'string' ? p.text : undefined }))
          : null,
    name: typeof m.name === 'string' ? m.name : undefined,
  }));
}

/** Prompt tokens OpenAI bills for a list of chat messages sent to `model`. */
export function countChatPromptTokens(messages: readonly ChatMessageLike[], model: string): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const m of messages) {
    total += TOKENS_PER_MESSAGE + countTextTokens(m.role, model);
    if (typeof m.content === 'string') {
      total += countTextTokens(m.content, model);
    } else if (Array.isArray(m.content)) {
      // Each text part is tokenized on its own (parts are not concatenated before encoding).
      for (const part of m.content) {
        if (part.type === 'text' && typeof part.text === 'string') total += countTextTokens(part.text, model);
      }
    }
    if (typeof m.name === 'string') total += TOKENS_PER_NAME + countTextTokens(m.name, model);
  }
  return total;
}
