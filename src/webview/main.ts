// The chat panel's entry point: mount the panel, feed host messages through the reducer, say `ready`.
import { createHostClient } from './hostClient';
import { Panel } from './render/panel';
import { initialState, reduce, type PanelState } from './state';

const host = createHostClient();
let state: PanelState = initialState;
let counter = 0;
const panel = new Panel(
  document.getElementById('app') as HTMLElement,
  {
    post: (msg) => host.post(msg),
    saveUi: (ui) => host.saveUiState(ui),
    newRequestId: () => `w${Date.now().toString(36)}${(counter++).toString(36)}`,
  },
  host.loadUiState(),
);

host.onMessage((msg) => {
  state = reduce(state, msg);
  panel.noteHostMessage(msg);
  panel.render(state);
});
panel.render(state);
host.post({ type: 'ready' });
