import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CODE_BLOCK_CHARS, parseWebviewMessage } from '../../src/shared/protocol';

describe('code-block messages from the panel are validated', () => {
  const ok = { type: 'code/action', action: 'insert', code: 'let x = 1;\n', language: 'ts' };

  it('accepts each action with code and a language tag (or none)', () => {
    for (const action of ['insert', 'replace', 'newFile']) {
      assert.equal(parseWebviewMessage({ ...ok, action }).ok, true, action);
    }
    assert.equal(parseWebviewMessage({ ...ok, language: '' }).ok, true);
    assert.equal(parseWebviewMessage({ ...ok, language: 'c++' }).ok, true);
    assert.equal(parseWebviewMessage({ ...ok, code: 'x'.repeat(MAX_CODE_BLOCK_CHARS) }).ok, true);
  });

  it('refuses an unknown action, oversized code, a language that is not a plain identifier, extra fields', () => {
    const bad = [
      { ...ok, action: 'runInTerminal' },
      { ...ok, code: 'x'.repeat(MAX_CODE_BLOCK_CHARS + 1) },
      { ...ok, language: 'ts"><script>' },
      { ...ok, language: '../../etc/passwd' },
      { ...ok, language: 'a'.repeat(41) },
      { ...ok, code: 42 },
      { ...ok, path: '/tmp/x' },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m).ok, false, JSON.stringify(m).slice(0, 80));
  });
});
