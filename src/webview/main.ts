// The chat panel's entry point: mount the panel, feed host messages through the reducer, say `ready`. Stream pieces
// (`chat/delta`) are queued (deltaBatch.ts) and reduced at the pace streamPacer.ts sets (every 100 ms, less often when
// paints are costly; the host is told that pace and posts pieces no more often): that task also cuts out the reply's
// newly finished blocks (Panel.prepare), tasks of their own render them a slice at a time and insert and lay out
// what they hold once it is much (Panel.layOutAhead), and then the frame shows them. The next paint is scheduled when
// this one's frame is done and its cost known. Any other message applies the queued pieces first and goes the same
// way, so the order of messages is kept and no one task renders what many slices would.
// The panel's language (the l10n bundle in its HTML) is loaded before anything is rendered.
import { DeltaBatch } from './deltaBatch';
import { createHostClient } from './hostClient';
import { loadPanelL10n } from './panelL10n';
import { Panel } from './render/panel';
import { warmUpWhenIdle } from './render/warmUp';
import { initialState, reduce, type PanelState } from './state';
import { LAYOUT_CHARS, SLICE_CHARS, StreamPacer } from './streamPacer';

// The language first: every text the panel shows is looked up when it is painted, from here on.
loadPanelL10n(document);
const host = createHostClient();
let state: PanelState = initialState;
let counter = 0;
const deltas = new DeltaBatch();
/** When a streaming reply is painted: each paint has a near-fixed cost however little text it gained
 *  (bench/streamRender.ts measures it). */
const pacer = new StreamPacer();
const panel = new Panel(
  document.getElementById('app') as HTMLElement,
  {
    post: (msg) => host.post(msg),
    saveUi: (ui) => host.saveUiState(ui),
    newRequestId: () => `w${Date.now().toString(36)}${(counter++).toString(36)}`,
    painted: (costMs) => {
      if (!pacer.painted(costMs)) return;
      const now = performance.now();
      // The host posts stream pieces no more often than they are painted.
      const pace = pacer.paceToTell(now);
      if (pace !== undefined) host.post({ type: 'stream/pace', intervalMs: pace });
      // Pieces that arrived while the paint was in flight: the next paint, at the gap its cost sets.
      if (deltas.pending) schedulePaint(now);
    },
  },
  host.loadUiState(),
);

/** Schedules the paint of queued pieces, unless one is scheduled or the last is still in flight (streamPacer.ts). */
function schedulePaint(now: number): void {
  const delay = pacer.delayFor(now);
  if (delay !== undefined) window.setTimeout(paintStream, delay);
}

/** The state with every queued delta applied. */
function current(): PanelState {
  const queued = deltas.take();
  if (queued) {
    state = reduce(state, queued);
    panel.announce(state);
  }
  return state;
}

function paintStream(): void {
  pacer.started(performance.now());
  // The new text's finished blocks are cut out in this task; slices render them (and lay them out if many), then the
  // frame paints. Pieces that arrive meanwhile wait for the next paint (scheduled once this one's frame is done).
  prepareAndPaint(current());
}

/** Cuts out the last reply's newly finished blocks, has them rendered a slice at a time, then paints. */
function prepareAndPaint(next: PanelState): void {
  panel.prepare(next);
  if (!slicing) {
    slicing = true;
    slices.port2.postMessage(null);
  }
}

/** The blocks a paint adds are rendered SLICE_CHARS at a time, each slice in a task of its own, and inserted and laid
 *  out LAYOUT_CHARS or more at a time; then the frame paints (streamPacer.ts). A host message that comes in between
 *  adds its text to theirs and is painted when they are done; a paint in between (the list paging) leaves the reply
 *  alone until then (MessageView.update). */
const slices = new MessageChannel();
let slicing = false;
slices.port1.onmessage = () => {
  if (panel.layOutAhead(SLICE_CHARS, LAYOUT_CHARS)) {
    slices.port2.postMessage(null);
    return;
  }
  slicing = false;
  panel.render(state);
};

host.onMessage((msg) => {
  if (msg.type === 'chat/delta') {
    const earlier = deltas.add(msg);
    if (earlier) {
      state = reduce(state, earlier);
      panel.announce(state);
    }
    schedulePaint(performance.now());
    return;
  }
  state = reduce(current(), msg);
  panel.announce(state);
  panel.noteHostMessage(msg);
  // The end of a reply (or an error that keeps it) brings the text since the last paint, as much as a paint's worth or
  // more: laid out in slices too, as is what is left of them when any other message comes in between.
  prepareAndPaint(state);
});
panel.render(state);
host.post({ type: 'ready' });
warmUpWhenIdle();
