// The connection behind the Redis cache store. The cache must never slow chatting down, so:
// - the client library loads and connects on first use, and that first use waits at most `connectTimeoutMs`;
// - every command is raced against `commandTimeoutMs`; a timeout or error is a miss / no-op;
// - an outage is warned about once (and its end logged once); meanwhile operations return at once and a background
//   timer (unref'd, with exponential backoff) reconnects. The client's own reconnection and offline queue are off,
//   so no command waits in a queue for a server that is gone.
// Error text that reaches a log line has the URL's password masked.
import * as l10n from '@vscode/l10n';
import { displayUrl } from '../api/redact';
import type { Logger } from '../ports';

export type RedisModule = typeof import('@redis/client');
export type RedisClient = ReturnType<RedisModule['createClient']>;

export interface RedisConnectionOptions {
  /** `redis[s]://[[user][:password]@]host[:port][/db]`. The password never reaches a log line. */
  url: string;
  logger: Logger;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Background reconnection backoff: first wait and longest wait. */
  backoff: { min: number; max: number };
  /** Loads the client library. */
  load: () => Promise<RedisModule>;
}

export class RedisConnection {
  private readonly logger: Logger;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly backoff: { min: number; max: number };
  /** The server as log lines and errors name it. */
  private readonly where: string;
  private client: RedisClient | undefined;
  private connecting: Promise<boolean> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** True from the warning about an outage until the log line that it is over. */
  private down = false;
  private disposed = false;

  constructor(private readonly options: RedisConnectionOptions) {
    this.logger = options.logger;
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.commandTimeoutMs = options.commandTimeoutMs;
    this.backoff = options.backoff;
    this.where = displayRedisUrl(options.url);
  }

  /** Whether the client is connected right now (for a status line). */
  get connected(): boolean {
    return this.client?.isReady === true;
  }

  /** Runs one command on a ready client within the command timeout; `fallback` on any failure. */
  async run<T>(fallback: T, command: (c: RedisClient) => Promise<T>): Promise<T> {
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

  /**
   * Runs `work` on a ready client; `work` bounds each of its steps with `bounded` (the command timeout). Throws, with
   * the server named and the password masked, when Redis is unreachable or a step fails.
   */
  async runOrThrow(
    work: (c: RedisClient, bounded: <T>(step: Promise<T>) => Promise<T>) => Promise<void>,
  ): Promise<void> {
    const client = await this.readyClient();
    if (!client) throw new Error(l10n.t('Redis cache at {0} is unreachable', this.where));
    try {
      await work(client, (step) => withTimeout(step, this.commandTimeoutMs));
      this.recovered();
    } catch (e) {
      this.failed(e);
      throw new Error(l10n.t('Redis cache at {0}: {1}', this.where, this.describe(e)), { cause: e });
    }
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
      const { createClient } = await this.options.load();
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

/** Races `promise` against a timer; an abandoned promise's later rejection is swallowed. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(l10n.t('no answer within {0} ms', ms))), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
