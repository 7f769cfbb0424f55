// What an image in a request costs in prompt tokens, as OpenAI documents it (platform.openai.com/docs/guides/images-vision,
// "Calculating costs"; compared 2025-08-07, the date of the price table in tokens/models.ts). Tally sends images without
// a `detail` field (the API's "auto"), and counts them as "high" detail, the most they can cost:
// - tile models: the image is scaled to fit 2048×2048, then its shortest side down to 768; each 512 px tile costs
//   `tile` tokens, plus `base` once (gpt-4o: 85 + 170 per tile);
// - patch models (gpt-4.1-mini, gpt-4.1-nano, o4-mini, gpt-5-mini, gpt-5-nano): one token per 32×32 patch, at most
//   1536 patches (larger images are scaled down), times the model's multiplier.
// An image whose size cannot be read from its header (imageDimensions.ts) is counted as the largest the formula bills:
// 8 tiles (2048×768 after scaling), or 1536 patches. An estimate, like Tally's count of tool traffic: the API's usage
// is what is billed.
import type { ImageSize } from './imageDimensions';

type Formula = { kind: 'tiles'; base: number; tile: number } | { kind: 'patches'; multiplier: number };

const FORMULAS: Record<string, Formula> = {
  'gpt-5': { kind: 'tiles', base: 70, tile: 140 },
  'gpt-5-chat-latest': { kind: 'tiles', base: 70, tile: 140 },
  'gpt-4o': { kind: 'tiles', base: 85, tile: 170 },
  'gpt-4o-2024-05-13': { kind: 'tiles', base: 85, tile: 170 },
  'chatgpt-4o-latest': { kind: 'tiles', base: 85, tile: 170 },
  'gpt-4.1': { kind: 'tiles', base: 85, tile: 170 },
  'gpt-4-turbo': { kind: 'tiles', base: 85, tile: 170 },
  'gpt-4o-mini': { kind: 'tiles', base: 2833, tile: 5667 },
  o1: { kind: 'tiles', base: 75, tile: 150 },
  o3: { kind: 'tiles', base: 75, tile: 150 },
  'gpt-4.1-mini': { kind: 'patches', multiplier: 1.62 },
  'gpt-4.1-nano': { kind: 'patches', multiplier: 2.46 },
  'gpt-5-mini': { kind: 'patches', multiplier: 1.62 },
  'gpt-5-nano': { kind: 'patches', multiplier: 2.46 },
  'o4-mini': { kind: 'patches', multiplier: 1.72 },
};
/** A model outside the table that the user says takes images (`tally.models`): gpt-4o's formula. */
const DEFAULT_FORMULA: Formula = { kind: 'tiles', base: 85, tile: 170 };

const MAX_PATCHES = 1536;
const PATCH = 32;
const TILE = 512;
/** Most tiles the scaling leaves: the longest side at most 2048, the shortest at most 768. */
const MAX_TILES = Math.ceil(2048 / TILE) * Math.ceil(768 / TILE);

/** Tiles covering the image after OpenAI's two scalings (fit 2048×2048, then the shortest side at most 768). */
export function tilesFor({ width, height }: ImageSize): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shortest = Math.min(1, 768 / Math.min(w, h));
  w *= shortest;
  h *= shortest;
  return Math.ceil(Math.floor(w) / TILE) * Math.ceil(Math.floor(h) / TILE);
}

/** 32 px patches covering the image, at most 1536 (a larger image is scaled down until it fits). */
export function patchesFor({ width, height }: ImageSize): number {
  const raw = Math.ceil(width / PATCH) * Math.ceil(height / PATCH);
  if (raw <= MAX_PATCHES) return raw;
  const scale = Math.sqrt((PATCH * PATCH * MAX_PATCHES) / (width * height));
  const fitted = Math.ceil(Math.floor(width * scale) / PATCH) * Math.ceil(Math.floor(height * scale) / PATCH);
  return Math.min(MAX_PATCHES, fitted);
}

/** Prompt tokens of one image for `modelId` (the registry's id: a snapshot's base), or the upper bound when the
 *  image's size is unknown. */
export function imageTokens(modelId: string, size: ImageSize | undefined): number {
  const f = FORMULAS[modelId] ?? DEFAULT_FORMULA;
  if (f.kind === 'tiles') return f.base + f.tile * (size ? tilesFor(size) : MAX_TILES);
  return Math.ceil((size ? patchesFor(size) : MAX_PATCHES) * f.multiplier);
}
