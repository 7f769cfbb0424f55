// The ledger folder's files: the names of a month's detail (`usage-YYYY-MM.jsonl`) and summary
// (`usage-YYYY-MM.summary.json`), the summary's format (day × model × workspace buckets of a compacted month), and
// the read of the bytes appended to a detail file since an offset. See ledger.ts for how windows share them.
import { promises as fs } from 'node:fs';
import { compareBuckets, parseTotals, type UsageBucket } from './totals';

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
export function serializeSummary(month: string, compactedAt: number, records: number, skippedLines: number,
  buckets: UsageBucket[]): string {
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
    out.push({ day: r.day, model: r.model, workspace: r.workspace, totals });
  }
  return out.sort(compareBuckets);
}

/**
 * The bytes of `file` after `offset`: empty when the file does not exist, 'shorter' when it is now shorter than
 * `offset` (replaced). One read: fewer bytes than asked only means a shorter tail, left for the next call.
 */
export async function readAfter(file: string, offset: number): Promise<Buffer | 'shorter'> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if (isNotFound(e)) return Buffer.alloc(0);
    throw e;
  }
  try {
    const { size } = await handle.stat();
    if (size < offset) return 'shorter';
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(size - offset), 0, size - offset, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export const isNotFound = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';
