// Conversation titles: the auto-title taken from the first question (plain text of its first line of prose, cut on
// a word boundary), and a title the user chose. Pure functions.
import { defaultTitle, type Conversation } from './codec';
import { closesFence, fenceOf } from './markdownFences';

/** Plain text of one Markdown line: block markers, links, emphasis and code backticks removed. */
function plainLine(line: string): string {
  const body = line.replace(/^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)*/, '');
  return body
    .split(/(`+[^`]*`+)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.replace(/^`+|`+$/g, '')
        : part
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/\*\*(.+?)\*\*|__(.+?)__|~~(.+?)~~/g, '$1$2$3')
            .replace(/\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2'),
    )
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A title from the first question: its first line of prose (code blocks skipped), plain, at most `max` characters. */
export function autoTitle(text: string, max = 60): string {
  let fence = '';
  let firstCode = '';
  for (const line of text.split('\n')) {
    const f = fenceOf(line);
    if (fence) {
      if (closesFence(fence, line)) fence = '';
      else if (!firstCode) firstCode = line.trim();
    } else if (f) fence = f;
    else {
      const plain = plainLine(line);
      if (plain) return shorten(plain, max);
    }
  }
  return firstCode ? shorten(firstCode.replace(/\s+/g, ' '), max) : defaultTitle();
}

/** Cut on a word boundary (if one is not too far back), with "…"; the result has at most `max` characters. */
function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  if (space >= max / 2) cut = cut.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never split a surrogate pair
  return `${cut.replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** The first user message's auto-title, or the default while there is none. */
export function titleFor(c: Conversation): string {
  const first = c.messages.find((m) => m.role === 'user' && m.content.trim());
  return first ? autoTitle(first.content) : defaultTitle();
}

/** Sets a title the user chose (whitespace collapsed, at most 200 characters); a blank one goes back to the auto-title. */
export function retitle(c: Conversation, title: string): void {
  const clean = title.replace(/\s+/g, ' ').trim().slice(0, 200);
  c.titleIsAuto = !clean;
  c.title = clean || titleFor(c);
}
