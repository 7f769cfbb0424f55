// The response cache's policy, over any CacheStore: which requests may be cached (the mode), the key, the TTL,
// Regenerate's bypass, and the session's stats (hits, misses, tokens saved). It never throws into the chat: a
// store that fails is a miss, logged once as a warning and then at debug level. Whatever a store hands back is
// checked once more before it is served (key, expiry, reply size): a failure is a miss, warned about once per kind.
// The chat stores a finished reply with `storeLater`, after the panel has been told it is done: the write runs in the
// background, tracked so that `settled()` and `dispose()` wait for it (nothing is lost at shutdown), and a lookup of
// the same key waits for it (the next question in this window never misses a reply still being written).
import { errorMessage } from '../errorMessage';
import type { Usage } from '../../shared/conversation';
import { maxReplyChars } from '../api/replyStream';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { CACHE_ENTRY_VERSION, type CacheEntry } from './cacheEntry';
import { cacheKeyFor, type CacheKeyInput, type GenerationParams } from './cacheKey';
import type { CacheStore, CacheStoreStats } from './cacheStore';
import { WarnOncePerKind } from './warnOncePerKind';

/** `tally.cache.mode`: never, only requests whose reply is reproducible, or every request. */
export type CacheMode = 'off' | 'deterministic' | 'always';
export const CACHE_MODES: readonly CacheMode[] = ['off', 'deterministic', 'always'];
export const DEFAULT_CACHE_TTL_MS = 60 * 60_000;

export interface ResponseCacheOptions {
  mode: CacheMode;
  /** How long an entry lives; default one hour. */
  ttlMs?: number;
  store: CacheStore;
  clock?: Clock;
  logger?: Logger;
}

export interface CacheHit {
  key: string;
  entry: CacheEntry;
  /** How old the stored reply is, for "cached 12 min ago". */
  ageMs: number;
}

/** A complete reply to store. Only store replies that finished: never a stopped or failed stream. */
export interface ReplyToCache {
  text: string;
  usage?: Usage;
  finishReason?: string;
  /** The model that answered, when the API names it (e.g. a dated snapshot); default the requested model. */
  model?: string;
}

export interface LookupOptions {
  /** Regenerate: skip the lookup (the following `store` replaces the entry). */
  bypass?: boolean;
  /** The reply size limit (characters): a longer cached reply is a miss. Default DEFAULT_MAX_REPLY_CHARS. */
  maxReplyChars?: number | undefined;
}

export interface SavedTokens {
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  /** promptTokens + completionTokens. */
  total: number;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  /** Lookups skipped by Regenerate. */
  bypassed: number;
  stored: number;
  /** Store operations that failed (each counted as a miss or a skipped store). */
  errors: number;
  /** Tokens the hits did not spend (their original usage), over all models. */
  saved: SavedTokens;
  /** The same per model, so the host can price them ("money saved"). */
  savedByModel: Record<string, SavedTokens>;
}

const noSavings = (): SavedTokens => ({ promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, total: 0 });

export class ResponseCache {
  private modeValue: CacheMode;
  private ttl: number;
  private backend: CacheStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private counters = { hits: 0, misses: 0, bypassed: 0, stored: 0, errors: 0 };
  private saved = noSavings();
  private savedByModel = new Map<string, SavedTokens>();
  private warnedStoreError = false;
  private readonly unserved: WarnOncePerKind;
  private disposed = false;
  /** Writes started by `storeLater` and not yet finished, with their keys. */
  private readonly pendingWrites = new Map<Promise<boolean>, string>();

  constructor(options: ResponseCacheOptions) {
    this.modeValue = options.mode;
    this.ttl = validTtl(options.ttlMs);
    this.backend = options.store;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.unserved = new WarnOncePerKind(this.logger);
  }

  get mode(): CacheMode {
    return this.modeValue;
  }

  get ttlMs(): number {
    return this.ttl;
  }

  /** Applies changed settings. A new store replaces (and disposes) the old one; session stats are kept. */
  async configure(update: { mode?: CacheMode; ttlMs?: number; store?: CacheStore }): Promise<void> {
    if (update.mode !== undefined) this.modeValue = update.mode;
    if (update.ttlMs !== undefined) this.ttl = validTtl(update.ttlMs);
    if (update.store !== undefined && update.store !== this.backend) {
      const old = this.backend;
      this.backend = update.store;
      this.warnedStoreError = false;
      await this.settled(); // writes in flight finish in the store they started in
      await old
        .dispose()
        .catch((e: unknown) => this.logger.debug(`Cache: disposing the previous store failed: ${errorMessage(e)}`));
    }
  }

  /**
   * Whether a request with these parameters may be served from or stored in the cache. `deterministic` needs
   * temperature 0 or a fixed seed; an unset temperature is the API's default of 1, so it is not deterministic.
   */
  isCacheable(params: GenerationParams = {}): boolean {
    switch (this.modeValue) {
      case 'off':
        return false;
      case 'always':
        return true;
      case 'deterministic':
        return params.temperature === 0 || (typeof params.seed === 'number' && Number.isFinite(params.seed));
    }
  }

