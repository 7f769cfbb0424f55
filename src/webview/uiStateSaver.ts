// When the panel saves its own state (the draft and where the list is scrolled to) with VS Code's setState. Each save
// serialises all of it and posts it to the workbench (VS Code's webview pre/index.html: setState does
// `doPostMessage('do-update-state', JSON.stringify(newState))`), and the draft can be long (a pasted log). A change of
// the draft is saved at once, so nothing typed is lost when the view is hidden right after, unless the draft is long:
// then saves are spaced DRAFT_SAVE_MS_PER_MB per megabyte of it (at most MAX_DRAFT_GAP_MS), the latest draft at the end
// of the wait. Typing k keys into a draft of n characters saved k·n characters; now the saves take about a fixed share
// of the time however fast keys repeat (a save costs ~3 ms per MB here, so ≤ ~3%), and a draft under 10,000
// characters is still saved at every keystroke. A scroll is saved at most once every SCROLL_SAVE_MS (the latest
// position, at the end of the wait): a streaming reply scrolls the list at every paint, which saved the whole state at
// every paint. What is waiting is saved when the page is hidden or unloaded (render/panel.ts), and a save that would
// write what the last one wrote is skipped. A list that follows the end of the conversation saves no position
// (`scroll` undefined: it opens at its end), so a streaming reply, which scrolls the list at every paint, arms no save
// at all. A position is a message and where its top was (a pixel offset alone means nothing once the list is built
// again: render/scrollRestore.ts).
// DOM-free and clock-free (the timer and the clock are passed in), unit-tested by counting saves.
/** Where the list is scrolled to: the first message on screen, and its top relative to the list's top, px (≤ 0 when
 *  it starts above the screen). */
export interface ScrollAnchor {
  id: string;
  offset: number;
  /** The conversation it is in: a message older than what the host sent is waited for only in that conversation. */
  conversationId?: string;
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
  const { id, offset, conversationId } = value as { id?: unknown; offset?: unknown; conversationId?: unknown };
  const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_ANCHOR_ID;
  if (!isId(id)) return undefined;
  if (typeof offset !== 'number' || !Number.isFinite(offset) || Math.abs(offset) > 1e7) return undefined;
  if (conversationId !== undefined && !isId(conversationId)) return undefined;
  return conversationId === undefined ? { id, offset } : { id, offset, conversationId };
}

export const SCROLL_SAVE_MS = 500;
/** How long a draft save waits after the last one, per megabyte of draft (whole ms: under 10,000 characters, none). */
export const DRAFT_SAVE_MS_PER_MB = 100;
export const MAX_DRAFT_GAP_MS = 1000;

/** The least time between two saves of a draft `length` characters long, ms. */
export function draftGapMs(length: number): number {
  return Math.min(MAX_DRAFT_GAP_MS, Math.floor((length * DRAFT_SAVE_MS_PER_MB) / 1_000_000));
}

export interface SaveTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export class UiStateSaver {
  private waiting: unknown;
  /** When the save waiting is due (clock ms). */
  private dueAt = Infinity;
  private lastAt = -Infinity;
  private last: UiState | undefined;

  /** `read` gives the state now; `write` saves it (setState); `now` is a clock in ms. */
  constructor(
    private readonly read: () => UiState,
    private readonly write: (state: UiState) => void,
    private readonly timer: SaveTimer,
    private readonly now: () => number,
  ) {}

  /** The draft changed, to `length` characters: saved now (with the scroll position; a scroll save waiting is done by
   *  it), or, for a long draft saved a moment ago, once draftGapMs have passed since (the state is read then: a key
   *  that waits costs no read of the draft or of the list's position). */
  draftChanged(length = this.read().draft.length): void {
    this.saveWithin(undefined, draftGapMs(length));
  }

  /** The list scrolled: saved now if no save was made in the last SCROLL_SAVE_MS, else at the end of that time; nothing
   *  when what would be saved is what was (a list at its end, still there). */
  scrolled(): void {
    if (this.waiting !== undefined) return;
    const state = this.read();
    if (this.same(state)) return;
    this.saveWithin(state, SCROLL_SAVE_MS);
  }

  /** Saves what is waiting now (the page is being hidden or unloaded). */
  flush(): void {
    if (this.waiting === undefined) return;
    this.cancel();
    this.save();
  }

  /** Saves `state` (or what there is now) if `gap` ms have passed since the last save, else what there is then (a save
   *  due sooner stays). */
  private saveWithin(state: UiState | undefined, gap: number): void {
    const due = this.lastAt + gap;
    if (due <= this.now()) {
      this.cancel();
      this.save(state);
      return;
    }
    if (this.waiting !== undefined && this.dueAt <= due) return;
    this.cancel();
    this.dueAt = due;
    this.waiting = this.timer.set(() => {
      this.waiting = undefined;
      this.dueAt = Infinity;
      this.save();
    }, due - this.now());
  }

  private cancel(): void {
    if (this.waiting === undefined) return;
    this.timer.clear(this.waiting);
    this.waiting = undefined;
    this.dueAt = Infinity;
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
