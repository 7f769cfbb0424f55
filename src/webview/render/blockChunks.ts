// A reply's top-level blocks, grouped in chunks of about CHUNK_CHARS characters of text (chunkRule.ts). A chunk that
// another chunk follows is closed: off screen it skips style, layout, pre-paint and paint (`content-visibility: auto`
// in media/chat.css), at the size it was last laid out at (`contain-intrinsic-size: auto`). Without chunks every frame
// of a streaming reply walked all of its blocks, so a paint cost more the longer the reply was and a stream cost the
// square of its length (bench/streamRender.ts measured ~5 ms of thread time per paint at 10,000 characters, ~10 ms at
// 160,000; with chunks ~6 ms at both).
//
// The cuts depend only on the blocks, in order, so a reply shown as it streamed and the same reply rendered at once end
// as the same DOM. While a reply streams, a chunk is closed at the paint after the next chunk started
// (closeFollowed): by then the frame that laid it out has recorded its size, so skipping it moves nothing.
import { startsChunk } from '../chunkRule';

export class BlockChunks {
  private open: HTMLElement | undefined;
  private openChars = 0;
  /** Chunks that another chunk follows, not closed yet. */
  private followed: HTMLElement[] = [];

  /** `body` holds the chunks; while a reply streams its open tail follows them. */
  constructor(private readonly body: HTMLElement) {}

  /** Forgets the chunks (the caller empties the body). */
  reset(): void {
    this.open = undefined;
    this.openChars = 0;
    this.followed = [];
  }

  /** Moves `nodes` (rendered top-level blocks) into the chunks, in order, inserting new chunks before `before`. */
  append(nodes: DocumentFragment, before: Node | null): void {
    for (let node = nodes.firstChild; node; node = nodes.firstChild) {
      if (!this.open || startsChunk(this.openChars, node.nodeName)) {
        if (this.open) this.followed.push(this.open);
        this.open = document.createElement('div');
        this.open.className = 'chunk';
        this.openChars = 0;
        this.body.insertBefore(this.open, before);
      }
      this.openChars += node.textContent?.length ?? 0;
      this.open.append(node);
    }
  }

  /** Closes every chunk that another chunk follows. */
  closeFollowed(): void {
    for (const chunk of this.followed) chunk.classList.add('closed');
    this.followed = [];
  }
}
