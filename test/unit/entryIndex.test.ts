import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EntryIndex } from '../../src/core/cache/entryIndex';

describe('cache entry index', () => {
  it('keeps totals through writes, rewrites and deletions', () => {
    const index = new EntryIndex();
    index.set('a', { bytes: 100, lastUsed: 1, expiresAt: 50 });
    index.set('b', { bytes: 200, lastUsed: 2, expiresAt: 50 });
    index.set('a', { bytes: 150, lastUsed: 3, expiresAt: 50 });
    assert.deepEqual([index.size, index.bytes], [2, 350]);
    index.delete('b');
    index.delete('missing');
    assert.deepEqual([index.size, index.bytes], [1, 150]);
  });

  it('a listing merged in keeps what this window changed meanwhile, and drops unchanged keys not listed', () => {
    const index = new EntryIndex();
    index.set('old', { bytes: 10, lastUsed: 1, expiresAt: 99 });
    index.set('gone', { bytes: 20, lastUsed: 1, expiresAt: 99 });
    const mark = index.mark();
    index.set('during', { bytes: 30, lastUsed: 5, expiresAt: 99 }); // written while the listing ran
    index.set('old', { bytes: 11, lastUsed: 6, expiresAt: 99 }); // rewritten meanwhile: newer than the listing
    index.merge(
      [
        { key: 'old', bytes: 10, mtimeMs: 1.4 },
        { key: 'other', bytes: 40, mtimeMs: 2.6 }, // another window's entry
      ],
      mark,
    );
    assert.equal(index.get('gone'), undefined, 'deleted by another window');
    assert.deepEqual(index.get('during'), { bytes: 30, lastUsed: 5, expiresAt: 99, changed: 3 });
    assert.equal(index.get('old')?.bytes, 11);
    assert.deepEqual(index.get('other'), { bytes: 40, lastUsed: 3, expiresAt: Infinity, changed: 0 });
    assert.deepEqual([index.size, index.bytes], [3, 81]);
    index.merge([{ key: 'other', bytes: 40, mtimeMs: 7, expiresAt: 70 }], index.mark());
    assert.deepEqual(index.get('other'), { bytes: 40, lastUsed: 7, expiresAt: 70, changed: 0 }, 'a later listing wins');
    assert.deepEqual([index.size, index.bytes], [1, 40]);
  });

  it('evicts expired entries first (soonest first), then the least recently used', () => {
    const index = new EntryIndex();
    index.set('recent', { bytes: 1, lastUsed: 30, expiresAt: 1_000 });
    index.set('expired-late', { bytes: 1, lastUsed: 1, expiresAt: 90 });
    index.set('lru', { bytes: 1, lastUsed: 10, expiresAt: 1_000 });
    index.set('expired-early', { bytes: 1, lastUsed: 50, expiresAt: 80 });
    index.set('unknown-expiry', { bytes: 1, lastUsed: 20, expiresAt: Infinity });
    assert.deepEqual(index.evictionOrder(100), ['expired-early', 'expired-late', 'lru', 'unknown-expiry', 'recent']);
    index.setLastUsed('lru', 40); // another window used it
    assert.deepEqual(index.evictionOrder(100), ['expired-early', 'expired-late', 'unknown-expiry', 'recent', 'lru']);
  });
});
