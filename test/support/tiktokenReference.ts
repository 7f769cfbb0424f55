// The reference the shipped counter is compared against: js-tiktoken (a devDependency), through the same
// TokenCounter wrapper as the shipped engine, so tests and the bench compare engines and nothing else.
import { Tiktoken } from 'js-tiktoken/lite';
import { bpeCounter } from '../../src/core/tokens/encodings';
import type { Encoding } from '../../src/core/tokens/models';
import type { TokenCounter } from '../../src/core/tokens/tokenCounter';

/** js-tiktoken's counter for `encoding` (loads that encoding's ranks). */
export async function loadTiktokenReference(encoding: Encoding): Promise<TokenCounter> {
  // js-tiktoken's "exports" subpaths have no types under node10 resolution; the module is a plain ranks object.
  const mod: { default?: unknown } =
    encoding === 'o200k_base'
      ? // @ts-expect-error -- subpath export without types, see above
        await import('js-tiktoken/ranks/o200k_base')
      : // @ts-expect-error -- subpath export without types, see above
        await import('js-tiktoken/ranks/cl100k_base');
  const tiktoken = new Tiktoken((mod.default ?? mod) as ConstructorParameters<typeof Tiktoken>[0]);
  return bpeCounter(encoding, { encode: (text) => tiktoken.encode(text, [], []), decode: (t) => tiktoken.decode(t) });
}
