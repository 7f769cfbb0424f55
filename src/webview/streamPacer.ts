// When the panel paints a streaming reply. Pieces are queued (deltaBatch.ts) and painted together at most every
// MIN_PAINT_MS; the next paint then waits COST_FACTOR times as long as the last one took (its script, the slices that
// laid out its blocks ahead of it, and the frame's style, layout, paint and commit: render/panel.ts measures it), up
// to MAX_PAINT_MS, so painting a stream takes at most about 1/COST_FACTOR of the panel's main thread, whatever the
// machine and however long the reply. Each paint has a near-fixed cost however little text it gained (style, layout
// of the list, paint and commit of what is on screen, the frame after it, the message that brought the text):
// bench/streamRender.ts measured ~13 ms of thread time per paint beyond what its text costs, so fewer, larger paints
// replace many costly ones, and the panel stays free for typing. A reply at a common speed (tens of tokens a second)
// paints cheaply, so every MIN_PAINT_MS; only a very fast one, or a slow machine, spaces paints out (at 2,000
// tokens/s here: 2-3 a second). The end of a stream is not paced: any other message paints at once.
// A paint's new blocks are rendered and laid out SLICE_CHARS characters at a time (or a block more), each slice in a
// task of its own before the frame (main.ts, Panel.layOutAhead): the more text a paint brings, the more slices, and no
// one task lays it all out. In one task, a paint's worth of a fast reply took 30-60 ms here, over the 50 ms a task
// may hold up the panel (bench/streamRender.ts); in slices, 20-40. So paints can be spaced out further (MAX_PAINT_MS
// 1,000 instead of 400: ~22 paints for the bench's 10 s reply instead of ~38) without making any task longer.
// The host is told the gap when it changes (`stream/pace`), so that it posts stream pieces no more often than they are
// painted: on a machine where paints are costly, ~3 posts a second instead of 10 (each post is a message event here
// and a message across processes in VS Code).
// DOM-free and clock-free (the caller passes the time), unit-tested by counting paints.

export const MIN_PAINT_MS = 100;
export const MAX_PAINT_MS = 1000;
export const COST_FACTOR = 15;
/** The most characters of finished blocks one task renders, inserts and lays out ahead of a paint (or a block
 *  more). */
export const SLICE_CHARS = 1500;
/** The gap told to the host changes only by this much or more (ms), and at most once every PACE_TELL_MS, so a
 *  paint's cost jittering does not become a message per paint. */
export const PACE_STEP_MS = 40;
export const PACE_TELL_MS = 1000;

export class StreamPacer {
  private lastStart = -Infinity;
  private lastCost = 0;
  private scheduled = false;
  /** The gap the host was last told (it starts at MIN_PAINT_MS, the host's interval until told: DELTA_INTERVAL_MS). */
  private told = MIN_PAINT_MS;
  private toldAt = -Infinity;

  /** How long after a paint's start the next one may start, ms. */
  get gapMs(): number {
    return Math.min(MAX_PAINT_MS, Math.max(MIN_PAINT_MS, Math.round(COST_FACTOR * this.lastCost)));
  }

  /** A piece arrived at `now`: the delay after which to paint, or undefined when a paint is already scheduled. */
  delayFor(now: number): number | undefined {
    if (this.scheduled) return undefined;
    this.scheduled = true;
    return Math.max(0, this.lastStart + this.gapMs - now);
  }

  /** At `now`: the gap to tell the host (`stream/pace`) when it moved by PACE_STEP_MS or more since it was last told
   *  (or reached a bound it was not told yet) and PACE_TELL_MS have passed since; otherwise undefined. */
  paceToTell(now: number): number | undefined {
    const gap = this.gapMs;
    const atBound = gap === MIN_PAINT_MS || gap === MAX_PAINT_MS;
    if (gap === this.told || (Math.abs(gap - this.told) < PACE_STEP_MS && !atBound)) return undefined;
    if (now - this.toldAt < PACE_TELL_MS) return undefined;
    this.told = gap;
    this.toldAt = now;
    return gap;
  }

  /** The scheduled paint starts at `at`; the last paint took `costMs`. */
  painted(at: number, costMs: number): void {
    this.scheduled = false;
    this.lastStart = at;
    this.lastCost = Math.max(0, costMs);
  }
}
