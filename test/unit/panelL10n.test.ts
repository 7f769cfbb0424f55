import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ENGLISH,
  MAX_BUNDLE_ENTRIES,
  MAX_PAYLOAD_CHARS,
  parsePanelL10n,
  serializePanelL10n,
} from '../../src/shared/panelL10n';

describe('the panel l10n payload', () => {
  it('round-trips the language and the bundle, comment entries reduced to their message', () => {
    const json = serializePanelL10n('zh-cn', {
      Send: '发送',
      'Stop/a button': { message: '停止', comment: ['a button'] },
      broken: 42,
    });
    assert.deepEqual({ ...parsePanelL10n(json).bundle }, { Send: '发送', 'Stop/a button': '停止' });
    assert.equal(parsePanelL10n(json).language, 'zh-cn');
  });

  it('cannot close or change its <script> element, and reads back the same characters', () => {
    const evil = '</script><script>alert(1)</script><!-- & \u2028\u2029';
    const json = serializePanelL10n('en', { [evil]: evil });
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
    assert.equal(parsePanelL10n(json).bundle[evil], evil);
  });

  it('falls back to English for anything malformed', () => {
    for (const text of [
      null,
      undefined,
      '',
      'not json',
      '[]',
      'null',
      '"zh-cn"',
      '{"bundle":{}}',
      '{"language":5,"bundle":{}}',
      JSON.stringify({ language: 'x'.repeat(100), bundle: {} }),
      JSON.stringify({ language: 'zh-cn', bundle: { a: 'b'.repeat(MAX_PAYLOAD_CHARS) } }),
    ])
      assert.deepEqual(parsePanelL10n(text), ENGLISH, String(text).slice(0, 40));
  });

  it('keeps only string entries, at most MAX_BUNDLE_ENTRIES, and a bundle that is not an object is empty', () => {
    const p = parsePanelL10n(JSON.stringify({ language: 'zh-cn', bundle: { a: '甲', b: 2, c: null, d: ['x'] } }));
    assert.deepEqual({ ...p.bundle }, { a: '甲' });
    assert.deepEqual({ ...parsePanelL10n('{"language":"zh-cn","bundle":["a"]}').bundle }, {});
    const many = Object.fromEntries(Array.from({ length: MAX_BUNDLE_ENTRIES + 5 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(
      Object.keys(parsePanelL10n(JSON.stringify({ language: 'zh-cn', bundle: many })).bundle).length,
      MAX_BUNDLE_ENTRIES,
    );
  });
});
