// When the panel paints a streaming reply. Pieces are queued (deltaBatch.ts) and painted together at most every
// MIN_PAINT_MS; the next paint then waits COST_FACTOR times as long as the last one took (its script and the frame's
// style, layout, paint and commit: render/panel.ts measures it), up to MAX_PAINT_MS, so painting a stream takes at
// most about 1/COST_FACTOR of the panel's main thread, whatever the machine and however long the reply. Each paint has
// a near-fixed cost however little text it gained (style, layout of the list, paint and commit of what is on screen),
// and that cost grows as a long reply fills the page: fewer, larger paints replace many costly ones, and the panel
// stays free for typing. The end of a stream is not paced: any other message paints at once.
// DOM-free and clock-free (the caller passes the time), unit-tested by counting paints.

export const MIN_PAINT_MS = 100;
export const MAX_PAINT_MS = 250;
export const COST_FACTOR = 10;

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
