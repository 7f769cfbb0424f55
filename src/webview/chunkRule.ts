// Where a reply's blocks are cut into chunks (render/blockChunks.ts): after about CHUNK_CHARS characters of text, never
// between a code block and its action bar. The rule looks only at the blocks, in order, so a reply shown as it
// streamed and the same reply rendered at once are cut in the same places. DOM-free, unit-tested.

/** Characters of text after which a chunk takes no more blocks. */
export const CHUNK_CHARS = 3000;

/** Whether the block named `nodeName` (a top-level node's nodeName) starts a new chunk after an open chunk that holds
 *  `openChars` characters of text. A code block (`PRE`) stays with the action bar just before it. */
export function startsChunk(openChars: number, nodeName: string): boolean {
  return openChars >= CHUNK_CHARS && nodeName !== 'PRE';
}
