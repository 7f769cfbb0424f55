// The chat panel's entry point: mount the panel, feed host messages through the reducer, say `ready`. Stream pieces
// (`chat/delta`) are queued and reduced once per frame, just before the panel paints (deltaBatch.ts); any other
// message applies the queued pieces first, so the order of messages is kept.
import { DeltaBatch } from './deltaBatch';
import { createHostClient } from './hostClient';
import { Panel } from './render/panel';
import { initialState, reduce, type PanelState } from './state';

const host = createHostClient();
let state: PanelState = initialState;
let counter = 0;
const deltas = new DeltaBatch();
const panel = new Panel(
  document.getElementById('app') as HTMLElement,
  {
    post: (msg) => host.post(msg),
    saveUi: (ui) => host.saveUiState(ui),
    newRequestId: () => `w${Date.now().toString(36)}${(counter++).toString(36)}`,
  },
  host.loadUiState(),
);

/** The state with every queued delta applied. */
function current(): PanelState {
  const queued = deltas.take();
  if (queued) state = reduce(state, queued);
  return state;
}

host.onMessage((msg) => {
  if (msg.type === 'chat/delta') {
    const earlier = deltas.add(msg);
    if (earlier) state = reduce(state, earlier);
    panel.render(current);
    return;
  }
  state = reduce(current(), msg);
  panel.noteHostMessage(msg);
  panel.render(state);
});
panel.render(state);
host.post({ type: 'ready' });
