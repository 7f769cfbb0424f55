// The panel's draft and scroll position saves (setState posts all of it to the workbench each time): counted, on a
// virtual clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  draftGapMs,
  MAX_ANCHOR_ID,
  MAX_DRAFT_GAP_MS,
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
  assert.deepEqual(parseScrollAnchor({ id: 'm7', offset: -37, conversationId: 'c1', other: 1 }), {
    id: 'm7',
    offset: -37,
    conversationId: 'c1',
  });
  for (const bad of [
    { id: 'm7', offset: 0, conversationId: 7 },
    { id: 'm7', offset: 0, conversationId: '' },
    { id: 'm7', offset: 0, conversationId: 'c'.repeat(MAX_ANCHOR_ID + 1) },
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

test('a draft under 10,000 characters waits for nothing; a long one for 100 ms per MB, at most MAX_DRAFT_GAP_MS', () => {
  assert.equal(draftGapMs(0), 0);
  assert.equal(draftGapMs(9_999), 0);
  assert.equal(draftGapMs(1_000_000), 100);
  assert.equal(draftGapMs(3_000_000), 300);
  assert.equal(draftGapMs(50_000_000), MAX_DRAFT_GAP_MS);
});

test('keys repeating in a long draft: saved once per gap, the latest draft, not once per key', () => {
  const { state, saved, saver, advance, pending } = setup();
  const log = 'a long pasted log line\n'.repeat(100_000); // 2.3 MB: saves 230 ms apart
  const gap = draftGapMs(log.length + 300);
  assert.ok(gap >= 200, `gap ${gap}`);
  state.draft = log;
  saver.draftChanged(); // the paste: saved at once
  assert.equal(saved.length, 1);
  // 300 keys 10 ms apart (a held key): 3 s.
  for (let i = 1; i <= 300; i++) {
    advance(i * 10);
    state.draft = log + 'x'.repeat(i);
    saver.draftChanged();
  }
  assert.equal(pending(), 1, 'the last keys wait for their save');
  advance(3_000 + gap);
  assert.equal(pending(), 0);
  assert.equal(saved.at(-1)?.draft, state.draft, 'the latest draft is saved');
  // A save per key wrote 300 × 2.3 MB; per gap, about 3 s / gap of them.
  assert.ok(saved.length <= 3_000 / gap + 3, `${saved.length} saves for 300 keys`);
  const written = saved.reduce((n, s) => n + s.draft.length, 0);
  assert.ok(written <= (3_000 / gap + 3) * state.draft.length, `${written} characters serialised`);
  // After a pause a key is saved at once again.
  advance(10_000);
  state.draft += 'y';
  saver.draftChanged();
  assert.equal(saved.at(-1)?.draft, state.draft);
  assert.equal(pending(), 0);
});

test('a long draft waiting for its save is saved when the page hides; a scroll then keeps the sooner save', () => {
  const { state, saved, saver, advance, pending } = setup();
  state.draft = 'x'.repeat(5_000_000); // 500 ms apart
  saver.draftChanged();
  advance(50);
  state.draft += 'y';
  saver.draftChanged();
  assert.equal(pending(), 1);
  state.scroll = at(70);
  saver.scrolled(); // a save waits already: no second timer
  assert.equal(pending(), 1);
  saver.flush();
  assert.equal(pending(), 0);
  assert.deepEqual(
    { length: saved.at(-1)?.draft.length, scroll: saved.at(-1)?.scroll },
    { length: 5_000_001, scroll: at(70) },
  );
});

test('a scroll save waiting is brought forward by a draft change due sooner', () => {
  const { state, saved, saver, advance, pending } = setup();
  state.draft = 'x'.repeat(1_000_000); // 100 ms apart
  saver.draftChanged();
  advance(10);
  state.scroll = at(30);
  saver.scrolled(); // due at 500
  state.draft += 'y';
  saver.draftChanged(); // due at 100
  assert.equal(pending(), 1);
  advance(100);
  assert.equal(pending(), 0);
  assert.equal(saved.length, 2);
  assert.deepEqual(saved.at(-1)?.scroll, at(30));
  assert.equal(saved.at(-1)?.draft.length, 1_000_001);
});

test('a key that waits for its save reads nothing (no copy of the draft, no layout for the list position)', () => {
  let reads = 0;
  let now = 0;
  const draft = { text: 'x'.repeat(2_000_000) };
  const timers: (() => void)[] = [];
  const saved: UiState[] = [];
  const saver = new UiStateSaver(
    () => {
      reads++;
      return { draft: draft.text };
    },
    (s) => saved.push(s),
    { set: (fn) => timers.push(fn), clear: () => undefined },
    () => now,
  );
  saver.draftChanged(draft.text.length);
  assert.equal(reads, 1);
  for (let i = 1; i <= 50; i++) {
    now = i;
    draft.text += 'k';
    saver.draftChanged(draft.text.length);
  }
  assert.equal(reads, 1, 'keys within the gap read nothing');
  assert.equal(timers.length, 1, 'one save armed for all of them');
  timers[0]();
  assert.equal(reads, 2);
  assert.equal(saved.at(-1)?.draft, draft.text);
});
