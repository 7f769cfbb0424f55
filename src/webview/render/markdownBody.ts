// The body of an assistant message. A reply that arrives finished is rendered whole, once. While a reply streams, its
// complete top-level blocks (blockSplitter.ts) are rendered once each and appended, never touched again (ahead of the
// paint, a slice of about SLICE_CHARS at a time, held out of the page until they are inserted together: renderAhead,
// insertHeld), and only the open tail is shown, as plain text appended in place. When the stream ends only the text
// after the last finished block is rendered: the splitter cuts only where the blocks' HTML one by one equals the
// whole's, so the result is the one-shot render of the final text (the streaming bench checks it) at the cost of about
// one render of it in all.
// (A reply with a link reference definition is rendered whole once at the end: such a definition changes earlier
// blocks.)
import { BlockChunks } from './blockChunks';
import { BlockSplitter } from './blockSplitter';
import { addCodeActions } from './codeBlockActions';
import { highlightCodeBlocks } from './codeHighlight';
import { renderMarkdown } from './markdown';

export class MarkdownBody {
  private readonly splitter = new BlockSplitter();
  /** The rendered blocks, in chunks that skip layout and paint off screen (blockChunks.ts). */
  private readonly chunks: BlockChunks;
  /** The open tail as plain text, one element per line: a frame re-lays out the line being written, not all of it.
   *  `tailLength`: how much of the tail it shows (0 once blocks were inserted before it: it is shown afresh). */
  private streaming: { tailEl: HTMLElement; line: Text; tailLength: number } | undefined;
  /** Blocks finished since the last paint, one by one as the splitter cut them; those from `taken` on are not rendered
   *  yet (an index, not shift/splice: a reply that ends at once may leave thousands for its slices). */
  private pending: string[] = [];
  private taken = 0;
  /** Blocks rendered ahead of the paint, not inserted yet (renderAhead), and their characters. */
  private held: DocumentFragment[] = [];
  private heldChars = 0;

  constructor(private readonly el: HTMLElement) {
    this.chunks = new BlockChunks(el);
  }

  /** The whole reply, final. After a stream only what follows the blocks it showed is rendered; else all of it. */
  showFinal(content: string): void {
    // Blocks rendered ahead go in first (the text after them is rendered below).
    this.insertHeld();
    const s = this.streaming;
    this.streaming = undefined;
    const pending = this.pending.slice(this.taken).join('');
    this.pending = [];
    this.taken = 0;
    let rest: string | undefined;
    if (s && this.splitter.extends(content)) {
      const { blocks, tail } = this.splitter.push(content);
      if (!this.splitter.needsWholeRender) rest = pending + blocks + tail;
    }
    this.splitter.reset();
    if (s && rest !== undefined) {
      s.tailEl.remove();
    } else {
      this.el.replaceChildren();
      this.chunks.reset();
    }
    this.chunks.append(render(rest ?? content), null);
    this.chunks.closeFollowed();
  }

  /**
   * Takes in `content` (the reply so far): the blocks finished since the last call wait to be rendered and inserted,
   * by renderAhead and insertHeld ahead of the paint, or by the paint (showStreaming). At the first piece it also
   * empties the body. Returns the open tail after those blocks.
   */
  prepareStreaming(content: string): string {
    if (!this.streaming || !this.splitter.extends(content)) this.startStreaming();
    const { pieces, tail } = this.splitter.push(content);
    for (const piece of pieces) this.pending.push(piece);
    return tail;
  }

  /** The reply just ended with `content` (before showFinal): while it was streaming and `content` extends it, its
   *  blocks finished since the last paint wait for renderAhead, as prepareStreaming has them; showFinal then renders
   *  only the last block. */
  prepareFinal(content: string): void {
    if (this.streaming && this.splitter.extends(content)) this.prepareStreaming(content);
  }

  /**
   * Renders waiting blocks, at least `maxChars` characters of their text or all there are, and holds them (not in the
   * page yet: a frame has nothing new to draw) until insertHeld. Returns the characters rendered (what is held in all,
   * and whether blocks are left: `ahead`).
   */
  renderAhead(maxChars: number): number {
    if (!this.streaming || this.taken === this.pending.length) return 0;
    const from = this.taken;
    let size = 0;
    while (this.taken < this.pending.length && size < maxChars) size += this.pending[this.taken++].length;
    const source = this.pending.slice(from, this.taken).join('');
    if (this.taken === this.pending.length) {
      this.pending = [];
      this.taken = 0;
    }
    this.held.push(render(source));
    this.heldChars += source.length;
    return source.length;
  }

  /** What is ahead of the paint: the characters rendered and held, and whether blocks are left to render. */
  get ahead(): { held: number; more: boolean } {
    return { held: this.heldChars, more: this.streaming !== undefined && this.taken < this.pending.length };
  }

  /**
   * Inserts the blocks renderAhead holds, in order, before the open tail, and empties the tail: what it showed is the
   * start of the first of those blocks. The paint shows the tail again. Returns the characters inserted.
   */
  insertHeld(): number {
    const s = this.streaming;
    const chars = this.heldChars;
    if (!s || chars === 0) return 0;
    for (const nodes of this.held) this.chunks.append(nodes, s.tailEl);
    this.held = [];
    this.heldChars = 0;
    if (s.tailLength > 0) {
      s.tailEl.replaceChildren();
      s.line = addLine(s.tailEl);
      s.tailLength = 0;
    }
    return chars;
  }

  /** The reply so far, while it streams. */
  showStreaming(content: string): void {
    const tail = this.prepareStreaming(content);
    const s = this.streaming as NonNullable<MarkdownBody['streaming']>;
    // Chunks that the last paint followed with another were laid out in its frame: they may skip from now on.
    this.chunks.closeFollowed();
    // The blocks no slice took (a message that paints at once). A block inserted empties the tail.
    this.renderAhead(Infinity);
    this.insertHeld();
    // The tail only grew since it was shown (the splitter checked the text extends the last one): append the rest.
    const added = tail.slice(s.tailLength);
    for (let from = 0; ;) {
      const nl = added.indexOf('\n', from);
      s.line.appendData(added.slice(from, nl < 0 ? undefined : nl + 1));
      if (nl < 0) break;
      s.line = addLine(s.tailEl);
      from = nl + 1;
    }
    s.tailLength = tail.length;
  }

  private startStreaming(): void {
    this.splitter.reset();
    const tailEl = document.createElement('div');
    tailEl.className = 'stream-tail';
    this.el.replaceChildren(tailEl);
    this.chunks.reset();
    this.streaming = { tailEl, line: addLine(tailEl), tailLength: 0 };
    this.pending = [];
    this.taken = 0;
    this.held = [];
    this.heldChars = 0;
  }
}

/** `source` (complete blocks) as decorated nodes, ready to insert. */
function render(source: string): DocumentFragment {
  const nodes = renderMarkdown(source);
  decorateCodeBlocks(nodes);
  return nodes;
}

/** A new, empty line at the end of the streaming tail. */
function addLine(tailEl: HTMLElement): Text {
  const text = document.createTextNode('');
  const line = document.createElement('div');
  line.append(text);
  tailEl.append(line);
  return text;
}

/** What each rendered piece of a reply gets once its HTML is in place: the code blocks' action bars, highlighting. */
function decorateCodeBlocks(root: ParentNode): void {
  addCodeActions(root);
  highlightCodeBlocks(root);
}
