// Every `tally.*` setting, validated once into typed values. The host reads the layers of each setting from VS Code
// (`inspect()`), and this decides which layer counts (settingLayers.ts), parses each value with the core parser
// that owns it, and lists the problems and the workspace values it ignored, for the host to report once each.
import type { CacheMode } from '../cache/responseCache';
import type { RetryPolicy } from '../api/retry';
import type { StreamTimeouts } from '../api/streamWatchdog';
import { parseBudgets, type BudgetSettings } from '../usage/budgets';
import { parseModelOverrides, resolveModel, type ModelOverrides } from '../tokens/models';
import { parseRoutingOverrides, type RoutingOverrides } from '../routing/routingTable';
import { loweredPrices } from '../tokens/priceGuard';
import { parseCustomActions, type CustomActions } from '../actions/customActions';
import { effectiveValue, type SettingLayers } from './settingLayers';
import { parseOtlpSettings, type OtlpSettings } from '../metrics/otlpSettings';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../metrics/retention';

export const DEFAULT_MODEL = 'gpt-4o-mini';
/** `tally.maxReplySizeKB`'s default: a reply is stopped past 1 MiB of text. */
export const DEFAULT_MAX_REPLY_KB = 1024;

export interface CacheSettings {
  mode: CacheMode;
  ttlMs: number;
  maxBytes: number;
  redisUrl: string;
}

export interface TallySettings {
  /** `tally.baseUrl` from the user's settings ('' = the environment or OpenAI). */
  baseUrl: string;
  model: string;
  systemPrompt: string;
  maxReplyTokens: number;
  /** Longest reply, in characters, before it is stopped with an error (a hostile or runaway stream). */
  maxReplyChars: number;
  temperature?: number;
  /** `tally.models` from the user's settings, validated. */
  modelOverrides: ModelOverrides;
  /** `tally.routing` from the user's settings, validated: only cells naming a known task, complexity and model. */
  routing: RoutingOverrides;
  retryPolicy: RetryPolicy;
  timeouts: StreamTimeouts;
  cache: CacheSettings;
  budgets: BudgetSettings;
  /** `tally.actions`, validated (any layer, like the system prompt: it changes what is asked, not where it goes). */
  actions: CustomActions;
  /** Request metrics (the API health report): how many days are kept (user settings only: one store for all). */
  metrics: { retentionDays: number };
  /** `tally.telemetry.*` (user settings only): the OTLP collector that receives the metrics as spans ('' = off). */
  otlp: OtlpSettings;
}

export interface ResolvedSettings {
  settings: TallySettings;
  /** One line per invalid value (what was wrong, what is used instead). */
  problems: string[];
  /** Settings a workspace tried to set that only the user decides (or to loosen a limit), e.g. `tally.baseUrl`. */
  ignored: string[];
}

const CACHE_MODES: readonly CacheMode[] = ['off', 'deterministic', 'always'];

