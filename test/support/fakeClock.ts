// A Clock for tests: time is virtual, sleeps return at once (after a macrotask, so I/O can interleave) and are
// recorded, so retry waits are asserted exactly without sleeping for real. `hold` makes sleeps wait for an abort.
import { abortError, type Clock } from '../../src/core/ports';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private time = 1_750_000_000_000;

  constructor(private readonly hold = false) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      signal?.addEventListener('abort', () => reject(abortError()), { once: true });
      if (!this.hold)
        setImmediate(() => {
          this.time += ms;
          resolve();
        });
    });
  }
}
