// A problem that repeats on every request (a poisoned cache entry, a misbehaving store) is warned about the first
// time each kind is seen and then logged at debug level only, so it is visible without flooding the log.
import type { Logger } from '../ports';

export class WarnOncePerKind<K extends string = string> {
  private readonly seen = new Set<K>();

  constructor(private readonly logger: Logger) {}

  log(kind: K, text: string): void {
    if (this.seen.has(kind)) {
      this.logger.debug(text);
      return;
    }
    this.seen.add(kind);
    this.logger.warn(`${text} — further ${kind} entries are logged at debug level`);
  }
}
