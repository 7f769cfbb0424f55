// The ledger folder's files: the names of a month's detail (`usage-YYYY-MM.jsonl`) and summary
// (`usage-YYYY-MM.summary.json`), the summary's format (day × model × workspace × surface buckets of a compacted month), and
// the size-checked reads of both (a file over its bound, a link or not a file is refused, then set aside with one
// warning). See ledger.ts for how windows share them.
import { errorMessage } from '../errorMessage';
import { readBounded, readBytesAfter } from '../files/boundedRead';
import { isNotFound, isRefusedFile } from '../files/fileErrors';
import { moveAside } from '../files/leftovers';
import type { Logger } from '../ports';
import { surfaceOf } from './surfaces';
import { compareBuckets, parseTotals, type UsageBucket } from './totals';

/** The largest month of detail read: 256 MiB is about a million requests, far more than a month of real use. */
export const MAX_LEDGER_MONTH_BYTES = 256 * 1024 * 1024;
/** The largest summary read: day × model × workspace × surface buckets of one month fit in a small fraction of this. */
export const MAX_LEDGER_SUMMARY_BYTES = 16 * 1024 * 1024;

export const DETAIL_FILE = /^usage-(\d{4}-\d{2})\.jsonl$/;
export const SUMMARY_FILE = /^usage-(\d{4}-\d{2})\.summary\.json$/;

export const detailName = (month: string) => `usage-${month}.jsonl`;
export const summaryName = (month: string) => `usage-${month}.summary.json`;

interface SummaryFile {
  v: 1;
  month: string;
  compactedAt: number;
  records: number;
  skippedLines: number;
  buckets: UsageBucket[];
}

/** The summary file's text for a compacted month. */
export function serializeSummary(
  month: string,
  compactedAt: number,
  records: number,
  skippedLines: number,
  buckets: UsageBucket[],
): string {
  const summary: SummaryFile = { v: 1, month, compactedAt, records, skippedLines, buckets };
  return `${JSON.stringify(summary)}\n`;
}

/** The buckets of a version-1 summary of `month` (sorted), or undefined when `x` is not one. */
export function parseSummary(x: unknown, month: string): UsageBucket[] | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Partial<Record<keyof SummaryFile, unknown>>;
  if (o.v !== 1 || o.month !== month || !Array.isArray(o.buckets)) return undefined;
  const out: UsageBucket[] = [];
  for (const b of o.buckets as unknown[]) {
    const r = (typeof b === 'object' && b !== null ? b : {}) as Record<string, unknown>;
    const totals = parseTotals(r.totals);
    if (typeof r.day !== 'string' || typeof r.model !== 'string' || typeof r.workspace !== 'string' || !totals) {
      return undefined;
    }
    // A summary written before surfaces existed (or naming one this version does not know) counts as the panel's.
    out.push({ day: r.day, model: r.model, workspace: r.workspace, surface: surfaceOf(r.surface), totals });
  }
  return out.sort(compareBuckets);
}

/**
 * The bytes of `file` after `offset` (up to its size now): empty when the file does not exist, 'shorter' when it is
 * now shorter than `offset` (replaced). Throws FileTooLargeError past MAX_LEDGER_MONTH_BYTES.
 */
export async function readAfter(file: string, offset: number): Promise<Buffer | 'shorter'> {
  const got = await readBytesAfter(file, offset, MAX_LEDGER_MONTH_BYTES);
  if (!got) return Buffer.alloc(0);
  return got.size < offset ? 'shorter' : got.bytes;
}

/** A detail file's text (undefined when it does not exist), size-checked. */
export async function readDetail(file: string): Promise<string | undefined> {
  return (await readBounded(file, MAX_LEDGER_MONTH_BYTES))?.text;
}

/**
 * A summary file's JSON, size-checked; undefined when it does not exist, or when it is too large, a link, not a file
 * or not JSON: then it is set aside (warned). Valid JSON of another version is returned: it is left for its Tally.
 */
export async function readSummaryJson(file: string, now: number, logger: Logger): Promise<unknown> {
  try {
    const got = await readBounded(file, MAX_LEDGER_SUMMARY_BYTES);
    return got && (JSON.parse(got.text) as unknown);
  } catch (e) {
    if (!isRefusedFile(e) && !(e instanceof SyntaxError)) throw e;
    await setAside(file, errorMessage(e), now, logger);
    return undefined;
  }
}

/** Renames an unreadable ledger file aside (never deleted: the usage in it may be recovered by hand), warned once. */
export async function setAside(file: string, reason: string, now: number, logger: Logger): Promise<void> {
  try {
    const target = await moveAside(file, `unreadable-${now}`);
    logger.warn(`Usage ledger: set aside ${target} (${reason}); the usage in it is no longer counted`);
  } catch (e) {
    if (!isNotFound(e))
      logger.warn(`Usage ledger: cannot read ${file} (${reason}) nor set it aside: ${errorMessage(e)}`);
  }
}

export { isNotFound };
