// The response cache in VS Code: its settings (mode, TTL, size, Redis URL), the backend they choose (files under
// global storage, shared by all windows; or a team's Redis), and the commands Clear Cache and Show Cache Stats.
import * as vscode from 'vscode';
import { FileStore } from '../core/cache/fileStore';
import { displayRedisUrl, RedisStore } from '../core/cache/redisStore';
import { CACHE_MODES, ResponseCache, type CacheMode } from '../core/cache/responseCache';
import type { CacheStore } from '../core/cache/cacheStore';
import type { Clock, Logger } from '../core/ports';

interface CacheSettings {
  mode: CacheMode;
  ttlMs: number;
  maxBytes: number;
  redisUrl: string;
}

function readCacheSettings(): CacheSettings {
  const c = vscode.workspace.getConfiguration('tally.cache');
  const mode = c.get<string>('mode', 'deterministic');
  return {
    mode: (CACHE_MODES as readonly string[]).includes(mode) ? mode as CacheMode : 'deterministic',
    ttlMs: Math.max(1, c.get<number>('ttlMinutes', 60)) * 60_000,
    maxBytes: Math.max(1, c.get<number>('maxSizeMB', 50)) * 1024 * 1024,
    redisUrl: c.get<string>('redisUrl', '').trim(),
  };
}

export function createCacheFeature(context: vscode.ExtensionContext, deps: { logger: Logger; clock: Clock }): { cache: ResponseCache; disposables: vscode.Disposable[] } {
  const dir = vscode.Uri.joinPath(context.globalStorageUri, 'cache').fsPath;
  let backend = '';
  const storeFor = (s: CacheSettings): CacheStore => {
    backend = s.redisUrl ? `redis:${s.redisUrl}` : 'file';
    return s.redisUrl
      ? new RedisStore({ url: s.redisUrl, logger: deps.logger })
      : new FileStore({ dir, clock: deps.clock, logger: deps.logger, maxBytes: s.maxBytes });
  };
  let settings = readCacheSettings();
  const cache = new ResponseCache({ mode: settings.mode, ttlMs: settings.ttlMs, store: storeFor(settings), clock: deps.clock, logger: deps.logger });
  const describe = () => (settings.redisUrl ? `Redis at ${displayRedisUrl(settings.redisUrl)}` : `files in ${dir}`);
  deps.logger.info(`response cache: mode ${settings.mode}, ${describe()}`);

  const disposables: vscode.Disposable[] = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('tally.cache')) return;
      const next = readCacheSettings();
      const newBackend = next.redisUrl ? `redis:${next.redisUrl}` : 'file';
      const store = newBackend !== backend || next.maxBytes !== settings.maxBytes ? storeFor(next) : undefined;
      settings = next;
      void cache.configure({ mode: next.mode, ttlMs: next.ttlMs, ...(store ? { store } : {}) });
      deps.logger.info(`response cache: mode ${next.mode}, ${describe()}`);
    }),
    vscode.commands.registerCommand('tally.clearCache', async () => {
      try {
        await cache.clear();
        void vscode.window.showInformationMessage(`Tally: response cache cleared (${describe()}).`);
      } catch (e) {
        void vscode.window.showErrorMessage(`Tally could not clear the cache: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
    vscode.commands.registerCommand('tally.showCacheStats', async () => {
      const s = cache.stats();
      let held: string;
      try {
        const st = await cache.storeStats();
        held = `${st.entries} entries${st.bytes !== undefined ? `, ${(st.bytes / 1024).toFixed(0)} KiB` : ''}`;
      } catch (e) {
        held = `unavailable (${e instanceof Error ? e.message : String(e)})`;
      }
      const message = `Tally cache (${settings.mode}, ${describe()}): ${held}. This session: ${s.hits} hits, ${s.misses} misses, ` +
        `${s.saved.total.toLocaleString('en-US')} tokens saved.`;
      void vscode.window.showInformationMessage(message);
      return { ...s, held };
    }),
    { dispose: () => void cache.dispose() },
  ];
  return { cache, disposables };
}
