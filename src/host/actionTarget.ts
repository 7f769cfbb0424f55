// Where a lightbulb action was offered, passed back by its command (codeActionProvider.ts → codeActions.ts).
import * as vscode from 'vscode';

export const RUN_CUSTOM_ACTION = 'tally.runCustomAction';

/** Only this extension can make one: arguments from a command link are plain JSON, never an instance of this class,
 *  so a link can at most run an action on the active editor, as the user can from the palette. */
export class ActionTarget {
  constructor(
    readonly uri: vscode.Uri,
    readonly range: vscode.Range,
    /** The custom action's title (tally.runCustomAction only). */
    readonly customTitle?: string,
  ) {}
}
