// l10nBundle.mjs: the runtime string bundle for each display language (issue #15), built by esbuild.js.
//   i18n/<language>/<area>.json   fragments, one per area of the code (webview, host, core, reports, vscodeChat):
//                                 a flat JSON object, the exact English key (as @vscode/l10n-dev extracts it, with
//                                 "/comment" when t() has one) -> the translation
//   l10n/bundle.l10n.<language>.json   all fragments of a language merged, keys sorted; generated (not in git),
//                                 shipped in the .vsix; package.json's "l10n": "./l10n" points VS Code at it
// The build fails, naming the file, on invalid JSON, a value that is not a string, or one key given two different
// translations in two fragments. test/unit/l10n.test.ts merges with the same function, so it checks what ships.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Reads one fragment file; throws a message naming the file when it is not a flat object of strings. */
export function readFragment(file) {
  const shown = path.relative(REPO, file);
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`l10n: ${shown} is not valid JSON: ${e.message}`, { cause: e });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`l10n: ${shown} must be a JSON object of "English key": "translation"`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') {
      throw new Error(`l10n: ${shown}: the translation of ${JSON.stringify(key)} is not a string`);
    }
  }
  return data;
}

/** The fragment files of one language, sorted by name: [{ file, entries }]. */
export function readFragments(languageDir) {
  if (!fs.existsSync(languageDir)) return [];
  return fs
    .readdirSync(languageDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(languageDir, name))
    .map((file) => ({ file, entries: readFragment(file) }));
}

/** Merges fragments into one bundle (keys sorted); throws when two fragments translate one key differently. */
export function mergeFragments(fragments) {
  const merged = new Map();
  const from = new Map();
  for (const { file, entries } of fragments) {
    for (const [key, value] of Object.entries(entries)) {
      if (merged.has(key) && merged.get(key) !== value) {
        throw new Error(
          `l10n: ${JSON.stringify(key)} has two different translations: ${JSON.stringify(merged.get(key))} in ` +
            `${path.relative(REPO, from.get(key))} and ${JSON.stringify(value)} in ${path.relative(REPO, file)}`,
        );
      }
      merged.set(key, value);
      from.set(key, file);
    }
  }
  return Object.fromEntries([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes l10n/bundle.l10n.<language>.json for every i18n/<language>/; returns [{ language, file, keys }]. */
export function writeBundles({ repo = REPO } = {}) {
  const i18n = path.join(repo, 'i18n');
  const outDir = path.join(repo, 'l10n');
  const languages = fs.existsSync(i18n)
    ? fs
        .readdirSync(i18n, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const bundles = languages.map((language) => ({
    language,
    bundle: mergeFragments(readFragments(path.join(i18n, language))),
  }));
  // Only after every language merged cleanly: a failing build leaves the previous bundles as they were.
  fs.mkdirSync(outDir, { recursive: true });
  return bundles.map(({ language, bundle }) => {
    const file = path.join(outDir, `bundle.l10n.${language}.json`);
    fs.writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
    return { language, file, keys: Object.keys(bundle).length };
  });
}
