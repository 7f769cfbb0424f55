// The metrics store: one JSON line per request in `<globalStorage>/metrics/metrics-YYYY-MM-DD.jsonl` (the local day
// the request started), shared by every VS Code window, kept for `tally.metrics.retentionDays` days.
//
// Why this is safe with several windows (processes), following the usage ledger's design (usage/ledger.ts):
// - Appends are single writes of one whole line on an O_APPEND descriptor (files/privateWrite.ts): the kernel puts
//   each write at the end, so two windows' lines never overwrite or interleave. Nothing rewrites a file in place.
// - Readers take complete lines only (up to the last '\n') and remember the byte offset, so a refresh reads just
//   what was appended since; an unfinished last line is left for later (another window may be writing it). A line
//   torn by a crash is skipped (a record glued to it is split off and kept), with one warning per file.
// - Reads are size-checked (a day file over MAX_METRICS_DAY_BYTES is set aside with a warning, never parsed).
// - Retention deletes whole day files older than the retention, which no window appends to any more: idempotent and
//   lock-free (two windows pruning the same day both succeed or find it gone). Records older than the retention
//   are ignored by queries even before their file is deleted, so every window shows the same periods.
// - Each instance keeps its own appends in memory at once and remembers their ids, so reading them back from the
//   file does not count them twice.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errorMessage';
import { readBytesAfter } from '../files/boundedRead';
import { isNotFound, isRefusedFile } from '../files/fileErrors';
import { moveAside } from '../files/leftovers';
import { appendPrivate } from '../files/privateWrite';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { dayKey } from '../usage/periods';
import { parseMetricLines, serializeRequestMetric, type RequestMetric } from './requestMetric';
import { firstKeptDay } from './retention';

/** The largest day file read: 64 MiB is over 100,000 requests, far more than a day of real use. */
export const MAX_METRICS_DAY_BYTES = 64 * 1024 * 1024;
export const DAY_FILE = /^metrics-(\d{4}-\d{2}-\d{2})\.jsonl$/;
export const dayFileName = (day: string) => `metrics-${day}.jsonl`;
const NEWLINE = 0x0a;

export interface MetricsStoreOptions {
  /** The store's folder, e.g. `<globalStorageUri>/metrics`; created on the first append. */
  dir: string;
  /** Days kept, today included (read at each use, so a settings change applies at once). */
  retentionDays(): number;
  logger?: Logger;
  clock?: Clock;
}

interface DayState {
  offset: number;
  records: RequestMetric[];
  /** Ids this instance appended (already in `records`), not yet read back from the file. */
  ownUnread: Set<string>;
  warned: boolean;
}

export interface MetricsStoreStats {
  /** Lines that were not a request metric, since this instance started. */
  skippedLines: number;
  /** Days held in memory. */
  days: string[];
  /** Bytes read from files since this instance started (reads are incremental). */
  bytesRead: number;
}

