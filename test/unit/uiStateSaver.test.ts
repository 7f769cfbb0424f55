// The panel's draft and scroll position saves (setState posts all of it to the workbench each time): counted, on a
// virtual clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_ANCHOR_ID,
  parseScrollAnchor,
  SCROLL_SAVE_MS,
  UiStateSaver,
  type UiState,
} from '../../src/webview/uiStateSaver';

/** A position: message `id` with its top `offset` px from the list's top. */
const at = (offset: number, id = 'm1') => ({ id, offset });

function setup() {
  let now = 0;
  const state: UiState = { draft: '', scroll: at(0) };
  const saved: UiState[] = [];
  const due = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const saver = new UiStateSaver(
    () => ({ ...state, ...(state.scroll ? { scroll: { ...state.scroll } } : {}) }),
    (s) => saved.push(s),
    {
      set: (fn, ms) => {
        due.set(next, { at: now + ms, fn });
        return next++;
      },
      clear: (h) => void due.delete(h as number),
    },
    () => now,
  );
  /** Moves the clock to `t`, running the timers due by then. */
  const advance = (t: number) => {
    for (const [h, d] of [...due].sort((a, b) => a[1].at - b[1].at)) {
      if (d.at > t) break;
      now = d.at;
      due.delete(h);
      d.fn();
    }
    now = t;
  };
  return { state, saved, saver, advance, pending: () => due.size };
}

test('a streaming reply scrolls the list at every paint: saved at most once per SCROLL_SAVE_MS, the latest position', () => {
  const { state, saved, saver, advance } = setup();
  state.draft = 'a long pasted log '.repeat(10_000);
  // 40 paints 250 ms apart over 10 s, each scrolling to the end.
  for (let i = 1; i <= 40; i++) {
    advance(i * 250);
    state.scroll = at(i * 400);
    saver.scrolled();
  }
  advance(10_000 + SCROLL_SAVE_MS);
  assert.ok(saved.length <= 10_000 / SCROLL_SAVE_MS + 2, `${saved.length} saves for 40 scrolls`);
  assert.ok(saved.length >= 10_000 / SCROLL_SAVE_MS - 1, `${saved.length} saves: the position keeps being saved`);
  assert.equal(saved.at(-1)?.scroll?.offset, 40 * 400, 'the last position is saved');
  assert.equal(saved.at(-1)?.draft, state.draft);
});

test('a draft change is saved at once, with the scroll position, and takes the place of a scroll save waiting', () => {
  const { state, saved, saver, advance, pending } = setup();
  state.scroll = at(100);
  saver.scrolled(); // first scroll: at once
  assert.equal(saved.length, 1);
  advance(100);
  state.scroll = at(200);
  saver.scrolled(); // within SCROLL_SAVE_MS: waits
  assert.equal(saved.length, 1);
  assert.equal(pending(), 1);
  state.draft = 'h';
  saver.draftChanged();
  assert.deepEqual(saved.at(-1), { draft: 'h', scroll: at(200) });
  assert.equal(pending(), 0, 'the waiting scroll save was made by the draft save');
  state.draft = 'hi';
  saver.draftChanged();
  assert.deepEqual(saved.at(-1), { draft: 'hi', scroll: at(200) }, 'every keystroke is saved at once');
  assert.equal(saved.length, 3);
});

test('flush saves what is waiting (the page hides), and nothing when nothing waits', () => {
  const { state, saved, saver, advance, pending } = setup();
  saver.draftChanged();
  advance(10);
  state.scroll = at(50);
  saver.scrolled();
  assert.equal(pending(), 1);
  saver.flush();
  assert.equal(pending(), 0);
  assert.equal(saved.at(-1)?.scroll?.offset, 50);
  const count = saved.length;
  saver.flush();
  assert.equal(saved.length, count);
});

test('a save that would write what the last one wrote is skipped', () => {
  const { state, saved, saver, advance } = setup();
  state.scroll = at(10);
  saver.scrolled();
  advance(SCROLL_SAVE_MS * 2);
  saver.scrolled(); // same position, same draft
  saver.draftChanged(); // e.g. a draft set to what it was
  assert.equal(saved.length, 1);
});

test('a list that follows its end saves no position, and a stream scrolling it at every paint arms no save', () => {
  const { state, saved, saver, advance, pending } = setup();
  state.scroll = at(300); // the user had scrolled up
  saver.scrolled();
  assert.equal(saved.at(-1)?.scroll?.offset, 300);
  advance(SCROLL_SAVE_MS);
  state.scroll = undefined; // back at the end
  saver.scrolled();
  assert.equal(saved.length, 2, 'returning to the end is saved');
  assert.equal(saved.at(-1)?.scroll, undefined);
  // A reply streams: 40 paints scroll the list to its end; what would be saved does not change.
  for (let i = 1; i <= 40; i++) {
    advance(SCROLL_SAVE_MS + i * 250);
    saver.scrolled();
    assert.equal(pending(), 0, `paint ${i}: no save armed`);
  }
  assert.equal(saved.length, 2, 'no save while the list follows the end');
});

test('a saved position is read back only if it is one: a message id and a finite offset', () => {
  assert.deepEqual(parseScrollAnchor({ id: 'm7', offset: -37 }), { id: 'm7', offset: -37 });
  for (const bad of [
    undefined,
    null,
    3,
    'm7',
    { id: 'm7' },
    { offset: 5 },
    { id: '', offset: 0 },
    { id: 7, offset: 0 },
    { id: 'm7', offset: '5' },
    { id: 'm7', offset: Number.NaN },
    { id: 'm7', offset: Number.POSITIVE_INFINITY },
    { id: 'm7', offset: 1e12 },
    { id: 'x'.repeat(MAX_ANCHOR_ID + 1), offset: 0 },
  ])
    assert.equal(parseScrollAnchor(bad), undefined, JSON.stringify(bad));
});

test('a position is a message and its offset: the same offset on another message is saved', () => {
  const { state, saved, saver, advance } = setup();
  state.scroll = at(-10, 'm1');
  saver.scrolled();
  advance(SCROLL_SAVE_MS);
  state.scroll = at(-10, 'm2');
  saver.scrolled();
  assert.deepEqual(saved.at(-1)?.scroll, { id: 'm2', offset: -10 });
  assert.equal(saved.length, 2);
});
