// The ledger's compacted months: reading a month's summary, and compacting closed months (older than the current
// and the previous month) from their detail jsonl into a summary. Files are chosen by the clock's month, so no
// window appends to a closed month's file any more. Compaction is idempotent, hence lock-free: the summary
// (day × model × workspace × surface buckets, exact totals) is written atomically (temp + rename) before the jsonl is deleted;
// a month with a summary is read from the summary only, and a leftover jsonl beside a summary (a crash or a
// concurrent compaction in between, or a delete refused on Windows) is deleted by the next compaction. Two windows
// compacting the same month both derive the summary from the same closed file: either result is right.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../files/privateWrite';
import type { Clock, Logger } from '../ports';
import { previousMonthKey } from './periods';
import { parseLines } from './records';
import { UsageBuckets } from './totals';
import {
  DETAIL_FILE,
  detailName,
  isNotFound,
  parseSummary,
  readDetail,
  readSummaryJson,
  serializeSummary,
  summaryName,
} from './ledgerFiles';

export class LedgerCompaction {
  /** Summaries already reported as unreadable (they are retried on each scan, reported once). */
  private readonly badSummaries = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The buckets of the month's summary; undefined when it is missing or unreadable (warned once per file). */
  async readSummary(month: string): Promise<UsageBuckets | undefined> {
    const file = path.join(this.dir, summaryName(month));
    try {
      const json = await readSummaryJson(file, this.clock.now(), this.logger);
      if (json === undefined) return undefined;
      const list = parseSummary(json, month);
      if (!list) throw new Error('not a version-1 usage summary');
      const buckets = new UsageBuckets();
      for (const b of list) buckets.addBucket(b);
      return buckets;
    } catch (e) {
      if (!isNotFound(e) && !this.badSummaries.has(file)) {
        this.badSummaries.add(file);
        this.logger.warn(`Usage ledger: ignoring ${file}: ${String(e)}`);
      }
      return undefined;
    }
  }

  /**
   * Summarises the closed months among the folder's `names` and deletes their detail; `summarised` gets each month's
   * buckets as soon as its summary is read or written. Returns the months compacted; a failed month is logged and
   * left for the next run.
   */
  async compactClosed(names: string[], summarised: (month: string, buckets: UsageBuckets) => void): Promise<string[]> {
    const keepFrom = previousMonthKey(this.clock.now());
    const done: string[] = [];
    for (const name of names) {
      const month = DETAIL_FILE.exec(name)?.[1];
      if (month === undefined || month >= keepFrom) continue;
      try {
        // No (good) summary yet: write it. The detail may vanish meanwhile (another window compacted it first).
        const buckets =
          (await this.readSummary(month)) ?? (await this.compactMonth(month)) ?? (await this.readSummary(month));
        if (buckets) summarised(month, buckets);
        await fs.unlink(path.join(this.dir, detailName(month))).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
        done.push(month);
      } catch (e) {
        this.logger.warn(`Usage ledger: could not compact ${name} (will retry): ${String(e)}`);
      }
    }
    return done;
  }

  /** Writes the month's summary from its detail and returns its buckets; undefined when the detail is gone. */
  private async compactMonth(month: string): Promise<UsageBuckets | undefined> {
    const text = await readDetail(path.join(this.dir, detailName(month)));
    if (text === undefined) return undefined;
    const { records, skipped } = parseLines(text);
    const buckets = new UsageBuckets();
    for (const r of records) buckets.addRecord(r);
    await writeAtomic(
      path.join(this.dir, summaryName(month)),
      serializeSummary(month, this.clock.now(), records.length, skipped, buckets.list()),
    );
    this.logger.info(`Usage ledger: compacted ${month} (${records.length} records, ${skipped} skipped)`);
    return buckets;
  }
}
