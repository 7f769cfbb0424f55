// What an action refuses to send (issue #13, "bad input"): an empty document or input, binary content, or more text
// than one action may send. Each refusal is a sentence for the user; nothing is sent and nothing changes.
import { formatBytes } from './sizes';

/** Most characters of code one action sends (before the context window fit cuts it further). */
export const MAX_ACTION_INPUT_CHARS = 512 * 1024;
/** Whole file offered, with nothing selected and no enclosing symbol, up to this many lines. */
export const WHOLE_FILE_MAX_LINES = 400;
/** How far into a document a NUL byte is looked for (what git looks at to call a file binary). */
export const BINARY_PROBE_CHARS = 8000;

export interface InputFacts {
  /** The document's name as shown ("src/a.ts"). */
  file: string;
  /** The document's first characters (up to BINARY_PROBE_CHARS). */
  head: string;
  /** Characters in the whole document. */
  documentChars: number;
  /** The text the action would send. */
  input: string;
  /** How the input is named: "selection", "function add", "file". */
  inputLabel: string;
}

/** Why `facts` must not be sent, or undefined when it may. Linear in the input. */
export function refusalFor(facts: InputFacts): string | undefined {
  if (facts.documentChars === 0) return `Tally: ${facts.file} is empty; there is no code to send.`;
  if (facts.head.includes('\0') || facts.input.includes('\0'))
    return `Tally: ${facts.file} looks binary (it contains NUL bytes); Tally only sends text.`;
  if (facts.input.trim() === '') return `Tally: the ${facts.inputLabel} is only whitespace; select some code first.`;
  if (facts.input.length > MAX_ACTION_INPUT_CHARS)
    return (
      `Tally: the ${facts.inputLabel} is ${formatBytes(facts.input.length)}, more than the ` +
      `${formatBytes(MAX_ACTION_INPUT_CHARS)} one action sends. Select a smaller part.`
    );
  return undefined;
}