  /** The key, or undefined when the request cannot be keyed (a cycle or BigInt in a parameter). */
  keyFor(input: CacheKeyInput): string | undefined {
    try {
      return cacheKeyFor(input);
    } catch (e) {
      this.logger.debug(`Cache: request not cacheable: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /** The stored reply for this request; undefined when off, not cacheable, bypassed, missing or on any failure. */
  async lookup(input: CacheKeyInput, options: LookupOptions = {}): Promise<CacheHit | undefined> {
    if (this.disposed || !this.isCacheable(input.params)) return undefined;
    if (options.bypass) {
      this.counters.bypassed++;
      return undefined;
    }
    const key = this.keyFor(input);
    if (key === undefined) return undefined;
    await this.writesOf(key);
    let entry: CacheEntry | undefined;
    try {
      entry = await this.backend.get(key);
    } catch (e) {
      this.storeFailed('read', e);
    }
    const problem = entry && this.unservable(entry, key, maxReplyChars(options.maxReplyChars));
    if (!entry || problem) {
      if (problem) this.unserved.log(problem.kind, `Response cache: not serving the entry ${key} (${problem.why})`);
      this.counters.misses++;
      return undefined;
    }
    this.counters.hits++;
    if (entry.usage) this.addSaved(entry.model, entry.usage);
    return { key, entry, ageMs: Math.max(0, this.clock.now() - entry.createdAt) };
  }

  /** Stores (or, after a bypass, replaces) the reply; true when written. Empty replies are not stored. */
  async store(input: CacheKeyInput, reply: ReplyToCache): Promise<boolean> {
    if (this.disposed || !this.isCacheable(input.params) || reply.text === '') return false;
    const key = this.keyFor(input);
    return key === undefined ? false : this.write(key, input, reply);
  }

  /** Stores the reply in the background (off the reply path): returns at once, never throws; see `settled()`. */
  storeLater(input: CacheKeyInput, reply: ReplyToCache): void {
    if (this.disposed || !this.isCacheable(input.params) || reply.text === '') return;
    const key = this.keyFor(input);
    if (key === undefined) return;
    const write = this.write(key, input, reply);
    this.pendingWrites.set(write, key);
    void write.finally(() => this.pendingWrites.delete(write));
  }

  /** Resolves when no write started by `storeLater` is pending. */
  async settled(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all(this.pendingWrites.keys());
  }

  private async writesOf(key: string): Promise<void> {
    for (const [write, writing] of this.pendingWrites) if (writing === key) await write;
  }

  /** Never throws: a failing store is counted and logged. */
  private async write(key: string, input: CacheKeyInput, reply: ReplyToCache): Promise<boolean> {
    const now = this.clock.now();
    const entry: CacheEntry = {
      version: CACHE_ENTRY_VERSION,
      key,
      model: reply.model || input.model,
      reply: reply.text,
      createdAt: now,
      expiresAt: now + this.ttl,
    };
    if (reply.usage) entry.usage = { ...reply.usage };
    if (reply.finishReason) entry.finishReason = reply.finishReason;
    try {
      await this.backend.set(key, entry, this.ttl);
      this.counters.stored++;
      return true;
    } catch (e) {
      this.storeFailed('write', e);
      return false;
    }
  }

  /** This session's counters (since creation or `resetStats`). */
  stats(): ResponseCacheStats {
    return {
      ...this.counters,
      saved: { ...this.saved },
      savedByModel: Object.fromEntries([...this.savedByModel].map(([model, s]) => [model, { ...s }])),
    };
  }

  resetStats(): void {
    this.counters = { hits: 0, misses: 0, bypassed: 0, stored: 0, errors: 0 };
    this.saved = noSavings();
    this.savedByModel = new Map();
  }

  /** Entries (and bytes, when known) held by the store. */
  storeStats(): Promise<CacheStoreStats> {
    return this.backend.stats();
  }

  /** Removes every entry from the store ("Clear Response Cache"). */
  clear(): Promise<void> {
    return this.backend.clear();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.settled();
    await this.backend.dispose();
  }

  private addSaved(model: string, usage: Usage): void {
    const add = (s: SavedTokens) => {
      s.promptTokens += usage.promptTokens;
      s.completionTokens += usage.completionTokens;
      s.cachedPromptTokens += usage.cachedPromptTokens ?? 0;
      s.total += usage.promptTokens + usage.completionTokens;
    };
    add(this.saved);
    let perModel = this.savedByModel.get(model);
    if (!perModel) this.savedByModel.set(model, (perModel = noSavings()));
    add(perModel);
  }

  /** Why a stored entry must not be served (checked here too, as the facade is what serves it), or undefined. */
  private unservable(entry: CacheEntry, key: string, limit: number): { kind: string; why: string } | undefined {
    if (entry.key !== key) return { kind: 'wrongKey', why: 'stored under another key' };
    if (entry.expiresAt <= this.clock.now()) return { kind: 'expired', why: 'expired' };
    if (entry.reply.length > limit)
      return {
        kind: 'replyTooLarge',
        why: `reply of ${entry.reply.length} characters, over the ${limit}-character limit`,
      };
    return undefined;
  }

  private storeFailed(what: 'read' | 'write', e: unknown): void {
    this.counters.errors++;
    const text = `Response cache ${what} failed: ${errorMessage(e)} — continuing without it for this request`;
    if (this.warnedStoreError) {
      this.logger.debug(text);
    } else {
      this.warnedStoreError = true;
      this.logger.warn(text);
    }
  }
}

function validTtl(ttlMs: number | undefined): number {
  return ttlMs !== undefined && Number.isFinite(ttlMs) && ttlMs > 0 ? Math.round(ttlMs) : DEFAULT_CACHE_TTL_MS;
}
