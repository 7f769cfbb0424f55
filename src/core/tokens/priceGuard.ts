// A price override lower than the built-in table's is allowed (a negotiated rate, a proxy that bills less) but never
// silent: it lowers what budgets see, so the user is told.
import { MODELS, type ModelOverrides, type ModelPrices } from './models';

const PRICE_KEYS: readonly (keyof ModelPrices)[] = ['inputPerM', 'cachedInputPerM', 'outputPerM'];

/** One sentence per built-in model whose override lowers one of its known prices. */
export function loweredPrices(overrides: ModelOverrides): string[] {
  const out: string[] = [];
  for (const [id, o] of Object.entries(overrides)) {
    const builtIn = MODELS[id]?.prices;
    if (!builtIn || !o.prices) continue;
    const lower = PRICE_KEYS.filter((k) => {
      const mine = o.prices?.[k];
      const theirs = builtIn[k];
      return mine !== undefined && theirs !== undefined && mine < theirs;
    });
    if (lower.length) {
      out.push(
        `${id}: your override lowers the built-in price (${lower.map((k) => `${k} ${o.prices?.[k]} < ${builtIn[k]}`).join(', ')} USD per 1M tokens); budgets and costs use your price`,
      );
    }
  }
  return out;
}
