// Splits a streaming markdown reply into top-level blocks that are complete (rendered once, never again) and the open
// tail (shown as plain text until it completes). Each call scans only the lines that arrived since the last one, so a
// reply of n characters costs O(n) in all, however many pieces it arrives in. DOM-free, unit-tested in plain Node.
//
// A block is complete at a blank line outside a fenced code block when the next line starts at column 0 with a
// non-blank character: in CommonMark that line begins a new top-level block. The cut is made only where rendering the
// pieces one by one gives the same HTML as rendering the whole text, so the finished blocks are final (markdownBody
// renders each once and never again): not between two list items (a blank line between items makes one loose list,
// not two), and a reply with a link reference definition (`[x]: url`, which applies to every block) is flagged so
// that its final render is a whole one. test/unit/blockSplitter.test.ts checks the equality with markdown-it.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLANK = /^[ \t]*\r?$/;
/** A line that starts a list item (bullet or ordered), at column 0. */
const LIST_ITEM = /^([-*+]|\d{1,9}[.)])([ \t]|\r?$)/;
/** Could be the start of a list item once more of the line has arrived. */
const MAYBE_LIST_ITEM = /^([-*+]|\d{1,9}[.)]?)$/;
/** A link reference definition, possibly inside a blockquote or list item: it applies to the whole document. */
const REFERENCE = /^[ \t>*+\-\d.)]*\[[^\]]+\]:/;

export interface SplitResult {
  /** Text of the blocks completed since the previous push ('' if none). */
  blocks: string;
  /** The same text cut where each block ends: rendering them one by one, or any run of them together, gives the
   *  whole's HTML too. */
  pieces: string[];
  /** The text after the last complete block. */
  tail: string;
}

export class BlockSplitter {
  private text = '';
  /** Start of the first line not scanned yet. */
  private scanned = 0;
  /** End of the text already handed out as complete blocks. */
  private committed = 0;
  /** Just after a blank line outside a fence: a block ends there if the next line starts a new one. */
  private pendingSplit = -1;
  private fence: { char: string; length: number } | undefined;
  /** Whether the open block starts with a list item (undefined until its first non-blank line). */
  private openIsList: boolean | undefined;
  /** A link reference definition was seen outside code: the pieces' HTML may differ from the whole's. */
  private reference = false;
  /** Where the blocks completed in the current push end. */
  private cuts: number[] = [];

  /** Whether rendering the handed-out pieces one by one may differ from rendering the whole text (see top). */
  get needsWholeRender(): boolean {
    return this.reference;
  }

  /**
   * Whether `text` extends the text pushed so far (otherwise `reset()` first). A streaming reply only grows, so the
   * check compares the end of the previous text (up to 256 characters), not all of it: O(1) per push.
   */
  extends(text: string): boolean {
    const n = this.text.length;
    if (text.length < n) return false;
    const from = Math.max(0, n - 256);
    return text.startsWith(this.text.slice(from), from);
  }

  reset(): void {
    this.text = '';
    this.scanned = 0;
    this.committed = 0;
    this.pendingSplit = -1;
    this.fence = undefined;
    this.openIsList = undefined;
    this.reference = false;
  }

  /** Feeds the whole text so far, which must extend the previous one (see `extends`). */
  push(text: string): SplitResult {
    if (!this.extends(text)) throw new Error('BlockSplitter.push: the text does not extend the previous one');
    this.text = text;
    const start = this.committed;
    this.cuts = [];
    for (;;) {
      const nl = text.indexOf('\n', this.scanned);
      if (nl < 0) break;
      this.scanLine(text.slice(this.scanned, nl), this.scanned, nl + 1);
      this.scanned = nl + 1;
    }
    // The line being written often shows already whether it starts a new block: its first character (after a list,
    // only once it is clear that it does not start another item).
    const partial = text.slice(this.scanned, this.scanned + 12);
    if (this.pendingSplit >= 0 && partial !== '' && !/^[ \t\r\n]/.test(partial)) {
      if (!this.openIsList) this.commit(this.scanned);
      else if (!LIST_ITEM.test(partial) && !MAYBE_LIST_ITEM.test(partial)) this.commit(this.scanned);
    }
    const pieces = this.cuts.map((end, i) => text.slice(i === 0 ? start : this.cuts[i - 1], end));
    return { blocks: text.slice(start, this.committed), pieces, tail: text.slice(this.committed) };
  }

  private commit(at: number): void {
    this.cuts.push(at);
    this.committed = at;
    this.pendingSplit = -1;
    this.openIsList = undefined;
  }

  private scanLine(line: string, lineStart: number, next: number): void {
    const blank = BLANK.test(line);
    if (this.pendingSplit >= 0 && !blank) {
      if (!/^[ \t]/.test(line) && !(this.openIsList && LIST_ITEM.test(line))) this.commit(lineStart);
      this.pendingSplit = -1;
    }
    if (!blank && this.openIsList === undefined) this.openIsList = LIST_ITEM.test(line);
    const fence = FENCE.exec(line);
    if (this.fence) {
      if (
        fence &&
        fence[1][0] === this.fence.char &&
        fence[1].length >= this.fence.length &&
        line.slice(fence[0].length).trim() === ''
      ) {
        this.fence = undefined;
      }
    } else if (fence) {
      this.fence = { char: fence[1][0], length: fence[1].length };
    } else if (REFERENCE.test(line)) {
      this.reference = true;
    } else if (blank) {
      this.pendingSplit = next;
    }
  }
}
