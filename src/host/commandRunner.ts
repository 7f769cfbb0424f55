// One way to register a command: a failure is logged and shown to the user (never an unhandled rejection that
// VS Code reports as "command failed" with a stack), and the handler's result is passed through.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import type { Logger } from '../core/ports';

/** Registers `handler` under `id`; if it throws, logs "<id> failed" (English, for bug reports) and shows "Tally could
 *  not <what>: …". `what` is in the display language: callers pass `l10n.t('clear the cache')`. */
export function registerCommand(
  id: string,
  what: string,
  handler: (...args: unknown[]) => unknown,
  log: Logger,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (e) {
      log.error(`${id} failed: ${errorMessage(e)}`);
      void vscode.window.showErrorMessage(l10n.t('Tally could not {0}: {1}', what, errorMessage(e)));
      return undefined;
    }
  });
}
