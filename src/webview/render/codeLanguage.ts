// A code block's language: the tag markdown-it puts in the <code> element's class (`language-ts` for a ```ts fence),
// and the highlight.js language file that highlights it. The tag goes to the host as it is (for Save as New File),
// so only a plain identifier counts: anything else is no language.
const TAG = /^[A-Za-z0-9_+#.-]{1,40}$/;

/** The fence tag from a <code> element's class list, or '' for none (or none that is a plain identifier). */
export function fenceTag(className: string): string {
  for (const cls of className.split(/\s+/)) {
    if (cls.startsWith('language-')) {
      const tag = cls.slice('language-'.length);
      return TAG.test(tag) ? tag : '';
    }
  }
  return '';
}

/** The highlight.js language file for `tag` in `table` (tag -> file, built from highlight.js's own aliases). */
export function highlightFileFor(tag: string, table: Readonly<Record<string, string>>): string | undefined {
  const t = tag.toLowerCase();
  return Object.hasOwn(table, t) ? table[t] : undefined;
}
