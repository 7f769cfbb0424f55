// The registry of tokenizers: each encoding is loaded on first use and shared afterwards, with its non-blocking
// counter (sliced on this thread by default, so the extension host is never blocked for more than ~16 ms at a time;
// or worker-backed when configured).
import type { Encoding } from './models';
import { loadEncoding } from './encodings';
import { slicedCounter } from './slicing';
import type { AsyncTokenCounter, TokenCounter } from './tokenCounter';

export interface TokenizersOptions {
  /** Loads an encoding; default `loadEncoding` (tests pass a spy). */
  load?: (encoding: Encoding) => Promise<TokenCounter>;
  /** Makes the non-blocking counter for an encoding, e.g. `(encoding) => createWorkerCounter({ workerPath,
   *  encoding })`; default: sliced counting on this thread over `get(encoding)`. */
  asyncCounter?: (encoding: Encoding) => AsyncTokenCounter & { dispose?(): Promise<void> };
}

/** Registry of tokenizers: each encoding is loaded on first use and shared afterwards. Pass one instance around
 *  (in the host's deps object) instead of a module-level singleton. */
export class Tokenizers {
  private readonly loads = new Map<Encoding, Promise<TokenCounter>>();
  private readonly asyncCounters = new Map<Encoding, AsyncTokenCounter & { dispose?(): Promise<void> }>();

  constructor(private readonly options: TokenizersOptions = {}) {}

  /** The synchronous counter (loads the encoding on this thread on first use). */
  get(encoding: Encoding): Promise<TokenCounter> {
    let p = this.loads.get(encoding);
    if (!p) {
      p = (this.options.load ?? loadEncoding)(encoding);
      this.loads.set(encoding, p);
      p.catch(() => this.loads.delete(encoding)); // a failed load may be retried
    }
    return p;
  }

  /** True once `encoding` has been requested on this thread (for the "nothing loaded at activation" check). */
  isLoaded(encoding: Encoding): boolean {
    return this.loads.has(encoding);
  }

  /** The non-blocking counter for `encoding` (worker-backed when configured, else sliced); nothing loads until
   *  its first call. */
  asyncCounter(encoding: Encoding): AsyncTokenCounter {
    let c = this.asyncCounters.get(encoding);
    if (!c) {
      const sliced = async (): Promise<AsyncTokenCounter> => slicedCounter(await this.get(encoding));
      c = this.options.asyncCounter?.(encoding) ?? {
        encoding,
        count: async (text, signal) => (await sliced()).count(text, signal),
        truncate: async (text, maxTokens, suffix, signal) => (await sliced()).truncate(text, maxTokens, suffix, signal),
      };
      this.asyncCounters.set(encoding, c);
    }
    return c;
  }

  /** Counts `text` without blocking this thread for more than a slice at a time. */
  countAsync(text: string, encoding: Encoding, signal?: AbortSignal): Promise<number> {
    return this.asyncCounter(encoding).count(text, signal);
  }

  /** Stops worker-backed counters. */
  async dispose(): Promise<void> {
    const counters = [...this.asyncCounters.values()];
    this.asyncCounters.clear();
    await Promise.all(counters.map((c) => c.dispose?.()));
  }
}
