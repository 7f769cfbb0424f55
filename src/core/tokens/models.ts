// Model registry: context window, maximum output, tokenizer encoding and prices per 1M tokens.
//
// Why an own table rather than an npm catalogue: the catalogues weigh hundreds of KB (gpt-tokenizer's model data
// alone is larger than this extension's host bundle) and invite a "refresh prices from the network" habit that
// Tally does not want (no calls other than the user's own endpoint). A small table with its source and date is
// auditable; users fix or extend it through settings (`resolveModel(id, overrides)`), and an unknown model is
// shown as "price unknown", never as a silent $0.
import type { Usage } from '../../shared/conversation';

export type Encoding = 'o200k_base' | 'cl100k_base';

export interface ModelPrices {
  /** USD per 1M uncached prompt tokens. */
  inputPerM: number;
  /** USD per 1M prompt tokens served from the provider's prompt cache; absent: billed at `inputPerM`. */
  cachedInputPerM?: number;
  /** USD per 1M completion tokens (reasoning tokens included, as the API reports them). */
  outputPerM: number;
}

export interface ModelInfo {
  id: string;
  contextWindow: number;
  maxOutputTokens: number;
  encoding: Encoding;
  prices?: ModelPrices;
  /** The model reads images in user messages (OpenAI's vision input); absent: text only. */
  imageInput?: boolean;
}

/** Where the prices below come from. Re-check when updating; the date is when the table was last compared. */
export const PRICE_SOURCE = {
  url: 'https://openai.com/api/pricing',
  // Prices as listed on that page after the GPT-5 launch (7 August 2025), standard tier, no batch/flex discounts.
  // Legacy models: the page's "other models" list. Context windows and output limits: platform.openai.com/docs/models.
  date: '2025-08-07',
} as const;

/** How `resolveModel` found the entry (shown in diagnostics). */
export type ModelMatch = 'exact' | 'snapshot' | 'override' | 'unknown';

export interface ResolvedModel extends ModelInfo {
  /** False when no price is known: costs must be shown as unknown, never as $0. */
  priceKnown: boolean;
  matchedBy: ModelMatch;
  /** The table entry a dated snapshot or alias was mapped to, e.g. `gpt-4o` for `gpt-4o-2024-08-06`. */
  baseId?: string;
}

type Row = [
  id: string,
  contextWindow: number,
  maxOutput: number,
  encoding: Encoding,
  input: number | undefined,
  cachedInput: number | undefined,
  output: number | undefined,
];

const O = 'o200k_base';
const C = 'cl100k_base';

// prettier-ignore
const ROWS: Row[] = [
  // id                      context    max out  enc  input  cached  output   (USD per 1M tokens)
  ['gpt-5',                  400_000,   128_000, O,   1.25,  0.125,  10.00],
  ['gpt-5-mini',             400_000,   128_000, O,   0.25,  0.025,   2.00],
  ['gpt-5-nano',             400_000,   128_000, O,   0.05,  0.005,   0.40],
  ['gpt-5-chat-latest',      128_000,    16_384, O,   1.25,  0.125,  10.00],
  ['gpt-4.1',              1_047_576,    32_768, O,   2.00,  0.50,    8.00],
  ['gpt-4.1-mini',         1_047_576,    32_768, O,   0.40,  0.10,    1.60],
  ['gpt-4.1-nano',         1_047_576,    32_768, O,   0.10,  0.025,   0.40],
  ['gpt-4o',                 128_000,    16_384, O,   2.50,  1.25,   10.00],
  ['gpt-4o-2024-05-13',      128_000,     4_096, O,   5.00,  undefined, 15.00],
  ['chatgpt-4o-latest',      128_000,    16_384, O,   5.00,  undefined, 15.00],
  ['gpt-4o-mini',            128_000,    16_384, O,   0.15,  0.075,   0.60],
  ['o3',                     200_000,   100_000, O,   2.00,  0.50,    8.00],
  ['o3-mini',                200_000,   100_000, O,   1.10,  0.55,    4.40],
  ['o4-mini',                200_000,   100_000, O,   1.10,  0.275,   4.40],
  ['o1',                     200_000,   100_000, O,  15.00,  7.50,   60.00],
  ['o1-mini',                128_000,    65_536, O,   1.10,  0.55,    4.40],
  ['gpt-4-turbo',            128_000,     4_096, C,  10.00,  undefined, 30.00],
  ['gpt-4',                    8_192,     8_192, C,  30.00,  undefined, 60.00],
  // gpt-4-32k had no separate output cap: a reply may use whatever the prompt leaves of the window.
  ['gpt-4-32k',               32_768,    32_768, C,  60.00,  undefined, 120.00],
  // The `gpt-3.5-turbo` alias now serves gpt-3.5-turbo-0125 at $0.50/$1.50. The seed's $1.50/$2.00 (0.0015/0.002
  // per 1K) was the price of the 0613 snapshot, kept below under its own id.
  ['gpt-3.5-turbo',           16_385,     4_096, C,   0.50,  undefined,  1.50],
  ['gpt-3.5-turbo-0613',       4_096,     4_096, C,   1.50,  undefined,  2.00],
  ['gpt-3.5-turbo-16k',       16_385,     4_096, C,   3.00,  undefined,  4.00],
];

