// Warnings for the user, collected until the host takes them to show. A keyed warning is logged and given only once
// (a damaged file is not reported again at every list()).
import type { Logger } from '../ports';

export class UserWarnings {
  private pending: string[] = [];
  /** Keys of warnings already given. */
  private readonly given = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Queues a message the caller has logged itself. */
  push(message: string): void {
    this.pending.push(message);
  }

  /** Logs `message` as a warning and queues it, unless a warning with this key was given before. */
  once(key: string, message: string): void {
    if (this.given.has(key)) return;
    this.given.add(key);
    this.logger.warn(message);
    this.pending.push(message);
  }

  /** The warnings queued since the last call. */
  take(): string[] {
    const w = this.pending;
    this.pending = [];
    return w;
  }
}
