// The body of an assistant message. A finished reply is rendered whole, once. While a reply streams, its complete
// top-level blocks are rendered once each and appended, and only the open tail is shown, as plain text appended in
// place: a 1 MiB reply in thousands of pieces costs about two markdown renders of its text in all, not one per frame.
import { BlockSplitter } from './blockSplitter';
import { addCodeActions } from './codeBlockActions';
import { highlightCodeBlocks } from './codeHighlight';
import { renderMarkdown } from './markdown';

export class MarkdownBody {
  private readonly splitter = new BlockSplitter();
  private streaming: { blocks: HTMLElement; tail: Text; tailLength: number } | undefined;

  constructor(private readonly el: HTMLElement) {}

  /** The whole reply, final: one render (whatever was shown while streaming is replaced). */
  showFinal(content: string): void {
    this.streaming = undefined;
    this.splitter.reset();
    this.el.innerHTML = renderMarkdown(content);
    addCodeActions(this.el);
    highlightCodeBlocks(this.el); // finished replies only: a streamed one is rendered whole again when it ends
  }

  /** The reply so far, while it streams. */
  showStreaming(content: string): void {
    if (!this.streaming || !this.splitter.extends(content)) this.startStreaming();
    const s = this.streaming as NonNullable<MarkdownBody['streaming']>;
    const { blocks, tail } = this.splitter.push(content);
    if (blocks) {
      const fragment = document.createElement('div');
      fragment.innerHTML = renderMarkdown(blocks);
      addCodeActions(fragment);
      s.blocks.append(...Array.from(fragment.childNodes));
    }
    // With no new block the tail only grew (the splitter checked the text extends the last one): append the rest.
    if (blocks) s.tail.data = tail;
    else s.tail.appendData(tail.slice(s.tailLength));
    s.tailLength = tail.length;
  }

  private startStreaming(): void {
    this.splitter.reset();
    const blocks = document.createElement('div');
    blocks.className = 'stream-blocks';
    const tailEl = document.createElement('div');
    tailEl.className = 'stream-tail';
    const tail = document.createTextNode('');
    tailEl.append(tail);
    this.el.replaceChildren(blocks, tailEl);
    this.streaming = { blocks, tail, tailLength: 0 };
  }
}
