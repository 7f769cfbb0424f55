// The team cache secret: kept in VS Code's SecretStorage (the OS keychain), never in settings, so a repository cannot
// set or read it. With it, every entry written to the team's Redis carries an HMAC and only entries with a valid one
// are served (see core/cache/cacheEntry.ts). "Tally: Set Team Cache Secret" always asks — it takes no arguments, so a
// command link cannot set it — and an empty answer removes the secret.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { Logger, SecretValue } from '../core/ports';
import { registerCommand } from './commandRunner';

export const TEAM_CACHE_SECRET_KEY = 'tally.teamCacheSecret';
export const SET_TEAM_CACHE_SECRET_COMMAND = 'tally.setTeamCacheSecret';

export interface TeamCacheSecret {
  /** For RedisStore's `teamSecret`: read once, then kept until SecretStorage says the secret changed. */
  secret: SecretValue;
  /** The command and the change listener. */
  disposables: vscode.Disposable[];
}

export function registerTeamCacheSecret(secrets: vscode.SecretStorage, logger: Logger): TeamCacheSecret {
  let cached: Promise<string | undefined> | undefined;
  const read = (): Promise<string | undefined> => {
    const pending = Promise.resolve(secrets.get(TEAM_CACHE_SECRET_KEY));
    cached = pending;
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    }); // a failed read is retried on next use
    return pending;
  };
  const secret: SecretValue = { get: () => cached ?? read() };

  const disposables: vscode.Disposable[] = [
    // Also fires when another window changes it.
    secrets.onDidChange((e) => {
      if (e.key === TEAM_CACHE_SECRET_KEY) cached = undefined;
    }),
    // Arguments are ignored on purpose: the secret only ever comes from the user typing it.
    registerCommand(
      SET_TEAM_CACHE_SECRET_COMMAND,
      l10n.t('set the team cache secret'),
      async () => {
        const value = await vscode.window.showInputBox({
          title: l10n.t('Tally: Set Team Cache Secret'),
          prompt: l10n.t(
            "The secret your team shares to sign and check entries in the shared Redis cache. Kept in VS Code's secret storage. Leave empty to remove it.",
          ),
          password: true,
          ignoreFocusOut: true,
        });
        if (value === undefined) return; // Escape: nothing changes
        cached = undefined;
        if (value.trim() === '') {
          await secrets.delete(TEAM_CACHE_SECRET_KEY);
          logger.info('team cache secret removed: Redis cache entries are no longer signed or checked');
          void vscode.window.showInformationMessage(l10n.t('Tally: team cache secret removed.'));
        } else {
          await secrets.store(TEAM_CACHE_SECRET_KEY, value.trim());
          logger.info('team cache secret stored: Redis cache entries are signed, and unsigned ones are not served');
          void vscode.window.showInformationMessage(l10n.t('Tally: team cache secret stored.'));
        }
      },
      logger,
    ),
  ];
  return { secret, disposables };
}
