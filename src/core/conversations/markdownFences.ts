// Markdown code fences (``` or ~~~ runs), as the auto-title and the Markdown export need to recognise them.
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The fence a line starts with (its backtick or tilde run), or undefined. */
export const fenceOf = (line: string): string | undefined => FENCE.exec(line)?.[1];

/** True when `line` closes a block opened by `open`: the same character, at least as many, nothing after. */
export function closesFence(open: string, line: string): boolean {
  const f = FENCE.exec(line);
  return !!f && f[1][0] === open[0] && f[1].length >= open.length && !line.slice(f[0].length).trim();
}
