// package.json in English and Simplified Chinese (issue #15), the standard way: every user-visible string of the
// manifest is a `%key%` that VS Code looks up in package.nls.json (English) or package.nls.<language>.json. Checked:
// no user-visible field is left as a literal, every key used exists in both files, both files have the same keys and
// none unused, each Chinese text is Chinese and keeps the English's setting links (`#tally.x#`) and placeholders.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const pkg = read('package.json');
const en = read('package.nls.json') as Record<string, string>;
const zh = read('package.nls.zh-cn.json') as Record<string, string>;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
/** English texts that are rightly the same in Chinese (a name). */
const SAME_IN_CHINESE = new Set(['Tally']);

/** Fields whose string value VS Code shows to the user, wherever they are under `contributes`. */
const VISIBLE = new Set([
  'title',
  'shortTitle',
  'category',
  'label',
  'description',
  'markdownDescription',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'displayName',
  'fullName',
  'contextualTitle',
  'contents',
  'userDescription',
]);
/** Arrays of shown strings. */
const VISIBLE_LISTS = new Set(['enumDescriptions', 'markdownEnumDescriptions']);

/** Every [path, value] of a user-visible string field (see VISIBLE) in the manifest. */
function visibleStrings(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (value: unknown, at: string, field: string) => {
    if (typeof value === 'string') {
      if (VISIBLE.has(field)) out.push([at, value]);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (VISIBLE_LISTS.has(field) && typeof v === 'string') out.push([`${at}[${i}]`, v]);
        else walk(v, `${at}[${i}]`, field);
      });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, k);
    }
  };
  walk(pkg.contributes, 'contributes', 'contributes');
  // A view's `name` is its title (elsewhere `name` is an id: a chat participant's or a slash command's).
  for (const [where, views] of Object.entries((pkg.contributes as { views?: object }).views ?? {})) {
    (views as { name: string }[]).forEach((v, i) => out.push([`contributes.views.${where}[${i}].name`, v.name]));
  }
  const capabilities = pkg.capabilities as { untrustedWorkspaces?: { description?: string } };
  out.push(['description', pkg.description as string]);
  if (capabilities.untrustedWorkspaces?.description) {
    out.push(['capabilities.untrustedWorkspaces.description', capabilities.untrustedWorkspaces.description]);
  }
  return out;
}

/** Every `%key%` anywhere in package.json. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  JSON.stringify(pkg, (_k, v: unknown) => {
    const m = typeof v === 'string' ? /^%([^%]+)%$/.exec(v) : null;
    if (m) keys.add(m[1]);
    return v;
  });
  return keys;
}

const links = (s: string) => (s.match(/#tally\.[\w.]+#|\{\d+\}/g) ?? []).sort().join(' ');

describe('package.json in English and Chinese', () => {
  it('points VS Code at the runtime bundles', () => {
    assert.equal(pkg.l10n, './l10n');
  });

  it('leaves no user-visible field as a literal', () => {
    const strings = visibleStrings();
    assert.ok(strings.length > 50, `only ${strings.length} visible strings found: the walk missed the manifest`);
    const literal = strings.filter(([, v]) => !/^%[^%]+%$/.test(v)).map(([at, v]) => `${at}: ${JSON.stringify(v)}`);
    assert.deepEqual(literal, []);
  });

  it('every %key% has its English and its Chinese, and neither file has keys nothing uses', () => {
    const used = [...usedKeys()].sort();
    assert.deepEqual(
      used.filter((k) => !(k in en)),
      [],
      'used but not in package.nls.json',
    );
    assert.deepEqual(
      used.filter((k) => !(k in zh)),
      [],
      'used but not in package.nls.zh-cn.json',
    );
    assert.deepEqual(
      Object.keys(en).filter((k) => !used.includes(k)),
      [],
      'unused in package.nls.json',
    );
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), 'the two files have different keys');
  });

  it('each Chinese text is Chinese and keeps the setting links and placeholders of its English', () => {
    const wrong: string[] = [];
    for (const [key, english] of Object.entries(en)) {
      const chinese = zh[key];
      if (typeof chinese !== 'string' || chinese.trim() === '') wrong.push(`${key}: empty`);
      else if (!SAME_IN_CHINESE.has(english) && !CJK.test(chinese)) wrong.push(`${key}: not Chinese`);
      else if (links(english) !== links(chinese)) wrong.push(`${key}: links ${links(english)} -> ${links(chinese)}`);
    }
    assert.deepEqual(wrong, []);
  });
});
