// Coalesces a reply's stream pieces before they cross to the panel: a model streams a few characters per piece
// (~20,000 pieces for a 20k-token reply), and each post is a message event on the panel's main thread. The pieces of
// each interval (~50 ms) go out as one delta, joined once: O(new text) per flush, whatever the reply's length. Every
// other sink call (done, error, removed, retrying, notice, started) flushes the queued text first, so nothing is lost
// or reordered. The timer is injectable, so the tests count flushes instead of waiting on the clock.
import type { ChatSink } from './chatInterfaces';

export interface CoalesceTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: CoalesceTimer = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Queues text and hands it to `post` as one piece at most every `intervalMs` (and on `flush`). */
export class DeltaCoalescer {
  private parts: string[] = [];
  private handle: unknown;

  constructor(
    private readonly post: (text: string) => void,
    private readonly intervalMs = 50,
    private readonly timer: CoalesceTimer = realTimer,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.parts.push(text);
    if (this.handle === undefined) this.handle = this.timer.set(() => this.flush(), this.intervalMs);
  }

  /** Posts the queued text now (nothing if none is queued) and cancels the pending timer. */
  flush(): void {
    if (this.handle !== undefined) {
      this.timer.clear(this.handle);
      this.handle = undefined;
    }
    if (this.parts.length === 0) return;
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.post(text);
  }
}

/**
 * `sink` with its deltas coalesced: `delta` queues, every other call flushes the queue first. Call `flush()` when the
 * request ends (the sink may not be called again), so no timer outlives it.
 */
export function coalesceDeltas(
  sink: ChatSink,
  intervalMs = 50,
  timer: CoalesceTimer = realTimer,
): ChatSink & { flush(): void } {
  const deltas = new DeltaCoalescer((t) => sink.delta(t), intervalMs, timer);
  const then =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      deltas.flush();
      fn(...args);
    };
  return {
    started: then((u, a) => sink.started(u, a)),
    delta: (t) => deltas.push(t),
    done: then((a) => sink.done(a)),
    error: then((e, a) => sink.error(e, a)),
    removed: then((id) => sink.removed(id)),
    retrying: then((n) => sink.retrying(n)),
    notice: then((t) => sink.notice(t)),
    flush: () => deltas.flush(),
  };
}
