import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_CHARS, startsChunk } from '../../src/webview/chunkRule';

/** Cuts blocks of the given sizes and names as render/blockChunks.ts does: the sizes of the chunks. */
function cut(blocks: [number, string][]): number[] {
  const chunks: number[] = [];
  for (const [size, name] of blocks) {
    if (chunks.length === 0 || startsChunk(chunks[chunks.length - 1], name)) chunks.push(0);
    chunks[chunks.length - 1] += size;
  }
  return chunks;
}

test('a chunk takes blocks until it holds CHUNK_CHARS characters of text', () => {
  const sizes = cut(Array.from({ length: 100 }, () => [400, 'P'] as [number, string]));
  const per = Math.ceil(CHUNK_CHARS / 400);
  assert.equal(sizes.length, Math.ceil(100 / per));
  for (const s of sizes.slice(0, -1)) assert.equal(s, per * 400);
  assert.ok(!startsChunk(CHUNK_CHARS - 1, 'P'));
  assert.ok(startsChunk(CHUNK_CHARS, 'P'));
});

test('a code block is never cut from the action bar before it', () => {
  assert.ok(!startsChunk(CHUNK_CHARS * 10, 'PRE'));
  // bar, code, bar, code...: every chunk starts with a bar.
  const blocks: [number, string][] = [];
  for (let i = 0; i < 50; i++) blocks.push([20, 'DIV'], [700, 'PRE']);
  let open = -1;
  const starts: string[] = [];
  for (const [size, name] of blocks) {
    if (open < 0 || startsChunk(open, name)) {
      starts.push(name);
      open = 0;
    }
    open += size;
  }
  assert.ok(starts.length > 5);
  assert.ok(
    starts.every((n) => n === 'DIV'),
    `chunks start with ${[...new Set(starts)]}`,
  );
});

test('the cuts depend only on the blocks: appended in batches, as a stream does, or at once, the same chunks', () => {
  const blocks: [number, string][] = Array.from({ length: 300 }, (_, i) => [(i * 7919) % 1500, i % 5 ? 'P' : 'PRE']);
  // As BlockChunks keeps it between appends: the open chunk's size.
  const batched: number[] = [];
  for (let at = 0, n = 1; at < blocks.length; at += n, n = (n * 3) % 7 || 1) {
    for (const [size, name] of blocks.slice(at, at + n)) {
      if (batched.length === 0 || startsChunk(batched[batched.length - 1], name)) batched.push(0);
      batched[batched.length - 1] += size;
    }
  }
  assert.deepEqual(batched, cut(blocks));
  assert.equal(
    batched.reduce((a, b) => a + b, 0),
    blocks.reduce((a, [s]) => a + s, 0),
  );
});
