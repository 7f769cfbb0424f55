// The shared response cache: entries as JSON under `<prefix><key>` in a team's Redis, expiry enforced by the server
// (SET … PX). The cache must never slow chatting down, so:
// - the client library loads and connects on first use, and that first use waits at most `connectTimeoutMs`;
// - every command is raced against `commandTimeoutMs`; a timeout or error is a miss / no-op;
// - an outage is warned about once (and its end logged once); meanwhile operations return at once and a background
//   timer (unref'd, with exponential backoff) reconnects. The client's own reconnection and offline queue are off,
//   so no command waits in a queue for a server that is gone.
// Whoever can write to that Redis can write entries, so nothing read is trusted: at most MAX_CACHE_ENTRY_BYTES are
// fetched (GETRANGE), and `openCacheEntry` checks shape, key, expiry and — with a team secret — the entry's HMAC.
// A value that fails is a miss, removed, and each kind of failure is warned about once per store.
import { displayUrl } from '../api/redact';
import { silentLogger, systemClock, type Clock, type Logger, type SecretValue } from '../ports';
import {
  MAX_CACHE_ENTRY_BYTES,
  openCacheEntry,
  serializeCacheEntry,
  type CacheEntry,
  type EntryRejection,
} from './cacheEntry';
import type { CacheStore, CacheStoreStats } from './cacheStore';
import { WarnOncePerKind } from './warnOncePerKind';