/** Resolves every setting; `layers(key)` is `inspect()` of `tally.<key>` (key without the prefix). */
export function resolveSettings(layers: (key: string) => SettingLayers | undefined): ResolvedSettings {
  const problems: string[] = [];
  const ignored: string[] = [];
  const raw = (key: string): unknown => {
    const e = effectiveValue(key, layers(key));
    if (e.ignoredWorkspaceValue) ignored.push(`tally.${key}`);
    return e.value;
  };
  const num = (key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER, integer = false): number => {
    const v = raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v)))
      return v;
    problems.push(
      `tally.${key}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v)}; using ${fallback}`,
    );
    return fallback;
  };
  const str = (key: string, fallback: string): string => {
    const v = raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string') return v;
    problems.push(`tally.${key}: expected text, got ${JSON.stringify(v)}; using the default`);
    return fallback;
  };
  const seconds = (key: string, fallback: number, max: number) => Math.round(num(key, fallback, 0, max) * 1000);

  const temperatureRaw = raw('temperature');
  let temperature: number | undefined;
  if (
    typeof temperatureRaw === 'number' &&
    Number.isFinite(temperatureRaw) &&
    temperatureRaw >= 0 &&
    temperatureRaw <= 2
  ) {
    temperature = temperatureRaw;
  } else if (temperatureRaw !== undefined && temperatureRaw !== null) {
    problems.push(
      `tally.temperature: expected a number from 0 to 2 or null, got ${JSON.stringify(temperatureRaw)}; using the API's default`,
    );
  }

  const models = parseModelOverrides(raw('models'));
  problems.push(
    ...models.problems.map((p) => `tally.models: ${p}`),
    ...loweredPrices(models.overrides).map((p) => `tally.models: ${p}`),
  );

  const routing = parseRoutingOverrides(raw('routing'), (id) => resolveModel(id, models.overrides));
  problems.push(...routing.problems.map((p) => `tally.routing: ${p}`));

  const modeRaw = str('cache.mode', 'deterministic');
  const mode = (CACHE_MODES as readonly string[]).includes(modeRaw) ? (modeRaw as CacheMode) : 'deterministic';
  if (mode !== modeRaw)
    problems.push(
      `tally.cache.mode: expected one of ${CACHE_MODES.join(', ')}, got ${JSON.stringify(modeRaw)}; using deterministic`,
    );

  const budgetInput: Record<string, unknown> = {};
  for (const k of ['dailyUsd', 'monthlyUsd', 'workspaceDailyUsd', 'workspaceMonthlyUsd'])
    budgetInput[k] = raw(`budget.${k}`);
  const warnAtPercent = num('budget.warnAtPercent', 80, 1, 100);
  const budgets = parseBudgets({ ...budgetInput, warnAtFraction: warnAtPercent / 100 });
  problems.push(...budgets.problems.map((p) => `tally.${p}`));

  const actions = parseCustomActions(raw('actions'));
  problems.push(...actions.problems);

  const otlp = parseOtlpSettings(raw('telemetry.otlpEndpoint'), raw('telemetry.otlpHeaders'));
  problems.push(...otlp.problems);

  const model = str('model', DEFAULT_MODEL).trim() || DEFAULT_MODEL;
  const settings: TallySettings = {
    baseUrl: str('baseUrl', '').trim(),
    model,
    systemPrompt: str('systemPrompt', ''),
    maxReplyTokens: num('maxReplyTokens', 4096, 1, 200_000, true),
    maxReplyChars: num('maxReplySizeKB', DEFAULT_MAX_REPLY_KB, 1, 1024 * 1024) * 1024,
    ...(temperature !== undefined ? { temperature } : {}),
    modelOverrides: models.overrides,
    routing: routing.overrides,
    retryPolicy: {
      maxRetries: num('retry.maxRetries', 3, 0, 10, true),
      baseDelayMs: seconds('retry.initialDelaySeconds', 1, 60),
      maxDelayMs: seconds('retry.maxDelaySeconds', 20, 600),
      maxRetryAfterMs: seconds('retry.maxRetryAfterSeconds', 120, 3600),
    },
    timeouts: {
      firstByteMs: Math.round(num('timeout.firstByteSeconds', 60, 1, 3600) * 1000),
      idleMs: Math.round(num('timeout.idleSeconds', 90, 1, 3600) * 1000),
    },
    cache: {
      mode,
      ttlMs: num('cache.ttlMinutes', 60, 1) * 60_000,
      maxBytes: num('cache.maxSizeMB', 50, 1) * 1024 * 1024,
      redisUrl: str('cache.redisUrl', '').trim(),
    },
    budgets: budgets.budgets,
    actions,
    metrics: {
      retentionDays: num('metrics.retentionDays', DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS, MAX_RETENTION_DAYS, true),
    },
    otlp: otlp.otlp,
  };
  return { settings, problems, ignored };
}
