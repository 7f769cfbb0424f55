// The command table: id -> handler, one small function each. Every id here is also in package.json. The code actions
// (Explain, Refactor, … Fix This Problem) register in codeActions.ts.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { API_KEY_SECRET } from '../core/api/endpoint';
import { registerCommand } from './commandRunner';
import type { ChatController } from './chatController';
import type { ChatViewProvider } from './chatViewProvider';
import type { ConversationsController } from './conversationsController';

export interface CommandDeps {
  controller: ChatController;
  conversations: ConversationsController;
  view: ChatViewProvider;
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
}

/** Keeps `key` in secret storage (never logged) and tells the panel. */
export async function storeApiKey(
  deps: Pick<CommandDeps, 'secrets' | 'log' | 'controller'>,
  key: string,
): Promise<void> {
  await deps.secrets.store(API_KEY_SECRET, key.trim());
  deps.log.info('API key stored in secret storage');
  await deps.controller.configChanged();
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { controller, conversations, view, secrets, log } = deps;
  const table: Record<string, (...args: unknown[]) => unknown> = {
    'tally.newChat': async () => {
      controller.newChat();
      await view.reveal();
    },
    // Always asks: a command can be run by a link or another extension with arguments, and none may replace the
    // key. Tests set it through the test API (storeApiKey).
    'tally.setApiKey': async () => {
      const key = await vscode.window.showInputBox({
        title: l10n.t('Tally: Set API Key'),
        prompt: l10n.t("Your API key is kept in VS Code's secret storage (the OS keychain), never in settings."),
        // eslint-disable-next-line no-restricted-syntax -- the shape of a key, the same in every language
        placeHolder: 'sk-…',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) =>
          v.trim().length === 0
            ? l10n.t('Enter a key, or press Escape to cancel.')
            : /\s/.test(v.trim())
              ? l10n.t('An API key has no spaces.')
              : undefined,
      });
      if (key === undefined || key.trim() === '') return;
      await storeApiKey(deps, key);
    },
    'tally.clearApiKey': async () => {
      await secrets.delete(API_KEY_SECRET);
      log.info('API key removed from secret storage');
      await controller.configChanged();
    },
    'tally.stop': () => controller.stop(),
    'tally.regenerate': () => controller.regenerate(),
    'tally.openConversation': () => conversations.pick(),
    // Always asks for the new title (an id may pick which conversation; no argument can write a title unasked).
    'tally.renameConversation': (id?: unknown) => conversations.rename(typeof id === 'string' ? id : undefined),
    'tally.deleteConversation': () => conversations.delete(),
    // Always asks where to write (a save dialog): arguments are ignored, so no link can write a file anywhere.
    'tally.exportConversation': async () => {
      const format = await vscode.window.showQuickPick(
        [
          { label: 'Markdown', format: 'markdown' as const },
          { label: 'JSON', format: 'json' as const },
        ],
        { title: l10n.t('Export conversation as') },
      );
      return format ? conversations.export(format.format) : undefined;
    },
    'tally.copyConversation': () => conversations.export('clipboard'),
    'tally.showLog': () => log.show(true),
  };
  return Object.entries(table).map(([id, handler]) =>
    registerCommand(id, l10n.t('run {0}', id.replace(/^tally\./, '')), handler, log),
  );
}