type RedisModule = typeof import('@redis/client');
type RedisClient = ReturnType<RedisModule['createClient']>;

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
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly backoff: { min: number; max: number };
  private readonly load: () => Promise<RedisModule>;
  private readonly where: string;
  private readonly clock: Clock;
  private readonly maxEntryBytes: number;
  private readonly rejections: WarnOncePerKind<EntryRejection>;
  private client: RedisClient | undefined;
  private connecting: Promise<boolean> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** True from the warning about an outage until the log line that it is over. */
  private down = false;
  private disposed = false;

  constructor(private readonly options: RedisStoreOptions) {
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.logger = options.logger ?? silentLogger;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 500;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 250;
    this.backoff = options.reconnectDelayMs ?? { min: 500, max: 30_000 };
    this.load = options.load ?? (() => import('@redis/client'));
    this.where = displayRedisUrl(options.url);
    this.clock = options.clock ?? systemClock;
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_CACHE_ENTRY_BYTES;
    this.rejections = new WarnOncePerKind(this.logger);
  }

  /** Whether the store is connected right now (for a status line). */
  get connected(): boolean {
    return this.client?.isReady === true;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    // One byte past the bound is enough to tell an oversized value, and no more than that is ever transferred.
    // A value of another type (a planted hash or list) is an answer, not an outage: it is a corrupt entry.
    const text = await this.run(undefined, (c) =>
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
    await this.run(undefined, (c) => c.set(this.prefix + key, text, { expiration: { type: 'PX', value: px } }));
  }

  async delete(key: string): Promise<void> {
    await this.run(undefined, (c) => c.unlink(this.prefix + key));
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
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.discard(this.client);
    // A connect in flight ends on its own once its client is destroyed; never let dispose hang on it.
    if (this.connecting) await withTimeout(this.connecting, this.connectTimeoutMs).catch(() => undefined);
  }

  /** Runs one command on a ready client within the command timeout; `fallback` on any failure. */
  private async run<T>(fallback: T, command: (c: RedisClient) => Promise<T>): Promise<T> {
    const client = await this.readyClient();
    if (!client) return fallback;
    try {
      const result = await withTimeout(command(client), this.commandTimeoutMs);
      this.recovered();
      return result;
    } catch (e) {
      this.failed(e);
      return fallback;
    }
  }

  /** Calls `each` with batches of keys under the prefix, each batch within the command timeout. */
  private async scanKeys(each: (c: RedisClient, keys: string[]) => Promise<unknown>): Promise<void> {
    const client = await this.readyClient();
    if (!client) throw new Error(`Redis cache at ${this.where} is unreachable`);
    try {
      const batches = client.scanIterator({ MATCH: `${escapeGlob(this.prefix)}*`, COUNT: 500 });
      for (;;) {
        const next = await withTimeout(batches.next(), this.commandTimeoutMs);
        if (next.done) break;
        if (next.value.length > 0) await withTimeout(each(client, next.value), this.commandTimeoutMs);
      }
      this.recovered();
    } catch (e) {
      this.failed(e);
      throw new Error(`Redis cache at ${this.where}: ${this.describe(e)}`, { cause: e });
    }
  }

  /**
   * The client when it is ready. The first use waits for the first connection (up to the connect timeout); during an
   * outage nothing waits: the answer is undefined at once and the background timer keeps trying.
   */
  private async readyClient(): Promise<RedisClient | undefined> {
    if (this.disposed) return undefined;
    if (this.client?.isReady) return this.client;
    if (this.down) return undefined;
    if (!this.connecting && !this.reconnectTimer) this.connecting = this.connect();
    if (!this.connecting) return undefined;
    const ready = await withTimeout(this.connecting, this.connectTimeoutMs).catch((e: unknown) => {
      this.failed(e);
      return false;
    });
    return ready && this.client?.isReady ? this.client : undefined;
  }

  private async connect(): Promise<boolean> {
    let client: RedisClient | undefined;
    try {
      const { createClient } = await this.load();
      if (this.disposed) return false;
      client = createClient({
        url: this.options.url,
        disableOfflineQueue: true,
        commandsQueueMaxLength: 64,
        socket: { connectTimeout: this.connectTimeoutMs, reconnectStrategy: false },
      });
      const self = client;
      // Without an 'error' listener the client's errors would be thrown; the outage is reported by `failed`.
      self.on('error', (e: unknown) => this.logger.debug(`Redis cache: ${this.describe(e)}`));
      // The connection is gone for good ('terminated', as reconnectStrategy is off): start over in the background.
      self.on('terminated', (cause: unknown) => {
        if (this.client !== self || this.connecting) return;
        this.failed(cause);
        this.discard(self);
        this.scheduleReconnect();
      });
      this.client = self;
      // The socket's connectTimeout covers only TCP; this also bounds the handshake (a server that accepts, then
      // hangs). On expiry the client is destroyed below and a fresh attempt is scheduled.
      await withTimeout(self.connect(), Math.max(2 * this.connectTimeoutMs, 1_000));
      if (this.disposed) {
        this.discard(self); // disposed while connecting: the connection that just opened goes too
        return false;
      }
      this.failures = 0;
      this.recovered();
      return true;
    } catch (e) {
      this.discard(client);
      if (this.disposed) return false;
      this.failed(e);
      this.scheduleReconnect();
      return false;
    } finally {
      this.connecting = undefined;
    }
  }

  private scheduleReconnect(): void {
    if (this.disposed || this.reconnectTimer) return;
    const base = Math.min(this.backoff.max, this.backoff.min * 2 ** Math.min(this.failures++, 20));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4)); // jitter, so windows do not retry in step
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.disposed) this.connecting ??= this.connect();
    }, delay);
    this.reconnectTimer.unref(); // never keeps a process (or the extension host) alive
  }

  private discard(client: RedisClient | undefined): void {
    if (!client) return;
    if (this.client === client) this.client = undefined;
    try {
      client.destroy();
    } catch {
      // already closed
    }
  }

  /** The team secret, if one is set. Unreadable: throws (the facade makes that a miss), never reads unchecked. */
  private async secret(): Promise<string | undefined> {
    return (await this.options.teamSecret?.get()) || undefined;
  }

  private failed(e: unknown): void {
    if (this.disposed) return;
    const reason = this.describe(e);
    if (this.down) {
      this.logger.debug(`Redis cache: ${reason}`);
      return;
    }
    this.down = true;
    this.logger.warn(`Redis cache at ${this.where} unreachable: ${reason} — continuing without the shared cache`);
  }

  private recovered(): void {
    if (!this.down || this.disposed) return;
    this.down = false;
    this.logger.info(`Redis cache at ${this.where} is reachable again`);
  }

  /** An error as one line, with the URL's password (raw or decoded) masked. */
  private describe(e: unknown): string {
    const err = e as { message?: unknown; code?: unknown; name?: unknown } | undefined;
    const text =
      (typeof err?.message === 'string' && err.message) ||
      (typeof err?.code === 'string' && err.code) ||
      (typeof err?.name === 'string' && err.name) ||
      String(e);
    return redactPassword(text, this.options.url);
  }
}

/** The URL for logs and status: no user (a token may be given as the user name), password, query or fragment. */
export function displayRedisUrl(url: string): string {
  return displayUrl(url) ?? '(invalid Redis URL)';
}

function redactPassword(text: string, url: string): string {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  if (!password) return text;
  let out = text;
  for (const secret of new Set([password, safeDecode(password)])) if (secret) out = out.split(secret).join('***');
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Escapes a literal for a Redis glob pattern (MATCH). */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, '\\$&');
}

/** Races `promise` against a timer; an abandoned promise's later rejection is swallowed. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
