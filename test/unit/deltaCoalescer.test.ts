// The host coalesces stream pieces before posting them to the panel: counted posts, no clock (a fake timer).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatSink } from '../../src/core/chat/chatInterfaces';
import { DeltaCoalescer, coalesceDeltas, type CoalesceTimer } from '../../src/core/chat/deltaCoalescer';
import type { ChatMessage } from '../../src/shared/conversation';

/** A timer that fires only when the test says so; `delays` lists the ms of each timer set. */
function fakeTimer(): CoalesceTimer & { fire(): void; pending(): number; delays: number[] } {
  let next = 1;
  const due = new Map<number, () => void>();
  const delays: number[] = [];
  return {
    delays,
    set: (fn, ms) => {
      delays.push(ms);
      due.set(next, fn);
      return next++;
    },
    clear: (h) => void due.delete(h as number),
    fire: () => {
      const fns = [...due.values()];
      due.clear();
      for (const fn of fns) fn();
    },
    pending: () => due.size,
  };
}

/** A sink that records every call in order. */
function recorder(): { sink: ChatSink; calls: string[] } {
  const calls: string[] = [];
  const sink: ChatSink = {
    started: (u) => calls.push(`started:${u.id}`),
    delta: (t) => calls.push(`delta:${t}`),
    done: (a) => calls.push(`done:${a.content}`),
    error: (e) => calls.push(`error:${e.kind}`),
    removed: (id) => calls.push(`removed:${id}`),
    retrying: (n) => calls.push(`retrying:${n.attempt}`),
    notice: (t) => calls.push(`notice:${t}`),
  };
  return { sink, calls };
}

const reply: ChatMessage = { id: 'a1', role: 'assistant', content: 'abcdefgh', createdAt: 1 };

describe('delta coalescer', () => {
  it('20,000 pieces over 200 intervals: the first piece at once, then one post per interval, the same text', () => {
    const timer = fakeTimer();
    const posts: string[] = [];
    const c = new DeltaCoalescer((t) => posts.push(t), 100, timer);
    let expected = '';
    for (let interval = 0; interval < 200; interval++) {
      for (let i = 0; i < 100; i++) {
        const piece = `${interval}.${i};`.slice(0, 4);
        expected += piece;
        c.push(piece);
        if (interval === 0 && i === 0) assert.deepEqual(posts, [piece], 'the first piece does not wait');
      }
      assert.equal(timer.pending(), 1, 'one timer per interval, not one per piece');
      timer.fire();
    }
    assert.equal(posts.length, 201, 'the first piece, then one post per interval');
    assert.equal(posts.join(''), expected);
    timer.fire();
    assert.equal(posts.length, 201, 'an interval with nothing queued posts nothing');
    assert.equal(timer.pending(), 0, 'no timer is left once an interval passes with nothing queued');
    c.push('late');
    assert.equal(posts[201], 'late', 'after a quiet interval a piece goes out at once again');
  });

  it('flush posts what is queued at once, cancels the timer and posts nothing when empty', () => {
    const timer = fakeTimer();
    const posts: string[] = [];
    const c = new DeltaCoalescer((t) => posts.push(t), 100, timer);
    c.push('ab');
    c.push('');
    c.push('cd');
    c.push('ef');
    assert.deepEqual(posts, ['ab'], 'the first piece at once, the rest queued');
    c.flush();
    assert.deepEqual(posts, ['ab', 'cdef']);
    assert.equal(timer.pending(), 0);
    c.flush();
    timer.fire();
    assert.deepEqual(posts, ['ab', 'cdef'], 'an empty queue posts nothing');
  });

  it('done, error, stop (done with a stopped reply) and every other call post the queued text first', () => {
    for (const end of ['done', 'error', 'removed', 'retrying', 'notice', 'started'] as const) {
      const timer = fakeTimer();
      const { sink, calls } = recorder();
      const s = coalesceDeltas(sink, 100, timer);
      s.delta('abcd');
      s.delta('efgh');
      s.delta('ijkl');
      if (end === 'done') s.done({ ...reply, status: 'stopped' });
      if (end === 'error') s.error({ kind: 'network', message: 'm', actions: [] } as never);
      if (end === 'removed') s.removed('u1');
      if (end === 'retrying') s.retrying({ attempt: 2 } as never);
      if (end === 'notice') s.notice('n');
      if (end === 'started') s.started({ ...reply, id: 'u1' }, reply);
      assert.deepEqual(calls.slice(0, 2), ['delta:abcd', 'delta:efghijkl'], `${end}: the queued text goes first`);
      assert.equal(calls.length, 3, `${end}: the first piece, the queued ones, then the call itself`);
      assert.ok(calls[2].startsWith(`${end}:`), `${end}: the call comes last`);
      assert.equal(timer.pending(), 0, `${end}: no timer left`);
      timer.fire();
      assert.equal(calls.length, 3, `${end}: nothing is posted twice`);
    }
  });

  it('keeps the order of deltas around other calls and flushes on request end', () => {
    const timer = fakeTimer();
    const { sink, calls } = recorder();
    const s = coalesceDeltas(sink, 100, timer);
    s.notice('headroom');
    s.delta('a');
    timer.fire();
    s.delta('b');
    s.delta('c');
    s.notice('later');
    s.delta('d');
    s.delta('e');
    s.flush();
    assert.deepEqual(calls, ['notice:headroom', 'delta:a', 'delta:b', 'delta:c', 'notice:later', 'delta:d', 'delta:e']);
    assert.equal(timer.pending(), 0);
  });

  it('reads its interval at each one it starts: a reply streaming when the panel tells its pace follows it', () => {
    const timer = fakeTimer();
    const posts: string[] = [];
    let pace = 100;
    const c = new DeltaCoalescer(
      (t) => posts.push(t),
      () => pace,
      timer,
    );
    c.push('a'); // at once; an interval of 100 starts
    c.push('b');
    pace = 250; // the panel said it paints every 250 ms
    timer.fire(); // 'b' goes out; the next interval is 250
    c.push('c');
    timer.fire();
    assert.deepEqual(posts, ['a', 'b', 'c']);
    assert.deepEqual(timer.delays, [100, 250, 250]);
  });
});
