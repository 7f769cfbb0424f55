// When the panel paints a streaming reply. Pieces are queued (deltaBatch.ts) and painted together at most every
// MIN_PAINT_MS; when a paint itself took long (a loaded machine, text that is slow to lay out), the next one waits
// COST_FACTOR times as long as it took, up to MAX_PAINT_MS, so the panel spends at most about 1/COST_FACTOR of its time
// painting a stream and fewer, larger paints replace many costly ones (each paint has a fixed cost: style, layout of
// the line being written, paint, commit). The end of a stream is not paced: any other message paints at once.
// DOM-free and clock-free (the caller passes the time), unit-tested by counting paints.

export const MIN_PAINT_MS = 100;
export const MAX_PAINT_MS = 250;
export const COST_FACTOR = 4;

export class StreamPacer {
  private lastStart = -Infinity;
  private lastCost = 0;
  private scheduled = false;

  /** A piece arrived at `now`: the delay after which to paint, or undefined when a paint is already scheduled. */
  delayFor(now: number): number | undefined {
    if (this.scheduled) return undefined;
    this.scheduled = true;
    const gap = Math.min(MAX_PAINT_MS, Math.max(MIN_PAINT_MS, COST_FACTOR * this.lastCost));
    return Math.max(0, this.lastStart + gap - now);
  }

  /** The scheduled paint starts at `at`; the last paint took `costMs`. */
  painted(at: number, costMs: number): void {
    this.scheduled = false;
    this.lastStart = at;
    this.lastCost = Math.max(0, costMs);
  }
}
