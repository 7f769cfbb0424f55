// The lightbulb (issue #13): Fix This Problem as a quick fix on errors and warnings, and the other actions (built-in
// and custom) as refactor actions on a selection. Each runs its command with an ActionTarget naming the place.
import * as vscode from 'vscode';
import { BUILT_IN_ACTIONS, builtInAction } from '../core/actions/catalog';
import type { CustomActions } from '../core/actions/customActions';
import { ActionTarget, RUN_CUSTOM_ACTION } from './actionTarget';

/** Tally's refactor actions are `refactor.rewrite.tally`. */
export const TALLY_REFACTOR_KIND = vscode.CodeActionKind.RefactorRewrite.append('tally');

const isFixable = (d: vscode.Diagnostic) =>
  d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning;

export class TallyCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, TALLY_REFACTOR_KIND];

  constructor(private readonly customActions: () => CustomActions) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind);
    const actions: vscode.CodeAction[] = [];
    const fixable = context.diagnostics.filter(isFixable);
    if (fixable.length > 0 && wants(vscode.CodeActionKind.QuickFix)) {
      const fix = builtInAction('fix');
      const action = new vscode.CodeAction(`Tally: ${fix.title}`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = fixable;
      action.command = { command: fix.command, title: fix.title, arguments: [new ActionTarget(document.uri, range)] };
      actions.push(action);
    }
    if (range.isEmpty || !wants(TALLY_REFACTOR_KIND)) return actions;
    const target = new ActionTarget(document.uri, range);
    for (const a of BUILT_IN_ACTIONS.filter((b) => b.refactorCodeAction)) {
      const action = new vscode.CodeAction(`Tally: ${a.title}`, TALLY_REFACTOR_KIND);
      action.command = { command: a.command, title: a.title, arguments: [target] };
      actions.push(action);
    }
    for (const custom of this.customActions().valid) {
      const action = new vscode.CodeAction(`Tally: ${custom.title}`, TALLY_REFACTOR_KIND);
      action.command = {
        command: RUN_CUSTOM_ACTION,
        title: custom.title,
        arguments: [new ActionTarget(document.uri, range, custom.title)],
      };
      actions.push(action);
    }
    return actions;
  }
}

/** The provider for every file and untitled document. */
export function registerCodeActionProvider(customActions: () => CustomActions): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    [{ scheme: 'file' }, { scheme: 'untitled' }],
    new TallyCodeActionProvider(customActions),
    { providedCodeActionKinds: TallyCodeActionProvider.providedCodeActionKinds },
  );
}
