import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_CHARS, startsChunk } from '../../src/webview/chunkRule';

type Block = [size: number, nodeName: string];

/** Cuts blocks as render/blockChunks.ts does, taking them in the given batches (the open chunk carries over, as it
 *  does between a stream's paints): each chunk's size and the name of its first block. */
function cut(batches: Block[][]): { size: number; first: string }[] {
  const chunks: { size: number; first: string }[] = [];
  for (const batch of batches)
    for (const [size, name] of batch) {
      const open = chunks[chunks.length - 1];
      if (!open || startsChunk(open.size, name)) chunks.push({ size: 0, first: name });
      chunks[chunks.length - 1].size += size;
    }
  return chunks;
}

test('a chunk takes blocks until it holds CHUNK_CHARS characters of text', () => {
  const sizes = cut([Array.from({ length: 100 }, (): Block => [400, 'P'])]).map((c) => c.size);
  const per = Math.ceil(CHUNK_CHARS / 400);
  assert.equal(sizes.length, Math.ceil(100 / per));
  for (const s of sizes.slice(0, -1)) assert.equal(s, per * 400);
  assert.ok(!startsChunk(CHUNK_CHARS - 1, 'P'));
  assert.ok(startsChunk(CHUNK_CHARS, 'P'));
});

test('a code block is never cut from the action bar before it', () => {
  assert.ok(!startsChunk(CHUNK_CHARS * 10, 'PRE'));
  // bar, code, bar, code...: every chunk starts with a bar.
  const blocks: Block[] = [];
  for (let i = 0; i < 50; i++) blocks.push([20, 'DIV'], [700, 'PRE']);
  const starts = cut([blocks]).map((c) => c.first);
  assert.ok(starts.length > 5);
  assert.ok(
    starts.every((n) => n === 'DIV'),
    `chunks start with ${[...new Set(starts)]}`,
  );
});

test('the cuts depend only on the blocks: appended in batches, as a stream does, or at once, the same chunks', () => {
  const blocks: Block[] = Array.from({ length: 300 }, (_, i) => [(i * 7919) % 1500, i % 5 ? 'P' : 'PRE']);
  const batches: Block[][] = [];
  for (let at = 0, n = 1; at < blocks.length; at += n, n = (n * 3) % 7 || 1) batches.push(blocks.slice(at, at + n));
  const batched = cut(batches);
  assert.deepEqual(batched, cut([blocks]));
  assert.equal(
    batched.reduce((a, c) => a + c.size, 0),
    blocks.reduce((a, [s]) => a + s, 0),
  );
});
