// The response cache in VS Code: its settings (mode, TTL, size, Redis URL), the backend they choose (files under
// global storage, shared by all windows; or a team's Redis), and the commands Clear Cache and Show Cache Stats.
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
  const describe = () => (settings.redisUrl ? `Redis at ${displayRedisUrl(settings.redisUrl)}` : `files in ${dir}`);
  deps.logger.info(`response cache: mode ${settings.mode}, ${describe()}`);

  const disposables: vscode.Disposable[] = [
    deps.settings.onDidChange((e) => {
      if (e && !e.affectsConfiguration('tally.cache')) return;
      const next = deps.settings.current.cache;
      const newBackend = next.redisUrl ? `redis:${next.redisUrl}` : 'file';
      const store = newBackend !== backend || next.maxBytes !== settings.maxBytes ? storeFor(next) : undefined;
      settings = next;
      void cache.configure({ mode: next.mode, ttlMs: next.ttlMs, ...(store ? { store } : {}) });
      deps.logger.info(`response cache: mode ${next.mode}, ${describe()}`);
    }),
    registerCommand(
      'tally.clearCache',
      'clear the cache',
      async () => {
        await cache.clear();
        void vscode.window.showInformationMessage(`Tally: response cache cleared (${describe()}).`);
      },
      deps.logger,
    ),
    registerCommand(
      'tally.showCacheStats',
      'show the cache stats',
      async () => {
        const s = cache.stats();
        let held: string;
        try {
          const st = await cache.storeStats();
          held = `${st.entries} entries${st.bytes !== undefined ? `, ${(st.bytes / 1024).toFixed(0)} KiB` : ''}`;
        } catch (e) {
          held = `unavailable (${errorMessage(e)})`;
        }
        const message =
          `Tally cache (${settings.mode}, ${describe()}): ${held}. This session: ${s.hits} hits, ${s.misses} misses, ` +
          `${s.saved.total.toLocaleString('en-US')} tokens saved.`;
        void vscode.window.showInformationMessage(message);
        return { ...s, held };
      },
      deps.logger,
    ),
  ];
  return { cache, disposables };
}
