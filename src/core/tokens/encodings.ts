// Loading an encoding: gpt-tokenizer is imported on first use only (never at activation); the specifiers below are
// literal so that the bundler maps each to its own lazily loaded file (esbuild.js: LAZY), one per encoding. Why
// gpt-tokenizer and not js-tiktoken: same counts (test/unit/tokenEngine.test.ts compares them), several times the
// throughput, a faster load and less memory (README, "Tokens and context"; bench/tokenizers.ts). Long pieces are
// merged in O(n log n) (linearMerge.ts) when its guard accepts the library's internals, else by the library's own
// merge (same counts, slow on long runs). Counting runs in the worker (tokenCountWorker.ts), off the host thread.
import type { GptEncoding } from 'gpt-tokenizer/cjs/GptEncoding';
import { installLinearMerge } from './linearMerge';
import type { Encoding } from './models';
import type { TokenCounter } from './tokenCounter';

/** What a counter needs from a BPE library: encode with special-token text treated as ordinary text, and decode. */
export interface BpeCodec {
  encode(text: string): number[];
  /** Token count of `text`; default `encode(text).length`. */
  count?(text: string): number;
  decode(tokens: number[]): string;
}

/** A TokenCounter over a BPE codec. Special-token text such as `<|endoftext|>` in user content is counted as
 *  ordinary text (the API does the same) instead of throwing. */
export function bpeCounter(encoding: Encoding, codec: BpeCodec): TokenCounter {
  const count = codec.count ?? ((text: string) => codec.encode(text).length);
  return {
    encoding,
    count: (text) => (text.length === 0 ? 0 : count(text)),
    truncate(text, maxTokens) {
      const tokens = codec.encode(text);
      if (tokens.length <= maxTokens) return text;
      // Decoding a token prefix can split a UTF-8 sequence, and re-encoding a cut piece can merge differently:
      // step back until the result is a real prefix of `text` that re-counts within the limit.
      for (let k = Math.max(0, maxTokens); k > 0; k--) {
        const prefix = codec.decode(tokens.slice(0, k));
        if (text.startsWith(prefix) && count(prefix) <= maxTokens) return prefix;
      }
      return '';
    },
  };
}

function isEncoding(v: unknown): v is GptEncoding {
  const e = v as Partial<GptEncoding> | null;
  return !!e && typeof e.encode === 'function' && typeof e.countTokens === 'function' && typeof e.decode === 'function';
}

async function importEncoding(encoding: Encoding): Promise<GptEncoding> {
  let mod: { default?: unknown };
  // tsconfig's node10 resolution does not read package "exports", so these subpaths have no visible types (Node
  // and esbuild resolve them); the shape is checked at run time instead.
  switch (encoding) {
    case 'o200k_base':
      // @ts-expect-error -- subpath export, see above
      mod = await import('gpt-tokenizer/encoding/o200k_base');
      break;
    case 'cl100k_base':
      // @ts-expect-error -- subpath export, see above
      mod = await import('gpt-tokenizer/encoding/cl100k_base');
      break;
  }
  if (!isEncoding(mod.default)) throw new Error(`gpt-tokenizer's ${encoding} has an unexpected shape`);
  return mod.default;
}

/** Loads one encoding (gpt-tokenizer with that encoding's ranks only). */
export async function loadEncoding(encoding: Encoding): Promise<TokenCounter> {
  const api = await importEncoding(encoding);
  installLinearMerge(api);
  // An empty disallowed set: special-token text is plain text (nothing allowed as special, nothing throws).
  const asText = { disallowedSpecial: new Set<string>() };
  return bpeCounter(encoding, {
    encode: (text) => api.encode(text, asText),
    count: (text) => api.countTokens(text, asText),
    decode: (tokens) => api.decode(tokens),
  });
}
