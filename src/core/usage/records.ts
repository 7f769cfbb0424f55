// Usage records and their totals: what one request cost (priced from the model registry, or marked unknown), and
// sums of records per local day × model × workspace. The file-backed ledger (usageLedger.ts), the budgets and the
// report all work on these buckets, so a compacted month (stored as buckets only) adds up exactly like detail.
import type { Usage } from '../../shared/conversation';
import { costOf, resolveModel, type ModelOverrides } from '../tokens/models';

export const USAGE_RECORD_VERSION = 1;

/** One request, as stored in the ledger (one JSON line). Keep it small: ids and names are clamped on creation. */
export interface UsageRecord {
  v: 1;
  /** Unique per request (a ledger recognises its own records by it). */
  id: string;
  /** Epoch ms when the request finished (or was stopped). */
  at: number;
  /** A stable id of the workspace, or '' when no folder was open. */
  workspace: string;
  conversationId?: string;
  model: string;
  /** All prompt tokens, cached ones included (as the API reports them). */
  promptTokens: number;
  cachedPromptTokens: number;
  /** Completion tokens, reasoning tokens included. */
  completionTokens: number;
  /** USD; absent when the model's price is unknown (never 0 for "unknown"). 0 for a cache hit. */
  costUsd?: number;
  /** Counted locally because the API sent no usage (stopped, dropped or failed stream). */
  estimated: boolean;
  /** Answered from Tally's response cache: nothing was sent, nothing billed. */
  cacheHit: boolean;
  /** For a cache hit: what the original request cost (absent when its price is unknown). */
  savedUsd?: number;
  requestId?: string;
}

export interface UsageTotals {
  requests: number;
  /** Billed prompt tokens (cached prompt tokens included); cache hits are not billed and not counted. */
  tokensIn: number;
  cachedTokensIn: number;
  tokensOut: number;
  /** Sum of the known costs; requests of unknown price are counted in `unknownCostRequests` instead. */
  costUsd: number;
  unknownCostRequests: number;
  cacheHits: number;
  savedUsd: number;
  estimatedRequests: number;
}

/** Totals of one local day, model and workspace: the unit the ledger, its compacted summaries and reports share. */
export interface UsageBucket {
  /** Local date `YYYY-MM-DD`. */
  day: string;
  model: string;
  workspace: string;
  totals: UsageTotals;
}

/** Inclusive day range (local `YYYY-MM-DD`), and optionally one workspace or model. */
export interface UsageFilter {
  fromDay?: string;
  toDay?: string;
  workspace?: string;
  model?: string;
}

const TOTAL_KEYS = ['requests', 'tokensIn', 'cachedTokensIn', 'tokensOut', 'costUsd', 'unknownCostRequests',
  'cacheHits', 'savedUsd', 'estimatedRequests'] as const satisfies readonly (keyof UsageTotals)[];

export function emptyTotals(): UsageTotals {
  return { requests: 0, tokensIn: 0, cachedTokensIn: 0, tokensOut: 0, costUsd: 0, unknownCostRequests: 0,
    cacheHits: 0, savedUsd: 0, estimatedRequests: 0 };
}

/** Adds `from` into `into` (mutates and returns `into`). */
export function addTotals(into: UsageTotals, from: Readonly<UsageTotals>): UsageTotals {
  for (const k of TOTAL_KEYS) into[k] += from[k];
  return into;
}

