import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_CHARS, startsChunk } from '../../src/webview/chunkRule';

type Block = [size: number, nodeName: string];

/** Cuts blocks as render/blockChunks.ts does: each chunk's size and the name of its first block. (That a stream's
 *  batches and one render give the same chunks is checked on the real DOM: the panelFeatures UI test "streamed =
 *  opened" and the streaming bench's "final HTML same as one-shot"; here it would compare this loop with itself.) */
function cut(blocks: Block[]): { size: number; first: string }[] {
  const chunks: { size: number; first: string }[] = [];
  for (const [size, name] of blocks) {
    const open = chunks[chunks.length - 1];
    if (!open || startsChunk(open.size, name)) chunks.push({ size: 0, first: name });
    chunks[chunks.length - 1].size += size;
  }
  return chunks;
}

test('a chunk takes blocks until it holds CHUNK_CHARS characters of text', () => {
  const sizes = cut(Array.from({ length: 100 }, (): Block => [400, 'P'])).map((c) => c.size);
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
  const starts = cut(blocks).map((c) => c.first);
  assert.ok(starts.length > 5);
  assert.ok(
    starts.every((n) => n === 'DIV'),
    `chunks start with ${[...new Set(starts)]}`,
  );
});
