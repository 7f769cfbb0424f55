// When the panel paints a streaming reply. Pieces are queued (deltaBatch.ts) and painted together at most every
// MIN_PAINT_MS; the next paint then waits COST_FACTOR times as long as the last one took beyond FRAME_MS (its script,
// the slices that laid out its blocks ahead of it, and the frame's style, layout, paint and commit: render/panel.ts
// measures it), up to MAX_PAINT_MS. A paint that costs about what any frame does (FRAME_MS: a reply at a common speed,
// tens of tokens a second) is not spaced out: every MIN_PAINT_MS. A costlier one brings much text (a very fast reply,
// or a slow machine), and then the paints themselves are most of what streaming costs beyond the text's own render:
// each has a near-fixed cost however much text it gained (style, layout of the list, paint and commit of what is on
// screen, the scroll that follows the end and its frame, the message that brought the text: ~10 ms of thread time
// here, bench/streamRender.ts), so fewer, larger paints cost less in all, and the panel stays free for typing.
// Painting then takes at most ~7% of the panel's main thread (a paint of ~7 ms every 100 ms), falling towards
// 1/COST_FACTOR as paints get costlier, whatever the machine and however long the reply. At 2,000 tokens/s here,
// paints are ~1 s apart: ~17 for the bench's 10 s reply (with 15 times the whole cost, ~23, and the stream took ~10%
// more main-thread time). The end of a stream is not paced: any other message paints at once.
// A paint's new blocks are rendered and laid out SLICE_CHARS characters at a time (or a block more), each slice in a
// task of its own before the frame (main.ts, Panel.layOutAhead): the more text a paint brings, the more slices, and no
// one task lays it all out (in one task, a paint's worth of a fast reply took 30-60 ms here, over the 50 ms a task may
// hold up the panel). A slice has a cost of its own beyond its text (a forced layout ~1.5 ms, a DOMPurify pass and its
// document ~1 ms: bench/streamRender.ts with the reply arriving at once, 1,500 / 3,000 / all of it per slice: 49 / 25
// / 1 slices, 528 / 418 / 266 ms of thread time), so slices are as large as keeps them well under 50 ms: ~10 ms of
// thread time each here.
// The host is told the gap when it changes (`stream/pace`), so that it posts stream pieces no more often than they are
// painted: on a machine where paints are costly, ~1-3 posts a second instead of 10 (each post is a message event here
// and a message across processes in VS Code).
// DOM-free and clock-free (the caller passes the time), unit-tested by counting paints.

export const MIN_PAINT_MS = 100;
export const MAX_PAINT_MS = 1000;
export const COST_FACTOR = 30;
/** What a paint costs that is not spaced out: about a frame's cost, ms. */
export const FRAME_MS = 4;
/** The most characters of finished blocks one task renders, inserts and lays out ahead of a paint (or a block
 *  more). */
export const SLICE_CHARS = 3000;
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
    return Math.min(MAX_PAINT_MS, Math.max(MIN_PAINT_MS, Math.round(COST_FACTOR * (this.lastCost - FRAME_MS))));
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
