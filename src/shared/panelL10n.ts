// How the chat panel gets its language (issue #15): the host writes VS Code's display language and the extension's
// l10n bundle into the panel's HTML as a JSON data block (`<script type="application/json" id="tally-l10n">`, never
// executed, so the CSP needs no change), and the panel reads it back before its first render. Both halves are here,
// pure (no vscode, no DOM), so the round trip and every malformed payload are unit-tested in plain Node.

/** The id of the data block in the panel's HTML. */
export const PANEL_L10N_ID = 'tally-l10n';

/** A payload larger than this is ignored (the panel shows English): Tally's whole bundle is a few tens of KB. */
export const MAX_PAYLOAD_CHARS = 1_000_000;
/** At most this many strings are taken from a bundle. */
export const MAX_BUNDLE_ENTRIES = 10_000;

export interface PanelL10n {
  /** VS Code's display language, e.g. "en" or "zh-cn". */
  language: string;
  /** English text → translation (empty: English). */
  bundle: Record<string, string>;
}

export const ENGLISH: PanelL10n = { language: 'en', bundle: {} };

/**
 * The payload as JSON that is safe inside a `<script>` element: `<` (so `</script>` and `<!--` cannot end or change
 * the element), `>`, `&` and the line separators U+2028/U+2029 are written as \u escapes, which JSON reads back as
 * the same characters.
 */
export function serializePanelL10n(language: string, bundle: unknown): string {
  const strings: Record<string, string> = {};
  if (bundle && typeof bundle === 'object' && !Array.isArray(bundle)) {
    for (const [key, value] of Object.entries(bundle as Record<string, unknown>)) {
      // A bundle entry with a translator's comment is { message, comment }: the panel needs the message only.
      const message = typeof value === 'string' ? value : (value as { message?: unknown } | null)?.message;
      if (typeof message === 'string') strings[key] = message;
    }
  }
  return JSON.stringify({ language, bundle: strings }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The payload read back from the data block's text: the language and a bundle of strings only. Anything malformed
 * (missing, too large, not JSON, wrong shapes) gives English; a bad entry in an otherwise good bundle is skipped.
 */
export function parsePanelL10n(text: string | null | undefined): PanelL10n {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_PAYLOAD_CHARS) return ENGLISH;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return ENGLISH;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return ENGLISH;
  const { language, bundle } = data as { language?: unknown; bundle?: unknown };
  if (typeof language !== 'string' || language.length > 35) return ENGLISH;
  const strings: Record<string, string> = Object.create(null) as Record<string, string>;
  if (bundle && typeof bundle === 'object' && !Array.isArray(bundle)) {
    let n = 0;
    for (const [key, value] of Object.entries(bundle as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      if (++n > MAX_BUNDLE_ENTRIES) break;
      strings[key] = value;
    }
  }
  return { language, bundle: strings };
}
