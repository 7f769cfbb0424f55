import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COST_FACTOR, MAX_PAINT_MS, MIN_PAINT_MS, StreamPacer } from '../../src/webview/streamPacer';

/**
 * A virtual clock: pieces arrive every `every` ms for `duration` ms; each paint takes `cost(i)` ms of the (single)
 * thread, during which pieces queue. Returns the paints' start times.
 */
function simulate(cost: (paint: number) => number, duration = 10_000, every = 50): number[] {
  const pacer = new StreamPacer();
  const starts: number[] = [];
  let due: number | undefined; // when the scheduled paint runs
  let busyUntil = 0;
  for (let t = 0; t <= duration; t += every) {
    // Paints that were due before this piece (a timer runs once the thread is free).
    while (due !== undefined && due <= t) {
      const start = Math.max(due, busyUntil);
      const end = start + cost(starts.length);
      starts.push(start);
      pacer.painted(start, end - start);
      busyUntil = end;
      due = undefined;
    }
    const now = Math.max(t, busyUntil);
    const delay = pacer.delayFor(now);
    if (delay !== undefined) due = now + delay;
  }
  return starts;
}

const gaps = (starts: number[]) => starts.slice(1).map((s, i) => s - starts[i]);

test('cheap paints: one paint per MIN_PAINT_MS, never more often', () => {
  const starts = simulate(() => 5);
  assert.ok(starts.length >= 95 && starts.length <= 101, `${starts.length} paints`);
  for (const g of gaps(starts)) assert.ok(g >= MIN_PAINT_MS, `gap ${g}`);
});

test('costly paints: the next waits COST_FACTOR times the last one took, so fewer paints', () => {
  const cost = 200 / COST_FACTOR; // 200 ms apart
  const starts = simulate(() => cost);
  assert.ok(starts.length >= 48 && starts.length <= 51, `${starts.length} paints`);
  for (const g of gaps(starts)) assert.ok(g >= 200, `gap ${g}`);
});

test('paints that cost more as the reply grows come further apart: their share of the thread stays bounded', () => {
  // 5 ms at the start, 20 ms after 10 s (a long reply fills the page: layout and paint of more of it).
  const starts = simulate((i) => 5 + i / 10, 20_000);
  const g = gaps(starts);
  assert.ok(
    g.slice(0, 10).every((x) => x === MIN_PAINT_MS),
    `early gaps ${g.slice(0, 10)}`,
  );
  assert.ok(
    g.slice(-10).every((x) => x > 1.5 * MIN_PAINT_MS),
    `late gaps ${g.slice(-10)}`,
  );
  const busy = starts.reduce((sum, _, i) => sum + 5 + i / 10, 0);
  assert.ok(busy / 20_000 <= 1 / COST_FACTOR + 0.01, `painting took ${busy} ms of 20,000`);
});

test('very costly paints: never further apart than MAX_PAINT_MS (plus the paint itself)', () => {
  const starts = simulate(() => 120);
  for (const g of gaps(starts)) assert.ok(g >= MAX_PAINT_MS && g <= MAX_PAINT_MS + 120, `gap ${g}`);
  assert.ok(starts.length >= 39, `${starts.length} paints`);
});

test('the pace follows the cost back down once paints are cheap again', () => {
  const starts = simulate((i) => (i < 10 ? 60 : 2));
  const late = gaps(starts).slice(-20);
  for (const g of late) assert.equal(g, MIN_PAINT_MS);
});

test('one paint scheduled at a time: pieces during a wait add none', () => {
  const pacer = new StreamPacer();
  assert.equal(pacer.delayFor(0), 0);
  assert.equal(pacer.delayFor(10), undefined);
  assert.equal(pacer.delayFor(20), undefined);
  pacer.painted(20, 1); // a cheap paint: the next one MIN_PAINT_MS after it started
  assert.equal(pacer.delayFor(40), MIN_PAINT_MS - 20);
});
