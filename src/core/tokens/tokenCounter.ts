// What a token counter is: the synchronous one over a loaded encoding, the non-blocking one (sliced on this thread
// or in a worker), and the result of fitting a text into a token limit. Types only.
import type { Encoding } from './models';

export interface TokenCounter {
  readonly encoding: Encoding;
  count(text: string): number;
  /** Longest prefix of `text`, cut at a token boundary, whose own count is at most `maxTokens`. */
  truncate(text: string, maxTokens: number): string;
}

/** The same operations without blocking: sliced on this thread, or in a worker thread. */
export interface AsyncTokenCounter {
  readonly encoding: Encoding;
  count(text: string, signal?: AbortSignal): Promise<number>;
  truncate(text: string, maxTokens: number, suffix?: string, signal?: AbortSignal): Promise<Truncation>;
}

/** Result of fitting `text + suffix` into a token limit: the kept start of the text (all of it when it fits),
 *  the exact tokens of `text + suffix` (within the limit unless even the bare suffix is not) and of `text` alone. */
export interface Truncation {
  text: string;
  tokens: number;
  prefixTokens: number;
  truncated: boolean;
}