/** The table's models that take images (platform.openai.com/docs/models, "Input: text, image"); the rest are text
 *  only (gpt-3.5, gpt-4, o1-mini, o3-mini). A snapshot or alias inherits its entry's answer. */
const IMAGE_INPUT = new Set([
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-5-chat-latest',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-4o',
  'gpt-4o-2024-05-13',
  'chatgpt-4o-latest',
  'gpt-4o-mini',
  'o3',
  'o4-mini',
  'o1',
  'gpt-4-turbo',
]);

/** Ids that are not `<base>-<suffix>` of their entry, or whose prefix would pick the wrong one (gpt-4-1106-preview
 *  is a GPT-4 Turbo, not a GPT-4). */
const ALIASES: Record<string, string> = {
  'gpt-4-turbo-preview': 'gpt-4-turbo',
  'gpt-4-1106-preview': 'gpt-4-turbo',
  'gpt-4-0125-preview': 'gpt-4-turbo',
  'gpt-4-1106-vision-preview': 'gpt-4-turbo',
  'gpt-3.5-turbo-16k-0613': 'gpt-3.5-turbo-16k',
};

function fromRow([id, contextWindow, maxOutputTokens, encoding, input, cached, output]: Row): ModelInfo {
  const info: ModelInfo = { id, contextWindow, maxOutputTokens, encoding };
  if (IMAGE_INPUT.has(id)) info.imageInput = true;
  if (input !== undefined && output !== undefined) {
    info.prices =
      cached === undefined
        ? { inputPerM: input, outputPerM: output }
        : { inputPerM: input, cachedInputPerM: cached, outputPerM: output };
  }
  return info;
}

/** The built-in table, keyed by id (frozen: overrides are merged into a copy, never into this). */
export const MODELS: Readonly<Record<string, Readonly<ModelInfo>>> = Object.freeze(
  Object.fromEntries(ROWS.map((r) => [r[0], Object.freeze(fromRow(r))])),
);

/** Used for models nobody described: custom endpoints, new OpenAI models. o200k_base is what every current OpenAI
 *  model uses and is close for most modern tokenizers; 128k is a conservative window (most current models offer
 *  at least that; a smaller real window is reported by the API as a context-length error, not silently cut). */
export const UNKNOWN_MODEL_DEFAULTS = {
  contextWindow: 128_000,
  maxOutputTokens: 16_384,
  encoding: 'o200k_base',
} as const;

export type ModelOverrides = Record<string, Partial<ModelInfo>>;

function finish(info: ModelInfo, matchedBy: ModelMatch, baseId?: string): ResolvedModel {
  const resolved: ResolvedModel = { ...info, priceKnown: info.prices !== undefined, matchedBy };
  if (baseId !== undefined && baseId !== info.id) resolved.baseId = baseId;
  return resolved;
}

/** The longest table id that `id` extends at a `-` boundary: `gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`. */
function snapshotBase(id: string, ids: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const k of ids) if (id.startsWith(`${k}-`) && (best === undefined || k.length > best.length)) best = k;
  return best;
}

/**
 * Finds a model's description: the table merged with the user's overrides (an override merges over a table entry
 * of the same id, or adds a new one), looked up by exact id, then alias, then as a dated snapshot of an entry
 * (longest prefix), else the unknown-model defaults with `priceKnown: false`.
 */
