// Searching conversations: the query's pattern, the matches in one conversation (with a snippet), the order of the
// hits, and the search over many conversations (read through a function the caller gives: no I/O here).
import type { Conversation, ConversationSummary } from './codec';
import { inBatches } from './inBatches';

export interface SearchHit {
  id: string;
  title: string;
  snippet: string;
  matchCount: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A case-insensitive matcher for `query` (whitespace in it matches any whitespace), or undefined for a blank query. */
export function searchPattern(query: string): RegExp | undefined {
  const words = query.trim().slice(0, 200).split(/\s+/).filter(Boolean);
  return words.length ? new RegExp(words.map(escapeRegExp).join('\\s+'), 'giu') : undefined;
}

/** Matches in the title and every message (one linear pass each); the snippet shows the first content match. */
export function matchConversation(c: Conversation, pattern: RegExp): (SearchHit & { inTitle: boolean }) | undefined {
  const count = (s: string): number => {
    let n = 0;
    for (const _ of s.matchAll(pattern)) n++;
    return n;
  };
  const inTitle = count(c.title);
  let matchCount = inTitle;
  let snippet = '';
  for (const m of c.messages) {
    const n = count(m.content);
    if (n && !snippet) {
      pattern.lastIndex = 0;
      const at = pattern.exec(m.content);
      pattern.lastIndex = 0;
      if (at) snippet = around(m.content, at.index, at[0].length);
    }
    matchCount += n;
  }
  return matchCount
    ? { id: c.id, title: c.title, snippet: snippet || c.title, matchCount, inTitle: inTitle > 0 }
    : undefined;
}

function around(text: string, index: number, length: number, context = 40): string {
  const start = Math.max(0, index - context);
  const end = Math.min(text.length, index + length + context);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

/** A hit with what ranks it: whether the title matched and when its conversation was last updated. */
export type RankedHit = SearchHit & { inTitle: boolean; updatedAt: number };

/** Title matches first, then by match count, then newest; at most `limit`, without the ranking fields. */
export function rankHits(hits: RankedHit[], limit: number): SearchHit[] {
  hits.sort(
    (a, b) => Number(b.inTitle) - Number(a.inTitle) || b.matchCount - a.matchCount || b.updatedAt - a.updatedAt,
  );
  return hits
    .slice(0, Math.max(0, limit))
    .map(({ id, title, snippet, matchCount }) => ({ id, title, snippet, matchCount }));
}

/**
 * Case-insensitive search of titles and message contents of the conversations `list` names, each read with `get`
 * (a few at a time); title matches first, then by match count, then newest. A blank query lists nothing.
 */
export async function searchConversations(
  query: string,
  limit: number,
  list: () => Promise<ConversationSummary[]>,
  get: (id: string) => Promise<Conversation | undefined>,
): Promise<SearchHit[]> {
  const pattern = searchPattern(query);
  if (!pattern) return [];
  const hits: RankedHit[] = [];
  await inBatches(await list(), async (s) => {
    const c = await get(s.id);
    const hit = c && matchConversation(c, pattern);
    if (hit) hits.push({ ...hit, updatedAt: s.updatedAt });
  });
  return rankHits(hits, limit);
}
