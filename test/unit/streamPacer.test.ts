import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DELTA_INTERVAL_MS } from '../../src/core/chat/deltaCoalescer';
import {
  COST_FACTOR,
  FRAME_MS,
  MAX_PAINT_MS,
  MIN_PAINT_MS,
  PACE_STEP_MS,
  PACE_TELL_MS,
  StreamPacer,
} from '../../src/webview/streamPacer';

/**
 * A virtual clock: pieces arrive every `every` ms for `duration` ms; each paint takes `cost(i, since)` ms of the
 * (single) thread (`since`: ms since the last paint started, for a cost that grows with the text it brings), during
 * which pieces queue. Returns the paints' start times.
 */
function simulate(
  cost: (paint: number, since: number) => number,
  duration = 10_000,
  every = 50,
  told: [number, number][] = [],
) {
  const pacer = new StreamPacer();
  const starts: number[] = [];
  let due: number | undefined; // when the scheduled paint runs
  let busyUntil = 0;
  for (let t = 0; t <= duration; t += every) {
    // Paints that were due before this piece (a timer runs once the thread is free).
    while (due !== undefined && due <= t) {
      const start = Math.max(due, busyUntil);
      const end = start + cost(starts.length, start - (starts[starts.length - 1] ?? 0));
      starts.push(start);
      pacer.started(start);
      // A piece in flight schedules nothing: the paint's cost is not known yet.
      assert.equal(pacer.delayFor(start), undefined);
      pacer.painted(end - start);
      // As the panel does when a paint's frame is done (main.ts): what to tell the host, if anything.
      const pace = pacer.paceToTell(end);
      if (pace !== undefined) told.push([end, pace]);
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
/** A paint so costly that the next one waits MAX_PAINT_MS (COST_FACTOR times its cost beyond a frame's is over the
 *  cap). */
const OVER_CAP_MS = FRAME_MS + Math.ceil(MAX_PAINT_MS / COST_FACTOR) + 10;
/** What a paint costs whose next one waits `gap` ms. */
const costFor = (gap: number) => FRAME_MS + gap / COST_FACTOR;

test('cheap paints: one paint per MIN_PAINT_MS, never more often', () => {
  const starts = simulate(() => 5);
  assert.ok(starts.length >= 95 && starts.length <= 101, `${starts.length} paints`);
  for (const g of gaps(starts)) assert.ok(g >= MIN_PAINT_MS, `gap ${g}`);
});

test('a paint that costs little more than a frame is not spaced out (a reply at a common speed)', () => {
  const starts = simulate(() => costFor(MIN_PAINT_MS) - 0.1); // 6.1 ms: 45 times 2.1 is under 100
  for (const g of gaps(starts)) assert.equal(g, MIN_PAINT_MS);
  // Without the frame's cost taken off, COST_FACTOR times 6.1 ms would space them 276 ms apart.
  assert.ok(COST_FACTOR * (costFor(MIN_PAINT_MS) - 0.1) > 2 * MIN_PAINT_MS);
});

test('costly paints: the next waits COST_FACTOR times what the last one took beyond a frame, so fewer paints', () => {
  const cost = costFor(200); // 200 ms apart
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
  // At most a paint of just over a frame every MIN_PAINT_MS (6.2 ms: 45 × (6.2 - 4) is 100), and less as they cost
  // more.
  const worst = costFor(MIN_PAINT_MS) / MIN_PAINT_MS;
  assert.ok(busy / 20_000 <= worst, `painting took ${busy} ms of 20,000`);
  const late = g.slice(-10).reduce((a, b) => a + b, 0);
  const lateBusy = starts.slice(-10).reduce((sum, _, i) => sum + 5 + (starts.length - 10 + i) / 10, 0);
  assert.ok(lateBusy / late < worst, `late paints took ${lateBusy} ms of ${late}`);
});

test('very costly paints: never further apart than MAX_PAINT_MS (plus the paint itself)', () => {
  const starts = simulate(() => 120);
  for (const g of gaps(starts)) assert.ok(g >= MAX_PAINT_MS && g <= MAX_PAINT_MS + 120, `gap ${g}`);
  assert.ok(starts.length >= Math.floor(10_000 / (MAX_PAINT_MS + 120)), `${starts.length} paints`);
});

test('the pace follows the cost back down once paints are cheap again', () => {
  const starts = simulate((i) => (i < 10 ? OVER_CAP_MS : 2), 10 * MAX_PAINT_MS + 5_000);
  const late = gaps(starts).slice(-20);
  for (const g of late) assert.equal(g, MIN_PAINT_MS);
});

test('one paint scheduled at a time: pieces during a wait add none', () => {
  const pacer = new StreamPacer();
  assert.equal(pacer.delayFor(0), 0);
  assert.equal(pacer.delayFor(10), undefined);
  assert.equal(pacer.delayFor(20), undefined);
  pacer.started(20);
  assert.equal(pacer.delayFor(21), undefined, 'nothing is scheduled while the paint is in flight');
  pacer.painted(1); // a cheap paint: the next one MIN_PAINT_MS after it started
  assert.equal(pacer.delayFor(40), MIN_PAINT_MS - 20);
});

test("a paint that is not the stream's (the panel's first, a host message painted at once) sets no gap", () => {
  const pacer = new StreamPacer();
  assert.equal(pacer.painted(costFor(MAX_PAINT_MS) + 50), false);
  assert.equal(pacer.gapMs, MIN_PAINT_MS);
  assert.equal(pacer.paceToTell(0), undefined, 'the host is told nothing');
  pacer.started(0);
  assert.equal(pacer.painted(costFor(300)), true);
  assert.equal(pacer.gapMs, 300);
});

test("the gap after a paint follows that paint's own cost, not the one before it", () => {
  const pacer = new StreamPacer();
  pacer.started(0);
  pacer.painted(costFor(900)); // costly
  assert.equal(pacer.delayFor(50), 900 - 50);
  pacer.started(900);
  // A piece comes while the next paint is in flight: it waits for that paint's cost, not the last one's.
  assert.equal(pacer.delayFor(905), undefined);
  pacer.painted(costFor(200)); // cheap: little text since
  assert.equal(pacer.delayFor(910), 900 + 200 - 910);
});

test('a cost that grows with the text a paint brings settles at one gap, not alternating short and long', () => {
  // A paint's cost: a fixed part and a part per ms of stream since the last one (the text it brings).
  const starts = simulate((_, since) => 9 + 0.024 * Math.min(since, 5_000), 30_000, 10);
  const late = gaps(starts).slice(-10);
  const [lo, hi] = [Math.min(...late), Math.max(...late)];
  assert.ok(hi - lo <= 0.1 * hi, `late gaps ${late}`);
  assert.ok(lo > 2 * MIN_PAINT_MS, `late gaps ${late}`);
});

// The host posts stream pieces at most once per interval it was told (`stream/pace`): never more often than they are
// painted, so a costly panel gets fewer messages.
test("the host starts at the panel's own first gap, so cheap paints tell it nothing", () => {
  assert.equal(DELTA_INTERVAL_MS, MIN_PAINT_MS);
  const told: [number, number][] = [];
  simulate(() => 5, 10_000, 50, told);
  assert.deepEqual(told, []);
});

test('costly paints: the host is told the gap once, not at every paint', () => {
  const told: [number, number][] = [];
  const starts = simulate(() => OVER_CAP_MS, 10_000, 50, told);
  assert.deepEqual(
    told.map(([, ms]) => ms),
    [MAX_PAINT_MS],
  );
  assert.ok(starts.length >= Math.floor(10_000 / (MAX_PAINT_MS + OVER_CAP_MS)), `${starts.length} paints`);
});

test('a cost that jitters tells the host at most once per PACE_TELL_MS, only moves of PACE_STEP_MS or more', () => {
  const told: [number, number][] = [];
  // 16 to 24 ms: gaps of (16 - FRAME_MS) and (24 - FRAME_MS) times COST_FACTOR ms, alternating.
  simulate((i) => (i % 2 ? 16 : 24), 20_000, 50, told);
  assert.ok(told.length >= 1, 'told at least once');
  for (let i = 1; i < told.length; i++) {
    assert.ok(told[i][0] - told[i - 1][0] >= PACE_TELL_MS, `told at ${told[i - 1][0]} and ${told[i][0]}`);
    assert.ok(Math.abs(told[i][1] - told[i - 1][1]) >= PACE_STEP_MS, `${told[i - 1][1]} then ${told[i][1]}`);
  }
  assert.ok(told.length <= 20_000 / PACE_TELL_MS + 1, `${told.length} messages`);
});

test('the pace told follows the cost back down once paints are cheap again', () => {
  const told: [number, number][] = [];
  simulate((i) => (i < 10 ? OVER_CAP_MS : 2), 10 * MAX_PAINT_MS + 5_000, 50, told);
  assert.deepEqual(
    told.map(([, ms]) => ms),
    [MAX_PAINT_MS, MIN_PAINT_MS],
  );
});
