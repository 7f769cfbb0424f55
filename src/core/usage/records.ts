// Usage records: what one request cost (priced from the model registry, or marked unknown), as one ledger line: how
// a record is made from a reply's usage (or estimated for a partial reply), serialised, validated and parsed back.
import type { Usage } from '../../shared/conversation';
import { costOf, resolveModel, type ModelOverrides } from '../tokens/models';
import { isUsageSurface, type UsageSurface } from './surfaces';
import { parseJsonLines } from '../files/jsonLines';

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
  /** Where the request came from; absent on lines written before surfaces existed (they read as `panel`). */
  surface?: UsageSurface;
}

/** Cost in USD of `usage` for `modelId` (the registry merged with the user's overrides); undefined: price unknown. */
export function priceUsage(
  usage: Pick<Usage, 'promptTokens' | 'completionTokens' | 'cachedPromptTokens'>,
  modelId: string,
  overrides: ModelOverrides = {},
): number | undefined {
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
  surface?: UsageSurface;
  overrides?: ModelOverrides;
}

/**
 * The ledger record of one request from its usage (API-reported, or estimated when `usage.estimated`). A cache hit
 * costs nothing (`costUsd: 0`) and records what the original request cost as `savedUsd`.
 */
export function makeUsageRecord(input: RecordBase & { usage: Usage; cacheHit?: boolean }): UsageRecord {
  const promptTokens = count(input.usage.promptTokens);
  const tokens = {
    promptTokens,
    cachedPromptTokens: Math.min(count(input.usage.cachedPromptTokens), promptTokens),
    completionTokens: count(input.usage.completionTokens),
  };
  const priced = priceUsage(tokens, input.model, input.overrides);
  const cacheHit = input.cacheHit === true;
  const r: UsageRecord = {
    v: 1,
    id: clampText(input.id),
    at: input.at,
    workspace: clampText(input.workspace),
    model: clampText(input.model),
    ...tokens,
    estimated: input.usage.estimated === true,
    cacheHit,
  };
  if (cacheHit) {
    r.costUsd = 0;
    if (priced !== undefined) r.savedUsd = priced;
  } else if (priced !== undefined) r.costUsd = priced;
  if (input.conversationId !== undefined) r.conversationId = clampText(input.conversationId);
  if (input.requestId !== undefined) r.requestId = clampText(input.requestId);
  if (input.surface !== undefined) r.surface = input.surface;
  return r;
}

/**
 * An estimated record for a reply whose usage the API never sent (Stop, a dropped stream, a failure after tokens
 * arrived): the prompt as counted before sending, the completion counted locally from the text received so far.
 */
export function estimateRecordForPartial(
  input: RecordBase & {
    promptTokens: number;
    completionText: string;
    countTokens: (text: string) => number;
  },
): UsageRecord {
  const completionTokens = input.completionText === '' ? 0 : input.countTokens(input.completionText);
  const promptTokens = count(input.promptTokens);
  return makeUsageRecord({
    ...input,
    usage: {
      promptTokens,
      completionTokens: count(completionTokens),
      totalTokens: promptTokens + count(completionTokens),
      estimated: true,
    },
  });
}

/** One ledger line; `v` first, so a line glued to a torn one can be found again (see ledger.ts). */
export function serializeUsageRecord(r: UsageRecord): string {
  const { v, id, ...rest } = r;
  return JSON.stringify({ v, id, ...rest });
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isUsd = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isOptional = (x: unknown, check: (y: unknown) => boolean) => x === undefined || check(x);
const isString = (x: unknown): x is string => typeof x === 'string';

/**
 * Validates one parsed ledger line; undefined when it is not a version-1 usage record. A surface this version does
 * not know (a newer window wrote it) is dropped, not the record: its cost still counts, as the default surface.
 */
export function parseUsageRecord(x: unknown): UsageRecord | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  const ok =
    o.v === 1 &&
    isString(o.id) &&
    isCount(o.at) &&
    isString(o.workspace) &&
    isString(o.model) &&
    isCount(o.promptTokens) &&
    isCount(o.cachedPromptTokens) &&
    isCount(o.completionTokens) &&
    typeof o.estimated === 'boolean' &&
    typeof o.cacheHit === 'boolean' &&
    isOptional(o.costUsd, isUsd) &&
    isOptional(o.savedUsd, isUsd) &&
    isOptional(o.conversationId, isString) &&
    isOptional(o.requestId, isString);
  if (!ok) return undefined;
  if (o.surface === undefined || isUsageSurface(o.surface)) return o as unknown as UsageRecord;
  const { surface: _unknown, ...known } = o;
  return known as unknown as UsageRecord;
}

/** Parses complete lines; a bad line is split at each record start, so a record glued to a torn one survives. */
export function parseLines(text: string): { records: UsageRecord[]; skipped: number } {
  return parseJsonLines(text, parseUsageRecord);
}
