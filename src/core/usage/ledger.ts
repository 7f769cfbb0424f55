// The usage ledger: one JSON line per request in `<globalStorage>/usage/usage-YYYY-MM.jsonl` (the month of the clock
// at append time), shared by every VS Code window, surviving restarts. In memory it keeps only day × model ×
// workspace buckets per file, so totals, budgets and the report are cheap, whatever the number of requests.
//
// Why this is safe with several windows (processes) on one folder:
// - Files are private (0600, folder 0700), never written or read through a symbolic link, and size-checked before
//   they are read (ledgerFiles.ts): a file over its bound, or a summary that is not JSON, is set aside, warned once.
// - Appends are single writes of one small line (ids and names are clamped to 128 characters, so a
//   line stays well under 4 KB) on an O_APPEND descriptor: the kernel positions each write at the end of the file,
//   so two windows' lines never overwrite or interleave. Nothing ever rewrites a jsonl file in place.
// - Readers consume only complete lines (up to the last '\n') and remember the byte offset; `refresh()` reads just
//   the bytes after it. An unfinished last line is left for later (it may be another window's write in progress).
//   A line torn by a crash gets the next record glued to it; every record starts with `{"v":`, which can't occur
//   inside a JSON string, so the glued line is split there and only the torn fragment is lost (and counted).
// - Each instance counts its own appends at once (live status bar) and remembers their ids, so reading them back
//   from the file does not count them twice.
// - Compaction (ledgerCompaction.ts) only touches closed months, which no window appends to any more, and is
//   idempotent, hence lock-free. A month with a summary is read from the summary only.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errorMessage';
import { isRefusedFile } from '../files/fileErrors';
import { appendPrivate } from '../files/privateWrite';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { LedgerCompaction } from './ledgerCompaction';
import { monthKey, type UsageFilter } from './periods';
import { parseLines, serializeUsageRecord, type UsageRecord } from './records';
import {
  addRecord,
  emptyTotals,
  totalsByModel,
  totalsOf,
  type UsageBucket,
  UsageBuckets,
  type UsageTotals,
} from './totals';
import { usageSnapshot, type UsageSnapshot } from './snapshot';
import { DETAIL_FILE, detailName, isNotFound, readAfter, setAside, SUMMARY_FILE } from './ledgerFiles';

const NEWLINE = 0x0a;

export interface UsageLedgerOptions {
  /** The ledger folder, e.g. `<globalStorageUri>/usage`; created on first append. */
  dir: string;
  logger?: Logger;
  clock?: Clock;
}

export interface UsageLedgerStats {
  /** Lines (or torn fragments) that were not a usage record, since this instance started. */
  skippedLines: number;
  /** Bytes after the last complete line of the open files (a write in progress, or a torn line). */
  pendingBytes: number;
  detailMonths: string[];
  summaryMonths: string[];
}

/** One file's contribution: a jsonl read up to `offset`, or a compacted month's summary. */
interface MonthState {
  source: 'detail' | 'summary';
  buckets: UsageBuckets;
  offset: number;
  pendingBytes: number;
  /** Ids this instance appended and already counted, not yet read back from the file. */
  ownUnread: Set<string>;
}

const newState = (source: MonthState['source'], buckets = new UsageBuckets()): MonthState => ({
  source,
  buckets,
  offset: 0,
  pendingBytes: 0,
  ownUnread: new Set(),
});

