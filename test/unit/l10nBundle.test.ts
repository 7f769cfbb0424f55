// The zh-cn runtime bundle is merged from one fragment per area (scripts/l10nBundle.mjs, run by esbuild.js): a
// broken fragment or one English string translated two ways must stop the build with the file's name, never ship.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { writeBundles } from '../../scripts/l10nBundle.mjs';

describe('l10n bundle build', () => {
  let repo: string;
  const fragment = (name: string, text: string) => fs.writeFileSync(path.join(repo, 'i18n', 'zh-cn', name), text);
  const bundle = () =>
    JSON.parse(fs.readFileSync(path.join(repo, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-l10n-'));
    fs.mkdirSync(path.join(repo, 'i18n', 'zh-cn'), { recursive: true });
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('merges every fragment of a language into one bundle, keys sorted; the same translation twice is fine', () => {
    fragment('webview.json', JSON.stringify({ Stop: '停止', Send: '发送' }));
    fragment('host.json', JSON.stringify({ Stop: '停止', 'Retry/a button': '重试' }));
    fragment('notes.txt', 'not a fragment');
    const written = writeBundles({ repo });
    assert.deepEqual(
      written.map((w) => [w.language, w.keys]),
      [['zh-cn', 3]],
    );
    assert.deepEqual(Object.entries(bundle()), [
      ['Retry/a button', '重试'],
      ['Send', '发送'],
      ['Stop', '停止'],
    ]);
  });

  it('stops on one English string translated two ways, naming both files', () => {
    fragment('a.json', JSON.stringify({ Stop: '停止' }));
    fragment('b.json', JSON.stringify({ Stop: '终止' }));
    assert.throws(
      () => writeBundles({ repo }),
      /"Stop" has two different translations: "停止" in .*a\.json and "终止" in .*b\.json/,
    );
    assert.equal(fs.existsSync(path.join(repo, 'l10n')), false, 'nothing written');
  });

  it('stops on invalid JSON, a value that is not a string, or a fragment that is not an object', () => {
    fragment('a.json', '{ "Stop": "停止", }');
    assert.throws(() => writeBundles({ repo }), /a\.json is not valid JSON/);
    fragment('a.json', JSON.stringify({ Stop: { message: '停止' } }));
    assert.throws(() => writeBundles({ repo }), /a\.json: the translation of "Stop" is not a string/);
    fragment('a.json', JSON.stringify(['停止']));
    assert.throws(() => writeBundles({ repo }), /a\.json must be a JSON object/);
  });
});
