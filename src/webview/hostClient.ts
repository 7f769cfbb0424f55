// The webview's one channel to the host: a typed post and a single message listener.
import type { HostToWebview, WebviewToHost } from '../shared/protocol';
import { parseScrollAnchor, type UiState } from './uiStateSaver';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostClient {
  post(msg: WebviewToHost): void;
  onMessage(listener: (msg: HostToWebview) => void): void;
  /** The webview's own persisted UI state (draft, scroll): survives hiding and reloads of the view. */
  loadUiState(): UiState;
  saveUiState(state: UiState): void;
}

export type { UiState };

export function createHostClient(): HostClient {
  const api = acquireVsCodeApi();
  return {
    post: (msg) => api.postMessage(msg),
    onMessage: (listener) =>
      window.addEventListener('message', (e: MessageEvent) => {
        // Messages come from the host only (the webview's parent); their shape is our own protocol.
        if (e.data && typeof e.data === 'object' && typeof (e.data as { type?: unknown }).type === 'string')
          listener(e.data as HostToWebview);
      }),
    loadUiState: () => {
      // Saved by this panel, but read back as anything: checked field by field.
      const s = api.getState() as { draft?: unknown; scroll?: unknown } | undefined;
      const scroll = parseScrollAnchor(s?.scroll);
      return {
        draft: typeof s?.draft === 'string' ? s.draft : '',
        ...(scroll ? { scroll } : {}),
      };
    },
    saveUiState: (state) => api.setState(state),
  };
}
