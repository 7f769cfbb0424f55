// Activation: build the dependencies, register the view and commands, and own every disposable. Heavy libraries (the
// openai SDK, the tokenizer, the Redis client) are not loaded here: they load on first use. Activation reports its
// own failure.
import * as vscode from 'vscode';
import { ChatService } from '../core/chat/chatService';
import { ConversationStore } from '../core/conversations/store';
import { LastOpened } from '../core/conversations/lastOpened';
import { displayEndpoint, resolveApiKey, resolveBaseUrl } from '../core/api/endpoint';
import { newId } from '../core/ids';
import { parseModelOverrides, resolveModel, type ModelOverrides, type ResolvedModel } from '../core/tokens/models';
import { OpenAIChatClient } from '../core/api/openaiClient';
import { systemClock } from '../core/ports';
import { createWorkerCounter } from '../core/tokens/tokenCountWorker';
import { Tokenizers } from '../core/tokens/tokenizers';
import { createCacheFeature } from './cacheFeature';
import { ChatController } from './chatController';
import { ChatViewProvider } from './chatViewProvider';
import { registerCommands } from './commands';
import { ConversationsController } from './conversationsController';
import { createMessageRouter } from './messageRouter';
import { onSettingsChanged, readSettings } from './settings';
import { secretStore } from './secretStore';
import { createTestApi, type TallyTestApi } from './testApi';
import { createUsageFeature } from './usageFeature';

export async function activate(context: vscode.ExtensionContext): Promise<TallyTestApi | undefined> {
  try {
    return activateTally(context);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`Tally failed to start: ${message}`);
    throw e;
  }
}

/** Conversations are kept per workspace; with no folder open, in one global fallback folder. */
function conversationsRoot(context: vscode.ExtensionContext): string {
  return (context.storageUri ?? vscode.Uri.joinPath(context.globalStorageUri, 'no-folder')).fsPath;
}

function activateTally(context: vscode.ExtensionContext): TallyTestApi | undefined {
  const log = vscode.window.createOutputChannel('Tally', { log: true });
  context.subscriptions.push(log);
  const secrets = secretStore(context.secrets);
  const client = new OpenAIChatClient();
  const endpoint = async () => {
    const apiKey = await resolveApiKey(secrets, process.env);
    return apiKey ? { apiKey, baseUrl: resolveBaseUrl(readSettings().baseUrl, process.env) } : undefined;
  };
  // Token counting runs in a worker thread (dist/lazy/tokenCountWorker.js): loading an encoding takes ~1 s of CPU
  // and ~130 MB, none of it on the extension host's thread; nothing loads before the first count.
  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'lazy', 'tokenCountWorker.js').fsPath;
  const tokenizers = new Tokenizers({ asyncCounter: (encoding) => createWorkerCounter({ workerPath, encoding }) });
  const models = modelResolver(log);
  const store = new ConversationStore({ root: conversationsRoot(context), logger: log, clock: systemClock, newId });
  const usage = createUsageFeature(context, { tokenizers, logger: log, clock: systemClock, newId });
  const { cache, disposables: cacheDisposables } = createCacheFeature(context, { logger: log, clock: systemClock });
  const service = new ChatService({
    client, endpoint, logger: log, clock: systemClock, newId, tokenizers, store, cache, accountant: usage.accountant,
    settings: readSettings,
    resolveModel: (id) => models(id, readSettings().modelOverrides),
  });

  const view = new ChatViewProvider(context.extensionUri, (msg) => router(msg), log);
  const conversations = new ConversationsController({ store, service, view, lastOpened: new LastOpened(store.root), log });
  const controller = new ChatController({
    service, view, newId, conversations,
    panelConfig: async () => {
      const settings = readSettings();
      return {
        model: settings.model,
        hasApiKey: (await resolveApiKey(secrets, process.env)) !== undefined,
        endpoint: displayEndpoint(resolveBaseUrl(settings.baseUrl, process.env)),
      };
    },
  });
  const router = createMessageRouter(controller, conversations);

  context.subscriptions.push(
    view,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    ...registerCommands({ controller, conversations, view, secrets: context.secrets, log }),
    ...usage.disposables,
    ...cacheDisposables,
    onSettingsChanged(() => void controller.configChanged()),
    context.secrets.onDidChange(() => void controller.configChanged()),
    { dispose: () => { service.cancel(); void tokenizers.dispose(); void store.dispose(); } },
  );
  void conversations.restoreLast();   // in the background: reading one small file; the panel's init waits for it
  log.info(`Tally ${context.extension.packageJSON.version as string} activated`);
  return context.extensionMode === vscode.ExtensionMode.Production ? undefined
    : createTestApi({ context, view, controller, service, client, tokenizers, conversations, store, usage, cache });
}

/** resolveModel with the user's `tally.models`, parsed once per change; problems are logged once each. */
function modelResolver(log: vscode.LogOutputChannel): (id: string, raw: unknown) => ResolvedModel {
  let last: { json: string; overrides: ModelOverrides } | undefined;
  return (id, raw) => {
    const json = JSON.stringify(raw ?? {});
    if (last?.json !== json) {
      const { overrides, problems } = parseModelOverrides(raw);
      for (const p of problems) log.warn(`tally.models: ${p}`);
      last = { json, overrides };
    }
    return resolveModel(id, last.overrides);
  };
}

export function deactivate(): void {}
