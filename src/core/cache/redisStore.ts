// The shared response cache in a team's Redis: entries as JSON under `<prefix><key>`, expiry enforced by the server
// (SET … PX); clearing and counting touch only the keys under the prefix. Connecting, timeouts and outages are
// `RedisConnection`'s job: any failure here is a miss / no-op.
// Whoever can write to that Redis can write entries, so nothing read is trusted: at most MAX_CACHE_ENTRY_BYTES are
// fetched (GETRANGE), and `openCacheEntry` checks shape, key, expiry and — with a team secret — the entry's HMAC.
// A value that fails is a miss, removed, and each kind of failure is warned about once per store.
import { silentLogger, systemClock, type Clock, type Logger, type SecretValue } from '../ports';
import {
  MAX_CACHE_ENTRY_BYTES,
  openCacheEntry,
  serializeCacheEntry,
  type CacheEntry,
  type EntryRejection,
} from './cacheEntry';
import type { CacheStore, CacheStoreStats } from './cacheStore';
import { RedisConnection, type RedisClient, type RedisModule } from './redisConnection';
import { WarnOncePerKind } from './warnOncePerKind';

export { displayRedisUrl } from './redisConnection';

export const DEFAULT_REDIS_PREFIX = 'tally:cache:';
/** Stands for a value under our key that is not a string (GETRANGE answered WRONGTYPE). */
const NOT_A_STRING = Symbol('not a string');

export interface RedisStoreOptions {
  /** `redis[s]://[[user][:password]@]host[:port][/db]`. The password never reaches a log line. */
  url: string;
  prefix?: string;
  logger?: Logger;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Background reconnection backoff: first wait and longest wait. Default 500 ms doubling up to 30 s. */
  reconnectDelayMs?: { min: number; max: number };
  /** Loads the client library (replaced in tests that count loads). */
  load?: () => Promise<RedisModule>;
  /** For the expiry check on read. */
  clock?: Clock;
  /** The team secret: when one is set, entries are written with an HMAC and only entries with a valid one are read. */
  teamSecret?: SecretValue;
  /** Largest value read back; default MAX_CACHE_ENTRY_BYTES. */
  maxEntryBytes?: number;
}

export class RedisStore implements CacheStore {
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly maxEntryBytes: number;
  private readonly rejections: WarnOncePerKind<EntryRejection>;
  private readonly connection: RedisConnection;

  constructor(private readonly options: RedisStoreOptions) {
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_CACHE_ENTRY_BYTES;
    this.rejections = new WarnOncePerKind(this.logger);
    this.connection = new RedisConnection({
      url: options.url,
      logger: this.logger,
      connectTimeoutMs: options.connectTimeoutMs ?? 500,
      commandTimeoutMs: options.commandTimeoutMs ?? 250,
      backoff: options.reconnectDelayMs ?? { min: 500, max: 30_000 },
      // Only ever imported dynamically: the bundle maps this import to a lazily required file.
      load: options.load ?? (() => import('@redis/client')),
    });
  }

  /** Whether the store is connected right now (for a status line). */
  get connected(): boolean {
    return this.connection.connected;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    // One byte past the bound is enough to tell an oversized value, and no more than that is ever transferred.
    // A value of another type (a planted hash or list) is an answer, not an outage: it is a corrupt entry.
    const text = await this.connection.run(undefined, (c) =>
      c.getRange(this.prefix + key, 0, this.maxEntryBytes).catch((e: unknown) => {
        if (/^WRONGTYPE/.test((e as Error)?.message ?? '')) return NOT_A_STRING;
        throw e;
      }),
    );
    if (text === undefined || text === '') return undefined; // GETRANGE answers '' for a missing key
    const secret = await this.secret();
    const checked =
      typeof text !== 'string'
        ? { ok: false as const, rejection: 'corrupt' as const, error: 'not a string value' }
        : openCacheEntry(text, {
            key,
            now: this.clock.now(),
            maxBytes: this.maxEntryBytes,
            ...(secret ? { secret } : {}),
          });
    if (checked.ok) return checked.entry;
    this.rejections.log(
      checked.rejection,
      `Redis cache: ignored and removed the entry ${this.prefix}${key} (${checked.error})`,
    );
    await this.delete(key);
    return undefined;
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (entry.key !== key) throw new Error(`Redis cache: refusing an entry for another key under "${key}"`);
    const px = Math.max(1, Math.round(ttlMs));
    const text = serializeCacheEntry(entry, await this.secret());
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxEntryBytes)
      return this.logger.debug(`Redis cache: a ${bytes}-byte entry is over the bound; not stored`);
    await this.connection.run(undefined, (c) =>
      c.set(this.prefix + key, text, { expiration: { type: 'PX', value: px } }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.connection.run(undefined, (c) => c.unlink(this.prefix + key));
  }

  /** Removes the keys under the prefix only (SCAN + UNLINK, never FLUSHDB). Throws when Redis is unreachable. */
  async clear(): Promise<void> {
    await this.scanKeys((c, keys) => c.unlink(keys));
  }

  /** Counts the keys under the prefix. Throws when Redis is unreachable. */
  async stats(): Promise<CacheStoreStats> {
    let entries = 0;
    await this.scanKeys(async (_c, keys) => {
      entries += keys.length;
    });
    return { entries };
  }

  async dispose(): Promise<void> {
    await this.connection.dispose();
  }

  /** Calls `each` with batches of keys under the prefix, each batch within the command timeout. */
  private async scanKeys(each: (c: RedisClient, keys: string[]) => Promise<unknown>): Promise<void> {
    await this.connection.runOrThrow(async (client, bounded) => {
      const batches = client.scanIterator({ MATCH: `${escapeGlob(this.prefix)}*`, COUNT: 500 });
      for (;;) {
        const next = await bounded(batches.next());
        if (next.done) break;
        if (next.value.length > 0) await bounded(each(client, next.value));
      }
    });
  }

  /** The team secret, if one is set. Unreadable: throws (the facade makes that a miss), never reads unchecked. */
  private async secret(): Promise<string | undefined> {
    return (await this.options.teamSecret?.get()) || undefined;
  }
}

/** Escapes a literal for a Redis glob pattern (MATCH). */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, '\\$&');
}
