// The code action commands (issue #13): one per built-in action (catalog.ts) and `tally.runCustomAction` for the
// user's `tally.actions`. Each gathers its input (actionInput.ts), renders the prompt and sends it to the panel with
// the task for the router and the label the truncation notice uses. Bad input gets a message and nothing is sent.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { buildActionRequest, type ActionInput, type ActionSpec } from '../core/actions/actionRequest';
import { BUILT_IN_ACTIONS, TRANSLATE_TARGETS, type BuiltInAction } from '../core/actions/catalog';
import { invalidActionMessage, type CustomAction, type CustomActions } from '../core/actions/customActions';
import type { Logger } from '../core/ports';
import { activePlace, codeInput, problemInput, type ActionPlace } from './actionInput';
import { ActionTarget, RUN_CUSTOM_ACTION } from './actionTarget';
import type { ChatController } from './chatController';
import type { ChatViewProvider } from './chatViewProvider';
import { registerCodeActionProvider } from './codeActionProvider';
import { registerCommand } from './commandRunner';

export interface CodeActionDeps {
  controller: ChatController;
  view: ChatViewProvider;
  /** The current `tally.actions`, validated. */
  customActions(): CustomActions;
  log: Logger;
}

/** The place a target names (its document must still be open), else the active editor's. */
function placeOf(arg: unknown, title: string): ActionPlace | undefined {
  if (arg instanceof ActionTarget) {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.uri.toString());
    if (document) return { document, range: arg.range };
  }
  return activePlace(title);
}

async function send(deps: CodeActionDeps, spec: ActionSpec, input: ActionInput): Promise<void> {
  const request = buildActionRequest(spec, input);
  deps.log.info(`${spec.title}: ${input.file} lines ${input.startLine}-${input.endLine} (${input.inputLabel})`);
  await deps.view.reveal();
  await deps.controller.send(request.prompt, undefined, { inputLabel: request.inputLabel, route: request.route });
}

async function runBuiltIn(deps: CodeActionDeps, action: BuiltInAction, arg: unknown): Promise<void> {
  const place = placeOf(arg, action.title);
  if (!place) return;
  let input = action.id === 'fix' ? problemInput(place) : await codeInput(place, action.title);
  if (!input) return;
  if (action.id === 'translate') {
    // The label is in the display language; the prompt gets the catalog's English name (the model reads it).
    const target = await vscode.window.showQuickPick(
      TRANSLATE_TARGETS.map((language) => ({
        label: language === 'English' ? l10n.t('English') : l10n.t('Chinese (Simplified, 简体中文)'),
        description: l10n.t('comments and strings'),
        language,
      })),
      {
        title: l10n.t('Tally: Translate into'),
        placeHolder: l10n.t('Which language should the comments and strings be in?'),
      },
    );
    if (!target) return;
    input = { ...input, targetLanguage: target.language };
  }
  await send(deps, action, input);
}

function customSpec(action: CustomAction): ActionSpec {
  return { title: action.title, task: action.task, template: action.prompt };
}

async function pickCustom(actions: CustomActions): Promise<CustomAction | undefined> {
  if (actions.valid.length === 0 && actions.invalid.length === 0) {
    const open = l10n.t('Open Settings');
    const choice = await vscode.window.showInformationMessage(
      l10n.t(
        'Tally: you have no custom actions yet. Add them to "{0}" in your settings: {1}.',
        'tally.actions',
        '{ "title", "prompt", "task" }',
      ),
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'tally.actions');
    return undefined;
  }
  const items = [
    ...actions.valid.map((a) => ({ label: a.title, description: a.task, action: a })),
    ...actions.invalid.map((a) => ({
      label: `$(warning) ${a.title}`,
      description: l10n.t('invalid: {0}', a.problems.join('; ')),
      invalid: a,
    })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: l10n.t('Tally: Run Custom Action'),
    matchOnDescription: true,
  });
  if (pick && 'invalid' in pick) void vscode.window.showWarningMessage(invalidActionMessage(pick.invalid));
  return pick && 'action' in pick ? pick.action : undefined;
}

async function runCustom(deps: CodeActionDeps, arg: unknown): Promise<void> {
  const place = placeOf(arg, l10n.t('Run Custom Action'));
  if (!place) return;
  const actions = deps.customActions();
  let action: CustomAction | undefined;
  if (arg instanceof ActionTarget && arg.customTitle !== undefined) {
    action = actions.valid.find((a) => a.title === arg.customTitle);
    const invalid = actions.invalid.find((a) => a.title === arg.customTitle);
    if (!action) {
      void vscode.window.showWarningMessage(
        invalid
          ? invalidActionMessage(invalid)
          : l10n.t('Tally: there is no custom action "{0}" any more.', arg.customTitle),
      );
      return;
    }
  } else action = await pickCustom(actions);
  if (!action) return;
  const input = await codeInput(place, action.title);
  if (input) await send(deps, customSpec(action), input);
}

/** The action commands and the lightbulb provider. */
export function registerCodeActions(deps: CodeActionDeps): vscode.Disposable[] {
  return [
    ...BUILT_IN_ACTIONS.map((action) =>
      registerCommand(
        action.command,
        l10n.t('run {0}', action.title),
        (arg) => runBuiltIn(deps, action, arg),
        deps.log,
      ),
    ),
    registerCommand(RUN_CUSTOM_ACTION, l10n.t('run a custom action'), (arg) => runCustom(deps, arg), deps.log),
    registerCodeActionProvider(deps.customActions),
  ];
}
