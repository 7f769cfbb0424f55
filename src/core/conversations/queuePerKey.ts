// Runs async operations one after another per key (operations of different keys run concurrently), so that of two
// saves of one conversation the later one lands last.
export class QueuePerKey {
  /** Per key, the last operation queued (removed once it settles, if nothing was queued after it). */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `op` after every operation queued before for `key` settled (whether it failed or not). */
  run(key: string, op: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(op);
    this.tails.set(key, next);
    const done = () => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    };
    next.then(done, done);
    return next;
  }

  /** Resolves when the operations queued so far for `key` settled; never rejects. */
  async settled(key: string): Promise<void> {
    await this.tails.get(key)?.catch(() => undefined);
  }

  /** True while an operation of `key` is queued or running. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  /** The last operation queued per key, of those not settled yet. */
  pending(): Promise<void>[] {
    return [...this.tails.values()];
  }
}
