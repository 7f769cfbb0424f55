// Splits a streaming markdown reply into top-level blocks that are complete (rendered once, never again) and the open
// tail (shown as plain text until it completes). Each call scans only the lines that arrived since the last one, so a
// reply of n characters costs O(n) in all, however many pieces it arrives in. DOM-free, unit-tested in plain Node.
//
// A block is complete at a blank line outside a fenced code block when the next line starts at column 0 with a
// non-blank character: in CommonMark that line begins a new top-level block (or continues a list, which then shows
// as two lists until the final render of the whole reply, which is the one that counts).

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLANK = /^[ \t]*\r?$/;

export interface SplitResult {
  /** Text of the blocks completed since the previous push ('' if none). */
  blocks: string;
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
  }

  /** Feeds the whole text so far, which must extend the previous one (see `extends`). */
  push(text: string): SplitResult {
    if (!this.extends(text)) throw new Error('BlockSplitter.push: the text does not extend the previous one');
    this.text = text;
    const start = this.committed;
    for (;;) {
      const nl = text.indexOf('\n', this.scanned);
      if (nl < 0) break;
      this.scanLine(text.slice(this.scanned, nl), this.scanned, nl + 1);
      this.scanned = nl + 1;
    }
    // The line being written already shows whether it starts a new block: its first character.
    const first = text.charAt(this.scanned);
    if (this.pendingSplit >= 0 && first !== '' && !/[ \t\r\n]/.test(first)) {
      this.committed = this.scanned;
      this.pendingSplit = -1;
    }
    return { blocks: text.slice(start, this.committed), tail: text.slice(this.committed) };
  }

  private scanLine(line: string, lineStart: number, next: number): void {
    const blank = BLANK.test(line);
    if (this.pendingSplit >= 0 && !blank) {
      if (!/^[ \t]/.test(line)) this.committed = lineStart;
      this.pendingSplit = -1;
    }
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
    } else if (blank) {
      this.pendingSplit = next;
    }
  }
}