export class MetricsStore {
  private readonly dir: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly days = new Map<string, DayState>();
  private skipped = 0;
  private bytesRead = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MetricsStoreOptions) {
    this.dir = options.dir;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  /** Appends one record (kept in memory at once). False when it could not be written (logged). */
  append(record: RequestMetric): Promise<boolean> {
    return this.serial(async () => {
      const day = dayKey(record.time);
      const state = this.state(day);
      state.records.push(record);
      try {
        await appendPrivate(path.join(this.dir, dayFileName(day)), `${serializeRequestMetric(record)}\n`, {
          top: this.dir,
        });
        state.ownUnread.add(record.id);
        return true;
      } catch (e) {
        this.logger.warn(`Metrics: could not append to ${dayFileName(day)}: ${errorMessage(e)}`);
        return false;
      }
    });
  }

  /**
   * The records that started from `fromMs` to `toMs` (inclusive, default: all kept), oldest first, after reading
   * what any window appended since the last read. Never throws: unreadable files are logged and skipped.
   */
  records(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): Promise<RequestMetric[]> {
    return this.serial(async () => {
      const keepFrom = this.firstKept();
      const fromDay = dayKey(fromMs) > keepFrom ? dayKey(fromMs) : keepFrom;
      const toDay = dayKey(Math.min(toMs, 8.64e15));
      for (const day of await this.listDays()) {
        if (day >= fromDay && day <= toDay) await this.readDay(day);
      }
      const out: RequestMetric[] = [];
      for (const [day, state] of this.days) {
        if (day < fromDay || day > toDay) continue;
        for (const r of state.records) if (r.time >= fromMs && r.time <= toMs) out.push(r);
      }
      return out.sort((a, b) => a.time - b.time);
    });
  }

  /** Deletes the day files older than the retention and forgets their records. Returns the days deleted. */
  prune(): Promise<string[]> {
    return this.serial(async () => {
      const keepFrom = this.firstKept();
      const gone: string[] = [];
      for (const day of await this.listDays()) {
        if (day >= keepFrom) continue;
        try {
          await fs.unlink(path.join(this.dir, dayFileName(day)));
          gone.push(day);
        } catch (e) {
          if (!isNotFound(e)) this.logger.warn(`Metrics: could not delete ${dayFileName(day)}: ${errorMessage(e)}`);
        }
      }
      for (const day of [...this.days.keys()]) if (day < keepFrom) this.days.delete(day);
      if (gone.length) this.logger.info(`Metrics: deleted ${gone.length} day file(s) older than ${keepFrom}`);
      return gone;
    });
  }

  stats(): MetricsStoreStats {
    return { skippedLines: this.skipped, days: [...this.days.keys()].sort(), bytesRead: this.bytesRead };
  }

  private firstKept(): string {
    return firstKeptDay(this.clock.now(), this.options.retentionDays());
  }

  private state(day: string): DayState {
    let s = this.days.get(day);
    if (!s) this.days.set(day, (s = { offset: 0, records: [], ownUnread: new Set(), warned: false }));
    return s;
  }

  private async listDays(): Promise<string[]> {
    try {
      return (await fs.readdir(this.dir)).map((n) => DAY_FILE.exec(n)?.[1]).filter((d) => d !== undefined);
    } catch (e) {
      if (!isNotFound(e)) this.logger.warn(`Metrics: cannot list ${this.dir}: ${errorMessage(e)}`);
      return [];
    }
  }

  /** Reads the complete lines appended to a day's file since the last read. */
  private async readDay(day: string): Promise<void> {
    const file = path.join(this.dir, dayFileName(day));
    const state = this.state(day);
    try {
      const got = await readBytesAfter(file, state.offset, MAX_METRICS_DAY_BYTES);
      if (!got) return;
      if (got.size < state.offset) {
        // Replaced or shortened (set aside by hand, restored from a backup): read it again from the start.
        this.days.delete(day);
        return await this.readDay(day);
      }
      this.bytesRead += got.bytes.length;
      const end = got.bytes.lastIndexOf(NEWLINE);
      if (end < 0) return;
      state.offset += end + 1;
      const { records, skipped } = parseMetricLines(got.bytes.subarray(0, end).toString('utf8'));
      for (const r of records) if (!state.ownUnread.delete(r.id)) state.records.push(r);
      if (skipped > 0) {
        this.skipped += skipped;
        if (!state.warned) {
          state.warned = true;
          this.logger.warn(
            `Metrics: skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'} in ${dayFileName(day)}`,
          );
        }
      }
    } catch (e) {
      if (!isRefusedFile(e)) return this.logger.warn(`Metrics: cannot read ${dayFileName(day)}: ${errorMessage(e)}`);
      this.days.delete(day);
      try {
        const target = await moveAside(file, `unreadable-${this.clock.now()}`);
        this.logger.warn(`Metrics: set aside ${target} (${errorMessage(e)})`);
      } catch (e2) {
        if (!isNotFound(e2)) this.logger.warn(`Metrics: cannot read ${file} nor set it aside: ${errorMessage(e2)}`);
      }
    }
  }

  /** Runs this instance's operations one at a time, so offsets and records never race. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
