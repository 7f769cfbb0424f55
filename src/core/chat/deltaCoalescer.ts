// Coalesces a reply's stream pieces before they cross to the panel: a model streams a few characters per piece
// (~20,000 pieces for a 20k-token reply), and each post is a message to the webview and an event on the panel's main
// thread. The first piece after a quiet spell goes out at once (the reply starts showing without delay); the pieces
// that follow within each interval go out together as one delta, joined once: O(new text) per post, whatever the
// reply's length. The interval is the panel's: it paints a stream at most every 100 ms, less often when its paints are
// costly (webview/streamPacer.ts), and says so (`stream/pace`), so the host never posts more often than the panel
// paints (DELTA_INTERVAL_MS until it has said). Every other sink call (done, error, removed, retrying, notice,
// started) posts the queued text first, so nothing is lost or reordered. The timer is injectable, so the tests count
// posts instead of waiting on the clock.
import type { ChatSink } from './chatInterfaces';

export interface CoalesceTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: CoalesceTimer = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** How often a streaming reply's text is posted to the panel, at most (ms), until the panel says how often it paints. */
export const DELTA_INTERVAL_MS = 100;

/** An interval in ms, or where to read it each time one starts (it may change while a reply streams). */
export type Interval = number | (() => number);

/** Hands text to `post`: a piece after a quiet interval at once, the rest at most once every `intervalMs` (and on
 *  `flush`). */
export class DeltaCoalescer {
  private parts: string[] = [];
  /** The interval that started with the last post; pieces pushed before it ends wait for its end. */
  private handle: unknown;

  constructor(
    private readonly post: (text: string) => void,
    private readonly intervalMs: Interval = DELTA_INTERVAL_MS,
    private readonly timer: CoalesceTimer = realTimer,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.parts.push(text);
    if (this.handle === undefined) this.postQueued();
  }

  /** Posts the queued text now (nothing if none is queued) and ends the interval: the next piece goes out at once. */
  flush(): void {
    if (this.handle !== undefined) {
      this.timer.clear(this.handle);
      this.handle = undefined;
    }
    if (this.parts.length > 0) this.send();
  }

  /** Posts the queued text and starts an interval; at its end what was queued meanwhile goes out and the next one
   *  starts, until an interval passes with nothing queued. */
  private postQueued(): void {
    this.send();
    this.handle = this.timer.set(
      () => {
        this.handle = undefined;
        if (this.parts.length > 0) this.postQueued();
      },
      typeof this.intervalMs === 'number' ? this.intervalMs : this.intervalMs(),
    );
  }

  private send(): void {
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
  intervalMs: Interval = DELTA_INTERVAL_MS,
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