/** Adds one record into `into` (mutates and returns `into`). */
export function addRecord(into: UsageTotals, r: Readonly<UsageRecord>): UsageTotals {
  into.requests++;
  if (r.cacheHit) {
    into.cacheHits++;
    into.savedUsd += r.savedUsd ?? 0;
  } else {
    into.tokensIn += r.promptTokens;
    into.cachedTokensIn += r.cachedPromptTokens;
    into.tokensOut += r.completionTokens;
  }
  if (r.costUsd === undefined) into.unknownCostRequests++;
  else into.costUsd += r.costUsd;
  if (r.estimated) into.estimatedRequests++;
  return into;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local calendar day of an epoch-ms time, `YYYY-MM-DD`. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local calendar month of an epoch-ms time, `YYYY-MM`. */
export function monthKey(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}`;
}

/** The local month before `ms`'s month, `YYYY-MM`. */
export function previousMonthKey(ms: number): string {
  const d = new Date(ms);
  return monthKey(new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime());
}

/** Filter for the local day of `now`. */
export function todayFilter(now: number, workspace?: string): UsageFilter {
  const day = dayKey(now);
  return withWorkspace({ fromDay: day, toDay: day }, workspace);
}

/** Filter for the local month of `now` (day keys compare as strings: `-01` to `-31` covers any month). */
export function monthFilter(now: number, workspace?: string): UsageFilter {
  const m = monthKey(now);
  return withWorkspace({ fromDay: `${m}-01`, toDay: `${m}-31` }, workspace);
}

function withWorkspace(f: UsageFilter, workspace: string | undefined): UsageFilter {
  return workspace === undefined ? f : { ...f, workspace };
}

export function matchesFilter(b: Pick<UsageBucket, 'day' | 'model' | 'workspace'>, f: UsageFilter = {}): boolean {
  return (f.fromDay === undefined || b.day >= f.fromDay) && (f.toDay === undefined || b.day <= f.toDay)
    && (f.workspace === undefined || b.workspace === f.workspace) && (f.model === undefined || b.model === f.model);
}

/** Buckets keyed by day × model × workspace. */
export class UsageBuckets {
  private readonly map = new Map<string, UsageBucket>();

  private bucket(day: string, model: string, workspace: string): UsageBucket {
    const key = JSON.stringify([day, model, workspace]);
    let b = this.map.get(key);
    if (!b) this.map.set(key, b = { day, model, workspace, totals: emptyTotals() });
    return b;
  }

  addRecord(r: Readonly<UsageRecord>): void {
    addRecord(this.bucket(dayKey(r.at), r.model, r.workspace).totals, r);
  }

  addBucket(b: Readonly<UsageBucket>): void {
    addTotals(this.bucket(b.day, b.model, b.workspace).totals, b.totals);
  }

  get size(): number {
    return this.map.size;
  }

  /** The buckets themselves (no copies): read, don't change. */
  values(): IterableIterator<Readonly<UsageBucket>> {
    return this.map.values();
  }

  /** Copies of the matching buckets, sorted by day, model, workspace (stable output for summaries and reports). */
  list(filter?: UsageFilter): UsageBucket[] {
    const out: UsageBucket[] = [];
    for (const b of this.map.values()) if (matchesFilter(b, filter)) out.push({ ...b, totals: { ...b.totals } });
    return out.sort(compareBuckets);
  }
}

export function compareBuckets(a: UsageBucket, b: UsageBucket): number {
  return cmp(a.day, b.day) || cmp(a.model, b.model) || cmp(a.workspace, b.workspace);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sum of the buckets matching `filter`. */
export function totalsOf(buckets: Iterable<UsageBucket>, filter?: UsageFilter): UsageTotals {
  const t = emptyTotals();
  for (const b of buckets) if (matchesFilter(b, filter)) addTotals(t, b.totals);
  return t;
}

/** Totals per model of the buckets matching `filter`, most expensive first (then by name). */
export function totalsByModel(buckets: Iterable<UsageBucket>, filter?: UsageFilter): { model: string; totals: UsageTotals }[] {
  const by = new Map<string, UsageTotals>();
  for (const b of buckets) {
    if (!matchesFilter(b, filter)) continue;
    let t = by.get(b.model);
    if (!t) by.set(b.model, t = emptyTotals());
    addTotals(t, b.totals);
  }
  return [...by].map(([model, totals]) => ({ model, totals }))
    .sort((a, b) => b.totals.costUsd - a.totals.costUsd || cmp(a.model, b.model));
}

/** Cost in USD of `usage` for `modelId` (the registry merged with the user's overrides); undefined: price unknown. */
export function priceUsage(usage: Pick<Usage, 'promptTokens' | 'completionTokens' | 'cachedPromptTokens'>,
  modelId: string, overrides: ModelOverrides = {}): number | undefined {
  return costOf(usage, resolveModel(modelId, overrides)).usd;
}

const MAX_TEXT = 128;
const clampText = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);
const count = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

export interface RecordBase {
  id: string;
  at: number;
  workspace: string;
  model: string;
  conversationId?: string;
  requestId?: string;
  overrides?: ModelOverrides;
}

/**
 * The ledger record of one request from its usage (API-reported, or estimated when `usage.estimated`). A cache hit
 * costs nothing (`costUsd: 0`) and records what the original request cost as `savedUsd`.
 */
export function makeUsageRecord(input: RecordBase & { usage: Usage; cacheHit?: boolean }): UsageRecord {
  const promptTokens = count(input.usage.promptTokens);
  const tokens = { promptTokens, cachedPromptTokens: Math.min(count(input.usage.cachedPromptTokens), promptTokens),
    completionTokens: count(input.usage.completionTokens) };
  const priced = priceUsage(tokens, input.model, input.overrides);
  const cacheHit = input.cacheHit === true;
  const r: UsageRecord = { v: 1, id: clampText(input.id), at: input.at, workspace: clampText(input.workspace),
    model: clampText(input.model), ...tokens, estimated: input.usage.estimated === true, cacheHit };
  if (cacheHit) {
    r.costUsd = 0;
    if (priced !== undefined) r.savedUsd = priced;
  } else if (priced !== undefined) r.costUsd = priced;
  if (input.conversationId !== undefined) r.conversationId = clampText(input.conversationId);
  if (input.requestId !== undefined) r.requestId = clampText(input.requestId);
  return r;
}

/**
 * An estimated record for a reply whose usage the API never sent (Stop, a dropped stream, a failure after tokens
 * arrived): the prompt as counted before sending, the completion counted locally from the text received so far.
 */
export function estimateRecordForPartial(input: RecordBase & {
  promptTokens: number; completionText: string; countTokens: (text: string) => number;
}): UsageRecord {
  const completionTokens = input.completionText === '' ? 0 : input.countTokens(input.completionText);
  const promptTokens = count(input.promptTokens);
  return makeUsageRecord({ ...input, usage: { promptTokens, completionTokens: count(completionTokens),
    totalTokens: promptTokens + count(completionTokens), estimated: true } });
}

/** One ledger line; `v` first, so a line glued to a torn one can be found again (see usageLedger.ts). */
export function serializeUsageRecord(r: UsageRecord): string {
  const { v, id, ...rest } = r;
  return JSON.stringify({ v, id, ...rest });
}

const RECORD_START = '{"v":';
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isUsd = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isOptional = (x: unknown, check: (y: unknown) => boolean) => x === undefined || check(x);
const isString = (x: unknown): x is string => typeof x === 'string';

/** Validates one parsed ledger line; undefined when it is not a version-1 usage record. */
export function parseUsageRecord(x: unknown): UsageRecord | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  const ok = o.v === 1 && isString(o.id) && isCount(o.at) && isString(o.workspace) && isString(o.model)
    && isCount(o.promptTokens) && isCount(o.cachedPromptTokens) && isCount(o.completionTokens)
    && typeof o.estimated === 'boolean' && typeof o.cacheHit === 'boolean' && isOptional(o.costUsd, isUsd)
    && isOptional(o.savedUsd, isUsd) && isOptional(o.conversationId, isString) && isOptional(o.requestId, isString);
  return ok ? (o as unknown as UsageRecord) : undefined;
}

/** Parses ledger lines (complete ones); a bad line is split at each record start, so a record glued to a torn line survives. */
export function parseLines(text: string): { records: UsageRecord[]; skipped: number } {
  const records: UsageRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const whole = parseRecord(line);
    if (whole) {
      records.push(whole);
      continue;
    }
    const starts: number[] = [];
    for (let i = line.indexOf(RECORD_START); i >= 0; i = line.indexOf(RECORD_START, i + 1)) starts.push(i);
    if (starts[0] !== 0) starts.unshift(0);
    for (let k = 0; k < starts.length; k++) {
      const part = line.slice(starts[k], starts[k + 1]);
      const r = part.trim() === '' ? undefined : parseRecord(part);
      if (r) records.push(r);
      else if (part.trim() !== '') skipped++;
    }
  }
  return { records, skipped };
}

function parseRecord(text: string): UsageRecord | undefined {
  try {
    return parseUsageRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Validates stored totals (from a summary file). */
export function parseTotals(x: unknown): UsageTotals | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  const t = emptyTotals();
  for (const k of TOTAL_KEYS) {
    const value = o[k];
    if (!isUsd(value)) return undefined;
    t[k] = value;
  }
  return t;
}
