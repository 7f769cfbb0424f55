// The file cache's in-memory index: per key the entry's bytes, recency and expiry as this window knows them, and the
// totals the size bound is checked against. Built once from a folder listing, then kept up to date by this window's
// writes, hits and deletions, so a put never scans the folder. A later listing (stats, or the periodic refresh that
// picks up other windows' entries) is merged in: what changed here since the listing began is newer and is kept.
// The eviction order is expired entries first, then the least recently used.

export interface IndexedEntry {
  bytes: number;
  /** Recency (clock ms): the file's mtime, which every write and hit sets. */
  lastUsed: number;
  /** Infinity while unknown (an entry seen only in a listing: its expiry is checked when it is read). */
  expiresAt: number;
}

/** An entry file as a listing sees it. */
export interface ListedEntry {
  key: string;
  bytes: number;
  mtimeMs: number;
  /** When the listing read it. */
  expiresAt?: number;
}

interface Slot extends IndexedEntry {
  /** The change number of the last write or hit here; 0 for what came from a listing. */
  changed: number;
}

export class EntryIndex {
  private readonly slots = new Map<string, Slot>();
  private totalBytes = 0;
  private changes = 0;

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(key: string): Readonly<IndexedEntry> | undefined {
    return this.slots.get(key);
  }

  /** Records a write or a hit of this window. */
  set(key: string, entry: IndexedEntry): void {
    this.put(key, { ...entry, changed: ++this.changes });
  }

  /** Updates recency only (another window used the entry): not a change of this window. */
  setLastUsed(key: string, lastUsed: number): void {
    const slot = this.slots.get(key);
    if (slot) slot.lastUsed = lastUsed;
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.totalBytes -= slot.bytes;
    this.slots.delete(key);
  }

  clear(): void {
    this.slots.clear();
    this.totalBytes = 0;
  }

  /** Taken before a listing starts; `merge` keeps every change made after it. */
  mark(): number {
    return this.changes;
  }

  /**
   * Makes the index what the listing saw, except for entries written or used here since `mark`: listed files are
   * added or refreshed (size and recency from disk, a known expiry kept), and unchanged keys not listed are gone.
   */
  merge(listed: readonly ListedEntry[], mark: number): void {
    const seen = new Set<string>();
    for (const f of listed) {
      seen.add(f.key);
      const slot = this.slots.get(f.key);
      if (slot && slot.changed > mark) continue;
      this.put(f.key, {
        bytes: f.bytes,
        lastUsed: Math.round(f.mtimeMs),
        expiresAt: f.expiresAt ?? slot?.expiresAt ?? Number.POSITIVE_INFINITY,
        changed: 0,
      });
    }
    for (const [key, slot] of this.slots) if (!seen.has(key) && slot.changed <= mark) this.delete(key);
  }

  /** Keys in eviction order: expired entries first (soonest expiry first), then least recently used. */
  evictionOrder(now: number): string[] {
    const rank = (s: Slot) => (s.expiresAt <= now ? 0 : 1);
    return [...this.slots]
      .sort(
        ([ka, a], [kb, b]) =>
          rank(a) - rank(b) ||
          (rank(a) === 0 ? a.expiresAt - b.expiresAt : a.lastUsed - b.lastUsed) ||
          (ka < kb ? -1 : 1),
      )
      .map(([key]) => key);
  }

  private put(key: string, slot: Slot): void {
    this.totalBytes += slot.bytes - (this.slots.get(key)?.bytes ?? 0);
    this.slots.set(key, slot);
  }
}
