// Which code an action works on when nothing is selected (issue #13): the innermost function, method, class or
// other block around the cursor, out of the document's symbols (the host asks the language's symbol provider).
// Pure: positions are plain numbers, 0-based like VS Code's.

export interface Position0 {
  line: number;
  character: number;
}

export interface SymbolNode {
  name: string;
  /** VS Code's SymbolKind name, e.g. "Function", "Method", "Class", "Variable". */
  kind: string;
  start: Position0;
  end: Position0;
  children?: readonly SymbolNode[];
}

/** Kinds that are a block of code on their own. Other kinds (a variable, a property) count only when they span
 *  several lines, e.g. `const f = () => { … }`. */
export const BLOCK_KINDS: ReadonlySet<string> = new Set([
  'Function',
  'Method',
  'Constructor',
  'Class',
  'Interface',
  'Enum',
  'Struct',
  'Module',
  'Namespace',
  'Object',
]);

const before = (a: Position0, b: Position0) => a.line < b.line || (a.line === b.line && a.character <= b.character);

function contains(s: SymbolNode, p: Position0): boolean {
  return before(s.start, p) && before(p, s.end);
}

function isBlock(s: SymbolNode): boolean {
  return BLOCK_KINDS.has(s.kind) || s.end.line > s.start.line;
}

/** The innermost block symbol containing `cursor`, or undefined. Visits each symbol at most once. */
export function enclosingSymbol(symbols: readonly SymbolNode[], cursor: Position0): SymbolNode | undefined {
  let found: SymbolNode | undefined;
  let level: readonly SymbolNode[] | undefined = symbols;
  while (level) {
    const next: SymbolNode | undefined = level.find((s) => contains(s, cursor));
    if (!next) break;
    if (isBlock(next)) found = next;
    level = next.children;
  }
  return found;
}
