// An in-process CacheStore: a Map in least-recently-used order with TTL against an injectable clock. For tests of
// the policy, and for a host that wants a cache without storage.
import { systemClock, type Clock } from '../ports';
import type { CacheEntry } from './cacheEntry';
import type { CacheStore, CacheStoreStats } from './cacheStore';

export interface MemoryStoreOptions {
  clock?: Clock;
  /** Most entries kept; the least recently used go first. Default 1000. */
  maxEntries?: number;
}

export class MemoryStore implements CacheStore {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  private readonly entries = new Map<string, { entry: CacheEntry; expiresAt: number }>();
  private readonly clock: Clock;
  private readonly maxEntries: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const slot = this.entries.get(key);
    if (!slot) return undefined;
    this.entries.delete(key);
    if (slot.expiresAt <= this.clock.now()) return undefined;
    this.entries.set(key, slot);
    return structuredClone(slot.entry);
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { entry: structuredClone(entry), expiresAt: this.clock.now() + ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }

  async stats(): Promise<CacheStoreStats> {
    const now = this.clock.now();
    for (const [key, slot] of this.entries) if (slot.expiresAt <= now) this.entries.delete(key);
    return { entries: this.entries.size };
  }

  async dispose(): Promise<void> {
    this.entries.clear();
  }
}
