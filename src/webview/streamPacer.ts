// When the panel paints a streaming reply. Pieces are queued (deltaBatch.ts) and painted together at most every
// MIN_PAINT_MS; the next paint then waits COST_FACTOR times as long as the last one took beyond FRAME_MS (its script,
// the slices that rendered its blocks ahead of it, and the frame's style, layout, paint and commit: render/panel.ts
// measures it), up to MAX_PAINT_MS. A paint that costs about what any frame does (FRAME_MS: a reply at a common speed,
// tens of tokens a second) is not spaced out: every MIN_PAINT_MS. A costlier one brings much text (a very fast reply,
// or a slow machine), and then the paints themselves are most of what streaming costs beyond the text's own render:
// each has a near-fixed cost however much text it gained (style, layout of the list, paint and commit of what is on
// screen, the scroll that follows the end and its frame, the message that brought the text: ~10 ms of thread time
// here, bench/streamRender.ts), so fewer, larger paints cost less in all, and the panel stays free for typing.
// Painting then takes at most ~6% of the panel's main thread (a paint of ~6 ms every 100 ms), falling towards
// 1/COST_FACTOR as paints get costlier, whatever the machine and however long the reply. A paint's cost grows with the
// text it brings, so with a gap that follows it a reply at 2,000 tokens/s (the bench's) settles at the longest gap,
// MAX_PAINT_MS, after ~1.5 s: ~16 paints for its 10 s. At COST_FACTOR 30 it hovered at 400-900 ms, ~18-27 paints, and
// each paint beyond the text it renders costs ~9 ms of thread time (its frame ~5 ms, the scroll event's frame after
// it, the host's post, its timer and tasks): thread time streamed / one render 1.69 (1.50-1.85)× at 45 against
// 1.94 (1.91-2.40)× at 30, TaskDuration 1.47 against 1.71× (bench/streamRender.ts, 5 runs each, 2026-12-02). A
// reply at a readable speed (tens to a few hundred tokens a second) still paints every MIN_PAINT_MS.
// The end of a stream is not paced: it, and any other host message, is painted as soon as the slices have rendered
// what it brought.
// A paint's new blocks are rendered SLICE_CHARS characters at a time (or a block more), each slice in a task of its
// own before the frame (main.ts, Panel.layOutAhead), and held out of the page; once LAYOUT_CHARS or more are held, a
// task of its own inserts them and lays them out; the paint inserts the rest and its frame lays them out. So no one
// task renders or lays out all that a fast paint brings (in one task, a paint's worth of a fast reply took 30-60 ms
// here, over the 50 ms a task may hold up the panel), and the DOM changes only when something is laid out: each slice
// used to insert and lay out its own blocks, and every insertion cost a forced layout (~1.5 ms beyond its text) and
// the frame drawn after it (~3 ms): a paint of ~7,000 characters was three slices, three layouts and three frames;
// now it is one slice and the paint's one frame. (bench/streamRender.ts, thread time of the bench's stream in
// interleaved pairs: 541-560 ms with a layout per 3,000-character slice, 436-517 with slices of 3,000 held and laid out
// 9,000 at a time, ~45 ms less again with slices of 12,000: a slice's own cost is a DOMPurify document and its
// passes.) A slice of 12,000 characters is ~15 ms of script here, a layout of 9,000-20,000 ~10-20 ms.
// The gap after a paint follows from that paint's own cost, so nothing is scheduled while it is in flight (from its
// start to its frame): with the cost of the paint before it instead (a step late), a cheap paint after a costly one
// set a short gap, the next a long one, and so on: paints came ~200 and ~900 ms apart in turn, more of them in all.
// The host is told the gap when it changes (`stream/pace`), so that it posts stream pieces no more often than they are
// painted: on a machine where paints are costly, ~1-3 posts a second instead of 10 (each post is a message event here
// and a message across processes in VS Code).
// DOM-free and clock-free (the caller passes the time), unit-tested by counting paints.

export const MIN_PAINT_MS = 100;
export const MAX_PAINT_MS = 1000;
export const COST_FACTOR = 45;
/** What a paint costs that is not spaced out: about a frame's cost, ms. */
export const FRAME_MS = 4;
/** The most characters of finished blocks one task renders ahead of a paint (or a block more). */
export const SLICE_CHARS = 12_000;
/** Blocks rendered ahead and held out of the page are inserted and laid out ahead of the paint once they reach this
 *  many characters; fewer are left to the paint's frame. */
export const LAYOUT_CHARS = 9_000;
/** The gap told to the host changes only by this much or more (ms), and at most once every PACE_TELL_MS, so a
 *  paint's cost jittering does not become a message per paint. */
export const PACE_STEP_MS = 40;
export const PACE_TELL_MS = 1000;

export class StreamPacer {
  private lastStart = -Infinity;
  private lastCost = 0;
  private scheduled = false;
  /** A paint started and its frame is not done: its cost, which sets the next gap, is not known yet. */
  private inFlight = false;
  /** The gap the host was last told (it starts at MIN_PAINT_MS, the host's interval until told: DELTA_INTERVAL_MS). */
  private told = MIN_PAINT_MS;
  private toldAt = -Infinity;

  /** How long after a paint's start the next one may start, ms. */
  get gapMs(): number {
    return Math.min(MAX_PAINT_MS, Math.max(MIN_PAINT_MS, Math.round(COST_FACTOR * (this.lastCost - FRAME_MS))));
  }

  /** A piece arrived at `now`: the delay after which to paint, or undefined when a paint is already scheduled or the
   *  last one is not done yet (call again when it is: painted). */
  delayFor(now: number): number | undefined {
    if (this.scheduled || this.inFlight) return undefined;
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

  /** The scheduled paint starts at `at`. */
  started(at: number): void {
    this.scheduled = false;
    this.inFlight = true;
    this.lastStart = at;
  }

  /** A paint is done (its frame drawn): it took `costMs`. When it is the stream's paint in flight, the next gap
   *  follows from it, and true is returned; any other paint (a host message painted at once, the panel's first) is
   *  not a stream paint's cost: false. */
  painted(costMs: number): boolean {
    if (!this.inFlight) return false;
    this.inFlight = false;
    this.lastCost = Math.max(0, costMs);
    return true;
  }
}
