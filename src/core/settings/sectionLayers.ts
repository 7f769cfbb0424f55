// One `inspect()` of the whole `tally` section instead of one per setting: in the real extension host each inspect()
// costs a few milliseconds (it consolidates every configuration layer), so reading ~15 settings one by one took
// ~35 ms of activation; the section's layers come back in one call, and each setting's layers are read out of them
// here the way VS Code looks a dotted key up in its value tree (`budget.daily` is `budget` then `daily`).
import type { SettingLayers } from './settingLayers';

const LAYERS = ['defaultValue', 'globalValue', 'workspaceValue', 'workspaceFolderValue'] as const;

/** The value at the dotted `key` inside `tree`, or undefined when a step is missing or not an object. */
function lookup(tree: unknown, key: string): unknown {
  let node = tree;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * `inspect('<section>.<key>')`'s layers, read from `section` (what `inspect('<section>')` returned): each layer is
 * that layer's value tree of the whole section.
 */
export function sectionLayers(section: SettingLayers | undefined, key: string): SettingLayers | undefined {
  if (!section) return undefined;
  const layers: SettingLayers = {};
  for (const layer of LAYERS) {
    const value = lookup(section[layer], key);
    if (value !== undefined) layers[layer] = value;
  }
  return layers;
}
