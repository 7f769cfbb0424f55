// What an action refuses to send (issue #13, "bad input"): an empty document or input, binary content, or more text
// than one action may send. Each refusal is a sentence for the user; nothing is sent and nothing changes.
import * as l10n from '@vscode/l10n';
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
  /** How the input is named, already in the display language: "selection", "function add", "file". */
  inputLabel: string;
}

/** Why `facts` must not be sent, or undefined when it may. Linear in the input. */
export function refusalFor(facts: InputFacts): string | undefined {
  if (facts.documentChars === 0) return l10n.t('Tally: {0} is empty; there is no code to send.', facts.file);
  if (facts.head.includes('\0') || facts.input.includes('\0'))
    return l10n.t('Tally: {0} looks binary (it contains NUL bytes); Tally only sends text.', facts.file);
  if (facts.input.trim() === '')
    return l10n.t('Tally: the {0} is only whitespace; select some code first.', facts.inputLabel);
  if (facts.input.length > MAX_ACTION_INPUT_CHARS)
    return l10n.t(
      'Tally: the {0} is {1}, more than the {2} one action sends. Select a smaller part.',
      facts.inputLabel,
      formatBytes(facts.input.length),
      formatBytes(MAX_ACTION_INPUT_CHARS),
    );
  return undefined;
}
