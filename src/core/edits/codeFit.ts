// Fits a code block from a reply to the place it goes in a document. A fenced block's text ends with one newline and
// is usually indented from column 0; the document's code sits at some indentation. The block is re-based to the
// indentation of where it goes (its own relative indentation kept, which matters for Python, YAML, Makefiles), and
// its trailing newline is kept only where the replaced text had one. Linear in the code's length.

/** Where the code goes: the line's text before the insertion point, the text it replaces ('' to insert), after it. */
export interface CodePlace {
  before: string;
  replaced: string;
  after: string;
}

const leading = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';
const isBlank = (line: string): boolean => line.trim() === '';

/** The code's lines with their smallest common indentation (over non-blank lines) removed. */
function dedent(lines: string[]): string[] {
  let common: string | undefined;
  for (const line of lines) {
    if (isBlank(line)) continue;
    const ws = leading(line);
    if (common === undefined || ws.length < common.length) common = ws;
  }
  const cut = common?.length ?? 0;
  return cut === 0 ? lines : lines.map((line) => (isBlank(line) ? '' : line.slice(cut)));
}

/** The text to write at `place` for a code block whose text is `code`. */
export function fitCode(code: string, place: CodePlace): string {
  const text = code.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  const replacedEndsLine = place.replaced.endsWith('\n');
  // Code placed after other text on its line (mid-line) is written as it is: there is no indentation to follow.
  if (!isBlank(place.before)) return replacedEndsLine ? `${text}\n` : text;
  const firstIndent = leading(place.replaced);
  const indent = place.before + firstIndent;
  const lines = dedent(text.split('\n'));
  const body = lines.map((line, i) => (i === 0 ? firstIndent + line : isBlank(line) ? '' : indent + line)).join('\n');
  if (replacedEndsLine) return `${body}\n`;
  // Inserted at the start of a line that has code after it: that code moves to its own line, at the same indentation.
  if (place.replaced === '' && !isBlank(place.after)) return `${body}\n${place.before}`;
  return body;
}
