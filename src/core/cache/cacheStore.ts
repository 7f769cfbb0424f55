// The backend port of the response cache. Implementations: FileStore (global storage, the default), RedisStore
// (a team's shared cache), MemoryStore (tests, and a fallback). The policy (modes, bypass, stats) lives in
// responseCache.ts, never in a store.
import type { CacheEntry } from './cacheEntry';

export interface CacheStoreStats {
  entries: number;
  /** Bytes on disk, when the backend knows them cheaply. */
  bytes?: number;
}

/**
 * A key-value store of cache entries with expiry. Contract for every implementation:
 * - `get` never returns an expired, corrupt or wrong-key entry (a corrupt one is removed);
 * - operations may fail (the facade turns a failure into a miss), but a store that can degrade on its own (Redis
 *   down) resolves as a miss / no-op instead;
 * - `dispose` is idempotent and leaves no timers, sockets or handles behind.
 */
export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  /** Stores or replaces the entry; it expires `ttlMs` from now. */
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Removes every entry of this cache (and nothing else). */
  clear(): Promise<void>;
  stats(): Promise<CacheStoreStats>;
  dispose(): Promise<void>;
}
