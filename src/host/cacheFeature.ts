// The response cache in VS Code: its settings (mode, TTL, size, Redis URL), the backend they choose (files under
// global storage, shared by all windows; or a team's Redis), and the commands Clear Cache and Show Cache Stats.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { FileStore } from '../core/cache/fileStore';
import { displayRedisUrl, RedisStore } from '../core/cache/redisStore';
import { ResponseCache } from '../core/cache/responseCache';
import type { CacheStore } from '../core/cache/cacheStore';
import type { Clock, Logger, SecretValue } from '../core/ports';
import type { CacheSettings } from '../core/settings/tallySettings';
import { registerCommand } from './commandRunner';
import type { Settings } from './settings';
import { errorMessage } from '../core/errorMessage';
import { displayLocale } from '../shared/displayLocale';

const number = (n: number) => n.toLocaleString(displayLocale());

export function createCacheFeature(
  context: vscode.ExtensionContext,
  deps: { settings: Settings; teamSecret: SecretValue; logger: Logger; clock: Clock },
): { cache: ResponseCache; disposables: vscode.Disposable[] } {
  const dir = vscode.Uri.joinPath(context.globalStorageUri, 'cache').fsPath;
  let backend = '';
  const storeFor = (s: CacheSettings): CacheStore => {
    backend = s.redisUrl ? `redis:${s.redisUrl}` : 'file';
    return s.redisUrl
      ? new RedisStore({ url: s.redisUrl, logger: deps.logger, teamSecret: deps.teamSecret })
      : new FileStore({ dir, clock: deps.clock, logger: deps.logger, maxBytes: s.maxBytes });
  };
  let settings = deps.settings.current.cache;
  const cache = new ResponseCache({
    mode: settings.mode,
    ttlMs: settings.ttlMs,
    store: storeFor(settings),
    clock: deps.clock,
    logger: deps.logger,
  });
  // The log says where in English (bug reports); messages to the user say it in the display language.
  const where = () => (settings.redisUrl ? `Redis at ${displayRedisUrl(settings.redisUrl)}` : `files in ${dir}`);
  const describe = () =>
    settings.redisUrl ? l10n.t('Redis at {0}', displayRedisUrl(settings.redisUrl)) : l10n.t('files in {0}', dir);
  deps.logger.info(`response cache: mode ${settings.mode}, ${where()}`);

  const disposables: vscode.Disposable[] = [
    deps.settings.onDidChange((e) => {
      if (e && !e.affectsConfiguration('tally.cache')) return;
      const next = deps.settings.current.cache;
      const newBackend = next.redisUrl ? `redis:${next.redisUrl}` : 'file';
      const store = newBackend !== backend || next.maxBytes !== settings.maxBytes ? storeFor(next) : undefined;
      settings = next;
      void cache.configure({ mode: next.mode, ttlMs: next.ttlMs, ...(store ? { store } : {}) });
      deps.logger.info(`response cache: mode ${next.mode}, ${where()}`);
    }),
    registerCommand(
      'tally.clearCache',
      l10n.t('clear the cache'),
      async () => {
        await cache.clear();
        void vscode.window.showInformationMessage(l10n.t('Tally: response cache cleared ({0}).', describe()));
      },
      deps.logger,
    ),
    registerCommand(
      'tally.showCacheStats',
      l10n.t('show the cache stats'),
      async () => {
        const s = cache.stats();
        let held: string;
        try {
          const st = await cache.storeStats();
          const entries = number(st.entries);
          const kib = st.bytes !== undefined ? number(Math.round(st.bytes / 1024)) : undefined;
          if (st.entries === 1) held = kib !== undefined ? l10n.t('1 entry, {0} KiB', kib) : l10n.t('1 entry');
          else held = kib !== undefined ? l10n.t('{0} entries, {1} KiB', entries, kib) : l10n.t('{0} entries', entries);
        } catch (e) {
          held = l10n.t('unavailable ({0})', errorMessage(e));
        }
        const message = l10n.t(
          'Tally cache ({0}, {1}): {2}. This session: {3} hits, {4} misses, {5} tokens saved.',
          settings.mode,
          describe(),
          held,
          number(s.hits),
          number(s.misses),
          number(s.saved.total),
        );
        void vscode.window.showInformationMessage(message);
        return { ...s, held };
      },
      deps.logger,
    ),
  ];
  return { cache, disposables };
}
