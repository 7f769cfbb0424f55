// Replace Selection is shown as a diff first and applied only when the user accepts it. Between the two the document
// can change (typing, a formatter, another extension, the file changing on disk): then the offsets and the text the
// diff showed no longer describe it, and the replacement is refused rather than applied to the wrong text.
import * as l10n from '@vscode/l10n';

/** What the diff showed: the document at one version, the range replaced and what replaces it. */
export interface ReplacementProposal {
  /** The document's URI, as a string. */
  document: string;
  /** Its name for messages ("utils.ts"). */
  name: string;
  version: number;
  /** Offsets of the replaced range in the document at that version. */
  start: number;
  end: number;
  /** The text in that range when the diff was shown. */
  original: string;
  replacement: string;
}

/** The document when the user accepts. */
export interface DocumentNow {
  document: string;
  version: number;
  closed: boolean;
  /** The text between the proposal's offsets now. */
  textInRange: string;
}

export type ReplacementVerdict = { ok: true } | { ok: false; reason: string };

/** Whether the proposal still applies to the document as it is now. */
export function checkReplacement(p: ReplacementProposal, now: DocumentNow): ReplacementVerdict {
  if (now.document !== p.document || now.closed)
    return {
      ok: false,
      reason: l10n.t('{0} was closed. Nothing was replaced: run Replace Selection again to see a fresh diff.', p.name),
    };
  if (now.version !== p.version || now.textInRange !== p.original) {
    return {
      ok: false,
      reason: l10n.t(
        '{0} changed after the diff was shown. Nothing was replaced: run Replace Selection again to see a fresh diff.',
        p.name,
      ),
    };
  }
  return { ok: true };
}

/** The document's text with the proposal applied: the right side of the diff. */
export function proposedText(
  documentText: string,
  p: Pick<ReplacementProposal, 'start' | 'end' | 'replacement'>,
): string {
  return documentText.slice(0, p.start) + p.replacement + documentText.slice(p.end);
}
