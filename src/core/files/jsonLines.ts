// Reading an append-only JSON-lines file that several windows write (the usage ledger, the request metrics): each
// complete line is one record; a line that does not parse (a torn write glued to the next record) is split at every
// record start, so the records around the damage survive and only the damaged part is counted as skipped.

/** How every record line begins: the writers put the version field first (`{"v":…`). */
export const RECORD_START = '{"v":';

/** The records of `text` (complete lines only) that `parse` accepts, and how many pieces were skipped. */
export function parseJsonLines<T>(
  text: string,
  parse: (value: unknown) => T | undefined,
): { records: T[]; skipped: number } {
  const one = (piece: string): T | undefined => {
    try {
      return parse(JSON.parse(piece));
    } catch {
      return undefined;
    }
  };
  const records: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const whole = one(line);
    if (whole) {
      records.push(whole);
      continue;
    }
    const starts: number[] = [];
    for (let i = line.indexOf(RECORD_START); i >= 0; i = line.indexOf(RECORD_START, i + 1)) starts.push(i);
    if (starts[0] !== 0) starts.unshift(0);
    for (let k = 0; k < starts.length; k++) {
      const part = line.slice(starts[k], starts[k + 1]);
      const r = part.trim() === '' ? undefined : one(part);
      if (r) records.push(r);
      else if (part.trim() !== '') skipped++;
    }
  }
  return { records, skipped };
}
