import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BUILT_IN_ACTIONS } from '../../src/core/actions/catalog';
import { MAX_CUSTOM_ACTIONS, MAX_PROMPT_CHARS, MAX_TITLE_CHARS } from '../../src/core/actions/customActions';
import { TASK_TYPES } from '../../src/core/routing/taskTypes';

interface Contributes {
  commands: { command: string }[];
  menus: Record<string, { command?: string; submenu?: string }[]>;
  submenus: { id: string; label: string }[];
  configuration: { properties: Record<string, Record<string, unknown>> };
}
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: Contributes;
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const { contributes } = pkg;
const actionCommands = [...BUILT_IN_ACTIONS.map((a) => a.command), 'tally.runCustomAction'];

describe('package.json contributes the code actions', () => {
  it('every action is a command, in the Tally submenu of the editor context menu and in the palette', () => {
    const commands = contributes.commands.map((c) => c.command);
    const submenu = contributes.menus['tally.editorActions'].map((m) => m.command);
    const palette = contributes.menus.commandPalette.map((m) => m.command);
    for (const id of actionCommands) {
      assert.ok(commands.includes(id), `${id} is a command`);
      assert.ok(submenu.includes(id), `${id} is in the submenu`);
      assert.ok(palette.includes(id), `${id} has a palette rule`);
    }
    assert.deepEqual(contributes.submenus, [{ id: 'tally.editorActions', label: '%submenu.editorActions.label%' }]);
    const nls = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.nls.json'), 'utf8'));
    assert.equal(nls['submenu.editorActions.label'], 'Tally');
    assert.ok(contributes.menus['editor/context'].some((m) => m.submenu === 'tally.editorActions'));
  });

  it('tally.actions: the schema offers the router task types and the validator limits', () => {
    const schema = contributes.configuration.properties['tally.actions'] as {
      maxItems: number;
      items: { properties: Record<string, { enum?: string[]; maxLength?: number }> };
    };
    assert.deepEqual(schema.items.properties.task.enum, [...TASK_TYPES]);
    assert.equal(schema.maxItems, MAX_CUSTOM_ACTIONS);
    assert.equal(schema.items.properties.title.maxLength, MAX_TITLE_CHARS);
    assert.equal(schema.items.properties.prompt.maxLength, MAX_PROMPT_CHARS);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('tally.actions'));
  });
});