export class UsageLedger {
  private readonly dir: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private months = new Map<string, MonthState>();
  private readonly session = emptyTotals();
  private skipped = 0;
  private readonly compaction: LedgerCompaction;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: UsageLedgerOptions) {
    this.dir = options.dir;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.compaction = new LedgerCompaction(this.dir, this.clock, this.logger);
  }

  /** Reads the whole folder again (at start). Never throws: unreadable parts are logged and skipped. */
  load(): Promise<void> {
    return this.serial(async () => {
      this.months = new Map();
      await this.scan();
    });
  }

  /** Picks up what other windows appended or compacted since the last read: only new bytes are read. */
  refresh(): Promise<void> {
    return this.serial(() => this.scan());
  }

  /**
   * Appends one record and counts it at once (today, this month, this session). Returns false when it could not
   * be written (logged): the session still counts it, the stored totals and a restart will not.
   */
  append(record: UsageRecord): Promise<boolean> {
    return this.serial(async () => {
      const month = monthKey(this.clock.now());
      // A summary state here means the clock went back by months: the record is counted now, but the next
      // compaction drops that file again (its summary wins). Not worth more code.
      let state = this.months.get(month);
      if (!state) this.months.set(month, (state = newState('detail')));
      state.buckets.addRecord(record);
      addRecord(this.session, record);
      const line = `${serializeUsageRecord(record)}\n`;
      try {
        await appendPrivate(this.detailPath(month), line);
        state.ownUnread.add(record.id);
        return true;
      } catch (e) {
        this.logger.warn(`Usage ledger: could not append to ${this.detailPath(month)}: ${String(e)}`);
        return false;
      }
    });
  }

  /**
   * Summarises closed months (older than the current and the previous month) and deletes their detail. Returns the
   * months compacted. Idempotent and safe to run from several windows at once (see ledgerCompaction.ts).
   */
  compact(): Promise<string[]> {
    return this.serial(async () =>
      this.compaction.compactClosed((await this.list()) ?? [], (month, buckets) =>
        this.months.set(month, newState('summary', buckets)),
      ),
    );
  }

  /** Totals of all stored usage matching `filter` (days are local `YYYY-MM-DD`). */
  totals(filter?: UsageFilter): UsageTotals {
    return totalsOf(this.allBuckets(), filter);
  }

  totalsByModel(filter?: UsageFilter): { model: string; totals: UsageTotals }[] {
    return totalsByModel(this.allBuckets(), filter);
  }

  /** Day × model × workspace × surface buckets matching `filter`, merged across files, sorted (for the report). */
  buckets(filter?: UsageFilter): UsageBucket[] {
    const merged = new UsageBuckets();
    for (const b of this.allBuckets()) merged.addBucket(b);
    return merged.list(filter);
  }

  /** Records appended by this instance since it was created. */
  sessionTotals(): UsageTotals {
    return { ...this.session };
  }

  /** Everything the status bar, its tooltip and the budget check need, for the clock's today and month. */
  snapshot(workspace?: string): UsageSnapshot {
    return usageSnapshot([...this.allBuckets()], { now: this.clock.now(), workspace, session: this.session });
  }

  stats(): UsageLedgerStats {
    const months = [...this.months].sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      skippedLines: this.skipped,
      pendingBytes: months.reduce((n, [, s]) => n + s.pendingBytes, 0),
      detailMonths: months.filter(([, s]) => s.source === 'detail').map(([m]) => m),
      summaryMonths: months.filter(([, s]) => s.source === 'summary').map(([m]) => m),
    };
  }

  private *allBuckets(): Iterable<UsageBucket> {
    for (const state of this.months.values()) yield* state.buckets.values();
  }

  /** Runs ledger operations of this instance one at a time, so counts and offsets never race. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private detailPath(month: string): string {
    return path.join(this.dir, detailName(month));
  }

  /** The folder's names; [] when it does not exist yet, undefined when it cannot be read (keep what we have). */
  private async list(): Promise<string[] | undefined> {
    try {
      return await fs.readdir(this.dir);
    } catch (e) {
      if (isNotFound(e)) return [];
      this.logger.warn(`Usage ledger: cannot list ${this.dir}: ${String(e)}`);
      return undefined;
    }
  }

  private async scan(): Promise<void> {
    const names = await this.list();
    if (!names) return;
    const summaries = new Set(names.map((n) => SUMMARY_FILE.exec(n)?.[1]).filter((m) => m !== undefined));
    const details = new Set(names.map((n) => DETAIL_FILE.exec(n)?.[1]).filter((m) => m !== undefined));
    for (const month of summaries) {
      if (this.months.get(month)?.source === 'summary') continue;
      const buckets = await this.compaction.readSummary(month);
      if (buckets) this.months.set(month, newState('summary', buckets));
    }
    for (const month of details) {
      let state = this.months.get(month);
      if (state?.source === 'summary') continue;
      if (!state) this.months.set(month, (state = newState('detail')));
      try {
        if (!(await this.readNewLines(month, state))) {
          this.logger.info(`Usage ledger: ${detailName(month)} was replaced or shortened; reading it again`);
          this.months.set(month, (state = newState('detail')));
          await this.readNewLines(month, state);
        }
      } catch (e) {
        if (!isRefusedFile(e)) this.logger.warn(`Usage ledger: cannot read ${detailName(month)}: ${String(e)}`);
        else await setAside(this.detailPath(month), errorMessage(e), this.clock.now(), this.logger);
      }
    }
    for (const [month, state] of this.months) {
      if (state.source === 'detail' && !details.has(month) && state.ownUnread.size === 0) this.months.delete(month);
    }
  }

  /** Reads the bytes appended after `state.offset`; false when the file is now shorter (replaced). */
  private async readNewLines(month: string, state: MonthState): Promise<boolean> {
    const data = await readAfter(this.detailPath(month), state.offset);
    if (data === 'shorter') return false;
    const end = data.lastIndexOf(NEWLINE);
    state.pendingBytes = data.length - (end + 1);
    if (end < 0) return true;
    state.offset += end + 1;
    const { records, skipped } = parseLines(data.subarray(0, end).toString('utf8'));
    for (const r of records) {
      if (state.ownUnread.delete(r.id)) continue;
      state.buckets.addRecord(r);
    }
    this.countSkipped(skipped, detailName(month));
    return true;
  }

  private countSkipped(n: number, file: string): void {
    if (n === 0) return;
    this.skipped += n;
    this.logger.warn(`Usage ledger: skipped ${n} unreadable line${n === 1 ? '' : 's'} in ${file}`);
  }
}
