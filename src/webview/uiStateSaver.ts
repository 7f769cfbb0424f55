// When the panel saves its own state (the draft and where the list is scrolled to) with VS Code's setState. Each save
// serialises all of it and posts it to the workbench (VS Code's webview pre/index.html: setState does
// `doPostMessage('do-update-state', JSON.stringify(newState))`), and the draft can be long (a pasted log). A change of
// the draft is saved at once, so nothing typed is lost when the view is hidden right after. A scroll is saved at most
// once every SCROLL_SAVE_MS (the latest position, at the end of the wait): a streaming reply scrolls the list at every
// paint, which saved the whole state at every paint. What is waiting is saved when the page is hidden or unloaded
// (render/panel.ts), and a save that would write what the last one wrote is skipped. A list that follows the end of
// the conversation saves no position (`scroll` undefined: it opens at its end), so a streaming reply, which scrolls
// the list at every paint, arms no save at all. A position is a message and where its top was (a pixel offset alone
// means nothing once the list is built again: render/scrollRestore.ts).
// DOM-free and clock-free (the timer and the clock are passed in), unit-tested by counting saves.
/** Where the list is scrolled to: the first message on screen, and its top relative to the list's top, px (≤ 0 when
 *  it starts above the screen). */
export interface ScrollAnchor {
  id: string;
  offset: number;
}

/** The panel's own persisted UI state (it survives hiding and reloads of the view). */
export interface UiState {
  draft: string;
  /** Where the list was scrolled to; undefined when it was at its end, following what is added there. */
  scroll?: ScrollAnchor;
}

/** The longest message id a saved state may name (ids are short; the state is read back from VS Code). */
export const MAX_ANCHOR_ID = 200;

/** `value` as a scroll anchor if it is a valid one (read back from VS Code's saved state), else undefined. */
export function parseScrollAnchor(value: unknown): ScrollAnchor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, offset } = value as { id?: unknown; offset?: unknown };
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ANCHOR_ID) return undefined;
  if (typeof offset !== 'number' || !Number.isFinite(offset) || Math.abs(offset) > 1e7) return undefined;
  return { id, offset };
}

export const SCROLL_SAVE_MS = 500;

export interface SaveTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export class UiStateSaver {
  private waiting: unknown;
  private lastAt = -Infinity;
  private last: UiState | undefined;

  /** `read` gives the state now; `write` saves it (setState); `now` is a clock in ms. */
  constructor(
    private readonly read: () => UiState,
    private readonly write: (state: UiState) => void,
    private readonly timer: SaveTimer,
    private readonly now: () => number,
  ) {}

  /** The draft changed: saved now, with the scroll position (a scroll save waiting is done by it). */
  draftChanged(): void {
    this.cancel();
    this.save();
  }

  /** The list scrolled: saved now if no save was made in the last SCROLL_SAVE_MS, else at the end of that time; nothing
   *  when what would be saved is what was (a list at its end, still there). */
  scrolled(): void {
    if (this.waiting !== undefined) return;
    const state = this.read();
    if (this.same(state)) return;
    const wait = this.lastAt + SCROLL_SAVE_MS - this.now();
    if (wait <= 0) {
      this.save(state);
      return;
    }
    this.waiting = this.timer.set(() => {
      this.waiting = undefined;
      this.save();
    }, wait);
  }

  /** Saves what is waiting now (the page is being hidden or unloaded). */
  flush(): void {
    if (this.waiting === undefined) return;
    this.cancel();
    this.save();
  }

  private cancel(): void {
    if (this.waiting === undefined) return;
    this.timer.clear(this.waiting);
    this.waiting = undefined;
  }

  /** Saves `state` (what is there now, unless the caller just read it). */
  private save(state = this.read()): void {
    this.lastAt = this.now();
    if (this.same(state)) return;
    this.last = state;
    this.write(state);
  }

  private same(state: UiState): boolean {
    const a = this.last?.scroll;
    const b = state.scroll;
    return this.last !== undefined && this.last.draft === state.draft && a?.id === b?.id && a?.offset === b?.offset;
  }
}
