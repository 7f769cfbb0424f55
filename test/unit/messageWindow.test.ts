// The panel's message window: which slice of a long conversation is in the DOM while scrolling up and back down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_PAGES,
  PAGE,
  TAIL,
  around,
  newer,
  older,
  windowRange,
  type MessageWindow,
} from '../../src/webview/messageWindow';

describe('message window', () => {
  it('opened again around a saved message: a page with it in, half a page from its end where there is room', () => {
    for (const total of [1, 10, PAGE, PAGE + 1, 2000])
      for (const index of [0, 1, PAGE / 2, PAGE - 1, PAGE, 1000, total - PAGE / 2, total - 2, total - 1]) {
        if (index < 0 || index >= total) continue;
        const w = around(index, total);
        const { start, end } = windowRange(w, total);
        assert.ok(start <= index && index < end, `${index} of ${total} in [${start}, ${end})`);
        assert.ok(end - start === Math.min(PAGE, total), `a page: [${start}, ${end}) of ${total}`);
        if (index + 1 + PAGE / 2 <= total && index >= PAGE / 2) assert.equal(end, index + 1 + PAGE / 2);
      }
    assert.deepEqual(around(1999, 2000), { below: 0, size: PAGE }, 'near the end: the newest page');
    // From there, the list pages on as it scrolls, both ways.
    const w = around(1000, 2000);
    assert.ok(windowRange(older(w, 2000), 2000).start < windowRange(w, 2000).start);
    assert.ok(windowRange(newer(w, 2000), 2000).end > windowRange(w, 2000).end);
  });

  it('opens on the newest page', () => {
    assert.deepEqual(windowRange(TAIL, 2000), { start: 2000 - PAGE, end: 2000 });
    assert.deepEqual(windowRange(TAIL, 10), { start: 0, end: 10 });
  });

  it('reaches the first of 2,000 messages one page at a time, never holding more than MAX_PAGES pages', () => {
    let w: MessageWindow = TAIL;
    let steps = 0;
    while (windowRange(w, 2000).start > 0) {
      const next = older(w, 2000);
      const before = windowRange(w, 2000);
      const after = windowRange(next, 2000);
      assert.equal(before.start - after.start, Math.min(PAGE, before.start), 'one page further back');
      assert.ok(after.end - after.start <= PAGE * MAX_PAGES, 'bounded');
      w = next;
      steps++;
    }
    assert.equal(steps, Math.ceil((2000 - PAGE) / PAGE));
    assert.deepEqual(windowRange(w, 2000), { start: 0, end: PAGE * MAX_PAGES });
    assert.equal(older(w, 2000), w, 'nothing older: unchanged');
  });

  it('comes back down to the newest message, dropping old pages above', () => {
    let w: MessageWindow = TAIL;
    while (windowRange(w, 2000).start > 0) w = older(w, 2000);
    let steps = 0;
    while (w.below > 0) {
      w = newer(w, 2000);
      const r = windowRange(w, 2000);
      assert.ok(r.end - r.start <= PAGE * MAX_PAGES);
      steps++;
    }
    assert.deepEqual(windowRange(w, 2000), { start: 2000 - PAGE * MAX_PAGES, end: 2000 });
    assert.equal(steps, Math.ceil((2000 - PAGE * MAX_PAGES) / PAGE));
    assert.equal(newer(w, 2000), w, 'nothing newer: unchanged');
  });

  it('at the tail, new messages stay in the window; scrolled up, the window stays on the same messages', () => {
    assert.equal(windowRange(TAIL, 101).end, 101);
    const up = older(TAIL, 1000);
    const r = windowRange(up, 1000);
    const grown = windowRange(up, 1002);
    assert.deepEqual(windowRange(older(up, 1000), 1000).end, r.end, 'within MAX_PAGES nothing drops below');
    assert.equal(grown.end - grown.start, r.end - r.start);
  });

  it('a shorter conversation (messages removed) clamps the window', () => {
    const far = { below: 500, size: PAGE * MAX_PAGES };
    assert.deepEqual(windowRange(far, 100), { start: 0, end: 100 }, 'all that is left, not nothing');
    assert.equal(newer(far, 100), far, 'nothing newer within 100');
    assert.deepEqual(windowRange({ below: 150, size: PAGE }, 200), { start: 0, end: PAGE });
  });
});
