// Loading an encoding: js-tiktoken is imported on first use only (never at activation); the specifiers below are
// literal so that the bundler maps each to its own lazily loaded file (esbuild.js: LAZY). Loading o200k_base costs
// ~0.5-1 s of CPU and ~130 MB, once per encoding; counting runs at ~1 MB/s. To keep even the load off the host
// thread, use the worker counter (tokenCountWorker.ts).
import type { Tiktoken, TiktokenBPE } from 'js-tiktoken/lite';
import type { Encoding } from './models';
import type { TokenCounter } from './tokenCounter';

function isRanks(v: unknown): v is TiktokenBPE {
  const r = v as Partial<TiktokenBPE> | null;
  return (
    !!r && typeof r.pat_str === 'string' && typeof r.bpe_ranks === 'string' && typeof r.special_tokens === 'object'
  );
}

async function importRanks(encoding: Encoding): Promise<TiktokenBPE> {
  let mod: { default?: unknown };
  // tsconfig's node10 resolution does not read package "exports", so these subpaths have no visible types (Node
  // and esbuild resolve them); the shape is checked at run time instead.
  switch (encoding) {
    case 'o200k_base':
      // @ts-expect-error -- subpath export, see above
      mod = await import('js-tiktoken/ranks/o200k_base');
      break;
    case 'cl100k_base':
      // @ts-expect-error -- subpath export, see above
      mod = await import('js-tiktoken/ranks/cl100k_base');
      break;
  }
  const ranks = mod.default ?? mod;
  if (!isRanks(ranks)) throw new Error(`js-tiktoken ranks for ${encoding} have an unexpected shape`);
  return ranks;
}

/** A TokenCounter over a js-tiktoken instance. Special-token text such as `<|endoftext|>` in user content is
 *  counted as ordinary text (the API does the same) instead of throwing. */
export function tiktokenCounter(encoding: Encoding, tiktoken: Pick<Tiktoken, 'encode' | 'decode'>): TokenCounter {
  const encode = (text: string): number[] => tiktoken.encode(text, [], []);
  return {
    encoding,
    count: (text) => (text.length === 0 ? 0 : encode(text).length),
    truncate(text, maxTokens) {
      const tokens = encode(text);
      if (tokens.length <= maxTokens) return text;
      // Decoding a token prefix can split a UTF-8 sequence, and re-encoding a cut piece can merge differently:
      // step back until the result is a real prefix of `text` that re-counts within the limit.
      for (let k = Math.max(0, maxTokens); k > 0; k--) {
        const prefix = tiktoken.decode(tokens.slice(0, k));
        if (text.startsWith(prefix) && encode(prefix).length <= maxTokens) return prefix;
      }
      return '';
    },
  };
}

/** Loads one encoding (js-tiktoken/lite + that encoding's ranks only). */
export async function loadEncoding(encoding: Encoding): Promise<TokenCounter> {
  const [{ Tiktoken: TiktokenClass }, ranks] = await Promise.all([import('js-tiktoken/lite'), importRanks(encoding)]);
  return tiktokenCounter(encoding, new TiktokenClass(ranks));
}
