import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disposable, DisposableBag } from '../../src/core/dispose';
import { errorMessage } from '../../src/core/errorMessage';

describe('disposable', () => {
  it('runs its release once; later calls return the first result', async () => {
    let runs = 0;
    const d = disposable(async () => {
      runs++;
    });
    assert.equal(d.disposed, false);
    const first = d.dispose();
    assert.equal(d.dispose(), first);
    await first;
    assert.equal(runs, 1);
    assert.equal(d.disposed, true);
  });

  it('does not swallow a failure, and does not run the release again after it', async () => {
    let runs = 0;
    const d = disposable(() => {
      runs++;
      throw new Error('boom');
    });
    assert.throws(() => d.dispose(), /boom/);
    assert.equal(d.disposed, true);
    d.dispose();
    assert.equal(runs, 1);
    const rejecting = disposable(() => Promise.reject(new Error('async boom')));
    await assert.rejects(rejecting.dispose(), /async boom/);
    await assert.rejects(rejecting.dispose(), /async boom/, 'the same rejected promise');
  });
});

describe('DisposableBag', () => {
  it('disposes in reverse order of adding, each once, even when disposed twice', async () => {
    const order: string[] = [];
    const bag = new DisposableBag();
    for (const name of ['a', 'b', 'c'])
      bag.add({
        dispose: async () => {
          order.push(name);
        },
      });
    assert.equal(bag.size, 3);
    const first = bag.dispose();
    assert.equal(bag.dispose(), first);
    await first;
    assert.deepEqual(order, ['c', 'b', 'a']);
    assert.equal(bag.size, 0);
  });

  it('disposes the rest after a failure, then rejects with it (several: AggregateError)', async () => {
    const order: string[] = [];
    const one = new DisposableBag();
    one.add({
      dispose: () => {
        order.push('a');
      },
    });
    one.add({
      dispose: () => {
        throw new Error('b failed');
      },
    });
    one.add({
      dispose: () => {
        order.push('c');
      },
    });
    await assert.rejects(one.dispose(), /b failed/);
    assert.deepEqual(order, ['c', 'a']);

    const two = new DisposableBag();
    two.add({
      dispose: () => {
        throw new Error('x');
      },
    });
    two.add({ dispose: () => Promise.reject(new Error('y')) });
    await assert.rejects(
      two.dispose(),
      (e: unknown) => e instanceof AggregateError && e.errors.map(errorMessage).join(',') === 'y,x',
    );
  });

  it('refuses items once disposed', async () => {
    const bag = new DisposableBag();
    await bag.dispose();
    assert.throws(() => bag.add({ dispose: () => undefined }), /disposed/);
  });
});

describe('errorMessage', () => {
  it('an Error gives its message; anything else its String()', () => {
    assert.equal(errorMessage(new TypeError('bad type')), 'bad type');
    assert.equal(errorMessage('plain'), 'plain');
    assert.equal(errorMessage(42), '42');
    assert.equal(errorMessage(undefined), 'undefined');
    assert.equal(errorMessage({ message: 'not an Error' }), '[object Object]');
  });
});
