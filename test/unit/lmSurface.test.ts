// The surface of a request from VS Code's Chat (issue #16): Agent mode when a tool offered can change the workspace,
// the Chat view otherwise — Ask mode's read-only tools, another extension's tools, or none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { surfaceOfTools } from '../../src/core/lm/lmSurface';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('surface of a VS Code Chat request', () => {
  it('no tools, or only read-only ones (Ask mode): the Chat view', () => {
    assert.equal(surfaceOfTools(undefined), 'chatView');
    assert.equal(surfaceOfTools([]), 'chatView');
    assert.equal(surfaceOfTools(named('read_file', 'grep_search', 'semantic_search', 'list_dir')), 'chatView');
    assert.equal(surfaceOfTools(named('my_extension_lookup')), 'chatView');
  });

  it('a tool that edits files or runs commands among them (Agent mode): Agent', () => {
    assert.equal(surfaceOfTools(named('read_file', 'replace_string_in_file')), 'agent');
    assert.equal(surfaceOfTools(named('run_in_terminal')), 'agent');
    assert.equal(surfaceOfTools(named('grep_search', 'apply_patch')), 'agent');
  });
});