export function resolveModel(id: string, overrides: ModelOverrides = {}): ResolvedModel {
  const table: Record<string, ModelInfo> = { ...MODELS };
  for (const [oid, o] of Object.entries(overrides)) {
    const base: ModelInfo = table[oid] ?? { id: oid, ...UNKNOWN_MODEL_DEFAULTS };
    table[oid] = { ...base, ...o, id: oid };
  }
  const exact = table[id];
  if (exact) return finish({ ...exact }, Object.hasOwn(overrides, id) ? 'override' : 'exact');
  const baseId = ALIASES[id] ?? snapshotBase(id, Object.keys(table));
  if (baseId !== undefined && table[baseId]) {
    return finish({ ...table[baseId], id }, Object.hasOwn(overrides, baseId) ? 'override' : 'snapshot', baseId);
  }
  return finish({ id, ...UNKNOWN_MODEL_DEFAULTS }, 'unknown');
}

const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isPrice = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Validates the `models` setting (untrusted JSON) into overrides. Invalid fields are dropped and reported, so one
 * typo does not discard the whole setting, and a half-valid price never becomes a wrong one.
 */
export function parseModelOverrides(raw: unknown): { overrides: ModelOverrides; problems: string[] } {
  const overrides: ModelOverrides = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { overrides, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { overrides, problems: ['expected an object of models'] };
  for (const [id, value] of Object.entries(raw)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${id}: expected an object`);
      continue;
    }
    const v = value as Record<string, unknown>;
    const o: Partial<ModelInfo> = {};
    for (const key of ['contextWindow', 'maxOutputTokens'] as const) {
      if (v[key] === undefined) continue;
      if (isPositive(v[key]) && Number.isInteger(v[key])) o[key] = v[key];
      else problems.push(`${id}.${key}: expected a positive integer`);
    }
    if (v.encoding !== undefined) {
      if (v.encoding === 'o200k_base' || v.encoding === 'cl100k_base') o.encoding = v.encoding;
      else problems.push(`${id}.encoding: expected "o200k_base" or "cl100k_base"`);
    }
    if (v.imageInput !== undefined) {
      if (typeof v.imageInput === 'boolean') o.imageInput = v.imageInput;
      else problems.push(`${id}.imageInput: expected true or false`);
    }
    if (v.prices !== undefined) {
      const p = v.prices as Record<string, unknown> | null;
      if (
        p &&
        typeof p === 'object' &&
        isPrice(p.inputPerM) &&
        isPrice(p.outputPerM) &&
        (p.cachedInputPerM === undefined || isPrice(p.cachedInputPerM))
      ) {
        o.prices = { inputPerM: p.inputPerM, outputPerM: p.outputPerM };
        if (p.cachedInputPerM !== undefined) o.prices.cachedInputPerM = p.cachedInputPerM;
      } else {
        problems.push(`${id}.prices: expected { inputPerM, outputPerM, cachedInputPerM? } in USD per 1M tokens`);
      }
    }
    overrides[id] = o;
  }
  return { overrides, problems };
}

export interface Cost {
  /** Total in USD; undefined when the model's price is unknown (never 0 for "unknown"). */
  usd: number | undefined;
  inputUsd: number | undefined;
  cachedInputUsd: number | undefined;
  outputUsd: number | undefined;
}

/**
 * Cost of one request. `cachedPromptTokens` are part of `promptTokens` (as the API reports them) and are billed
 * at the cached-input price; a model without a cached price bills them at the input price.
 */
export function costOf(
  usage: Pick<Usage, 'promptTokens' | 'completionTokens' | 'cachedPromptTokens'>,
  model: Pick<ModelInfo, 'prices'>,
): Cost {
  const p = model.prices;
  if (!p) return { usd: undefined, inputUsd: undefined, cachedInputUsd: undefined, outputUsd: undefined };
  const cached = Math.min(usage.cachedPromptTokens ?? 0, usage.promptTokens);
  const inputUsd = ((usage.promptTokens - cached) * p.inputPerM) / 1e6;
  const cachedInputUsd = (cached * (p.cachedInputPerM ?? p.inputPerM)) / 1e6;
  const outputUsd = (usage.completionTokens * p.outputPerM) / 1e6;
  return { usd: inputUsd + cachedInputUsd + outputUsd, inputUsd, cachedInputUsd, outputUsd };
}
