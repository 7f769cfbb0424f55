// The models the picker offers (issue #13 item 3): Tally's registry (with the user's `tally.models`) plus what the
// user's endpoint lists (`GET /models`: Ollama, LM Studio, LiteLLM, OpenAI), each with its context window and price
// per 1M tokens, or "price unknown". The endpoint's list is untrusted input: ids are checked and the list is capped.
import * as l10n from '@vscode/l10n';
import { formatTokensShort, formatUsdTo, priceUnknown } from '../../shared/format';
import { MODELS, resolveModel, type ModelOverrides, type ResolvedModel } from '../tokens/models';

/** The picker's choice that lets the router pick per request (one constant, the router's: core/routing/router.ts). */
export { AUTO_MODEL } from '../routing/router';
import { AUTO_MODEL } from '../routing/router';

/** Most endpoint models kept (an endpoint listing more is cut, with a note). */
export const MAX_LISTED_MODELS = 500;

/** What a model id may look like: what real endpoints use (`gpt-4o`, `llama3.1:8b`, `openai/gpt-4o`,
 *  `models/gemini-1.5@latest`), never control characters or spaces. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

export interface ModelOption {
  id: string;
  /** What the picker shows: the id, or "Auto (route by task)". */
  label: string;
  /** "128k context · $2.50 / $10.00 per 1M in / out", or "… · price unknown". */
  detail: string;
  /** Where the model comes from. */
  source: 'auto' | 'registry' | 'endpoint' | 'both';
}

/** The endpoint's ids, checked: malformed ids are dropped (counted), duplicates removed, at most MAX_LISTED_MODELS. */
export function cleanListedIds(raw: readonly unknown[]): { ids: string[]; dropped: number; cut: boolean } {
  const ids: string[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const id of raw) {
    if (typeof id !== 'string' || !MODEL_ID.test(id)) {
      dropped++;
      continue;
    }
    if (seen.has(id)) continue;
    if (ids.length === MAX_LISTED_MODELS) return { ids, dropped, cut: true };
    seen.add(id);
    ids.push(id);
  }
  return { ids, dropped, cut: false };
}

/** USD per 1M tokens written as Tally writes money everywhere ("$2.50", "$0.075": a third decimal below $1), with
 *  the display language's digits and separators (formatUsdTo). */
const perM = (usd: number) => formatUsdTo(usd, usd < 1 ? 3 : 2);

/** "128k context · $2.50 / $10.00 per 1M in / out" (or "price unknown"), in the display language. */
export function describeModel(m: ResolvedModel): string {
  const tokens = formatTokensShort(m.contextWindow);
  const window = m.matchedBy === 'unknown' ? l10n.t('{0} context (assumed)', tokens) : l10n.t('{0} context', tokens);
  const price = m.prices
    ? l10n.t('{0} / {1} per 1M in / out', perM(m.prices.inputPerM), perM(m.prices.outputPerM))
    : priceUnknown();
  return `${window} · ${price}`;
}

/**
 * The picker's list: Auto first, then the registry's models and the user's own (`tally.models`) in table order, then
 * the endpoint's models that are not among them (sorted). A model both places know is marked `both`.
 */
export function modelOptions(listed: readonly string[], overrides: ModelOverrides = {}): ModelOption[] {
  const listedSet = new Set(listed);
  const known = [...Object.keys(MODELS), ...Object.keys(overrides).filter((id) => !Object.hasOwn(MODELS, id))];
  const knownSet = new Set(known);
  const option = (id: string, source: ModelOption['source']): ModelOption => ({
    id,
    label: id,
    detail: describeModel(resolveModel(id, overrides)),
    source,
  });
  return [
    {
      id: AUTO_MODEL,
      label: l10n.t('Auto (route by task)'),
      detail: l10n.t('Tally picks the model per request'),
      source: 'auto',
    },
    ...known.map((id) => option(id, listedSet.has(id) ? 'both' : 'registry')),
    ...[...listedSet]
      .filter((id) => !knownSet.has(id))
      .sort()
      .map((id) => option(id, 'endpoint')),
  ];
}

/** The model a request uses: the workspace's choice when it is one, else the `tally.model` setting. */
export function effectiveModel(choice: string | undefined, settingModel: string): string {
  return choice !== undefined && (choice === AUTO_MODEL || MODEL_ID.test(choice)) ? choice : settingModel;
}
