// Activation: build the dependencies, register the view and commands, and own every disposable. Heavy libraries (the
// openai SDK, the tokenizer, the Redis client) are not loaded here: they load on first use. Activation reports its
// own failure.
// activationTiming first: its stamp is the bundle's first line (see that file).
import { activationTiming, ActivationSteps, type ActivationTiming } from './activationTiming';
import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { setDisplayLocale } from '../shared/displayLocale';
import { ChatService } from '../core/chat/chatService';
import { ConversationStore } from '../core/conversations/store';
import { LastOpened } from '../core/conversations/lastOpened';
import { displayEndpoint, resolveApiKey, resolveBaseUrl } from '../core/api/endpoint';
import { endpointRefusal, EndpointRefusedError } from '../core/api/endpointPolicy';
import { redactingLogger } from '../core/api/redactingLogger';
import { newId } from '../core/ids';
import { resolveModel } from '../core/tokens/models';
import { OpenAIChatClient } from '../core/api/openaiClient';
import { systemClock } from '../core/ports';
import { createWorkerCounter } from '../core/tokens/tokenCountWorker';
import { Tokenizers } from '../core/tokens/tokenizers';
import { createCacheFeature } from './cacheFeature';
import { ChatController } from './chatController';
import { ChatViewProvider } from './chatViewProvider';
import { registerCommands, storeApiKey } from './commands';
import { registerCodeActions } from './codeActions';
import { ConversationsController } from './conversationsController';
import { CodeBlockActions } from './codeBlockActions';
import { createMessageRouter } from './messageRouter';
import { connectModelPicker } from './modelFeature';
import { ModelPicker } from './modelPicker';
import { registerLanguageModels, type LmProviderDeps } from './lmProvider';
import { createParticipantHandler, registerParticipant } from './chatParticipant';
import { errorMessage } from '../core/errorMessage';
import { Settings } from './settings';
import { registerTeamCacheSecret } from './teamCacheSecret';
import { secretStore } from './secretStore';
import { createTestApi, type TallyTestApi } from './testApi';
import { createUsageFeature } from './usageFeature';
import { createMetricsFeature } from './metricsFeature';
import { createOtlpExport } from './otlpExport';

/** Every module of the bundle has run by now: extension.ts's top level runs last. */
const bundleEvaluatedAt = performance.now();
let timing: ActivationTiming | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<TallyTestApi | undefined> {
  // The display language first (issue #15): every l10n.t() and Intl format after this line follows it. VS Code
  // hands over l10n/bundle.l10n.<language>.json (undefined in English: t() then returns the English text).
  l10n.config({ contents: vscode.l10n.bundle ?? {} });
  setDisplayLocale(vscode.env.language);
  try {
    return activateTally(context, performance.now());
  } catch (e) {
    void vscode.window.showErrorMessage(l10n.t('Tally failed to start: {0}', errorMessage(e)));
    throw e;
  }
}

/** Conversations are kept per workspace; with no folder open, in one global fallback folder. */
function conversationsRoot(context: vscode.ExtensionContext): string {
  return (context.storageUri ?? vscode.Uri.joinPath(context.globalStorageUri, 'no-folder')).fsPath;
}

function activateTally(context: vscode.ExtensionContext, startedAt: number): TallyTestApi | undefined {
  // Every log line is redacted: key shapes, URL passwords, and the key in use itself (kept here once resolved).
  const steps = new ActivationSteps(startedAt);
  let keyInUse: string | undefined;
  const log = redactingLogger(vscode.window.createOutputChannel('Tally', { log: true }), () => [keyInUse]);
  context.subscriptions.push(log);
  steps.step('log');
  const settings = new Settings(log, (message) => void vscode.window.showWarningMessage(message));
  context.subscriptions.push(settings);
  steps.step('settings');
  const secrets = secretStore(context.secrets);
  const client = new OpenAIChatClient();
  // Where the key goes is the user's decision: tally.baseUrl from user settings only (Settings), else the
  // environment; plain http only to this machine. A refused endpoint gets nothing, not even the key.
  const endpoint = async () => {
    const baseUrl = resolveBaseUrl(settings.current.baseUrl, process.env);
    const refusal = endpointRefusal(baseUrl);
    if (refusal) throw new EndpointRefusedError(refusal);
    const apiKey = await resolveApiKey(secrets, process.env);
    keyInUse = apiKey;
    return apiKey ? { apiKey, baseUrl } : undefined;
  };
  // Token counting runs in a worker thread (dist/lazy/tokenCountWorker.js): loading an encoding takes ~1 s of CPU
  // and ~130 MB, none of it on the extension host's thread; nothing loads before the first count.
  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'lazy', 'tokenCountWorker.js').fsPath;
  const tokenizers = new Tokenizers({ asyncCounter: (encoding) => createWorkerCounter({ workerPath, encoding }) });
  steps.step('client');
  const store = new ConversationStore({ root: conversationsRoot(context), logger: log, clock: systemClock, newId });
  steps.step('store');
  const usage = createUsageFeature(context, { settings, tokenizers, logger: log, clock: systemClock, newId });
  steps.step('usage');
  // Request metrics and the API health report: nothing is read from disk here (the store is read on first use).
  // With tally.telemetry.otlpEndpoint set, each record also goes to that collector (the SDK loads on the first one).
  const otlp = createOtlpExport({
    settings,
    logger: log,
    serviceVersion: context.extension.packageJSON.version as string,
  });
  const metrics = createMetricsFeature(context, {
    settings,
    logger: log,
    clock: systemClock,
    onRecorded: () => usage.statusBar.schedule(),
    onMetric: (r) => otlp.record(r),
  });
  usage.statusBar.healthLines = metrics.glance;
  steps.step('metrics');
  const teamSecret = registerTeamCacheSecret(context.secrets, log);
  const { cache, disposables: cacheDisposables } = createCacheFeature(context, {
    settings,
    teamSecret: teamSecret.secret,
    logger: log,
    clock: systemClock,
  });
  steps.step('cache');
  // The model: this workspace's choice in the picker (workspaceState), else tally.model.
  const picker = new ModelPicker({
    workspaceState: context.workspaceState,
    globalState: context.globalState,
    settings: () => settings.current,
    endpoint,
    listModelIds: (ep, signal) => client.listModelIds(ep, signal),
    log,
  });
  const service = new ChatService({
    client,
    endpoint,
    logger: log,
    clock: systemClock,
    newId,
    tokenizers,
    store,
    cache,
    accountant: usage.accountant,
    onRequestFinished: (finished) => metrics.record(finished),
    settings: () => ({ ...settings.current, model: picker.model }),
    resolveModel: (id) => resolveModel(id, settings.current.modelOverrides),
  });

  steps.step('service');
  const view = new ChatViewProvider(context.extensionUri, (msg) => router(msg), log);
  const conversations = new ConversationsController({
    store,
    service,
    view,
    lastOpened: new LastOpened(store.root, log),
    log,
  });
  const controller = new ChatController({
    service,
    view,
    newId,
    conversations,
    panelConfig: async () => {
      const current = settings.current;
      return {
        model: picker.model,
        hasApiKey: (await resolveApiKey(secrets, process.env)) !== undefined,
        endpoint: displayEndpoint(resolveBaseUrl(current.baseUrl, process.env)),
      };
    },
  });
  const codeBlocks = new CodeBlockActions(log);
  const models = connectModelPicker(
    picker,
    { post: (msg) => view.post(msg), changed: () => void controller.configChanged() },
    log,
  );
  const router = createMessageRouter(controller, conversations, codeBlocks, models.panelModels);
  const commandDeps = { controller, conversations, view, secrets: context.secrets, log };

  const lmDeps: LmProviderDeps = {
    client,
    endpoint,
    settings: () => settings.current,
    tokenizers,
    resolveModel: (id) => resolveModel(id, settings.current.modelOverrides),
    accountant: usage.accountant,
    cache,
    onRequestFinished: (finished) => metrics.record(finished),
    logger: log,
    clock: systemClock,
    picker,
    newId,
    log,
  };
  const participantDeps = {
    ...lmDeps,
    costMarkdown: async () => {
      await usage.loaded;
      return usage.statusBar.tooltip;
    },
    healthLines: () => metrics.glance(),
  };
  steps.step('controllers');
  context.subscriptions.push(
    view,
    codeBlocks,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    ...registerCommands(commandDeps),
    ...registerCodeActions({ controller, view, log, customActions: () => settings.current.actions }),
    ...models.disposables,
    // Tally's models and @tally in VS Code's own Chat, answered through the same pipeline as the panel.
    ...registerLanguageModels(lmDeps),
    ...registerParticipant(participantDeps),
    ...usage.disposables,
    ...metrics.disposables,
    ...otlp.disposables,
    ...cacheDisposables,
    ...teamSecret.disposables,
    settings.onDidChange(() => void controller.configChanged()),
    context.secrets.onDidChange(() => void controller.configChanged()),
    { dispose: () => void shutdown?.() },
  );
  // deactivate() awaits this: a stopped reply is saved with what arrived, pending saves are flushed, the worker ends.
  let stopped: Promise<void> | undefined;
  shutdown = () =>
    (stopped ??= (async () => {
      service.cancel();
      await Promise.allSettled([store.dispose(), tokenizers.dispose(), cache.dispose(), otlp.shutdown()]);
    })());
  steps.step('register');
  void conversations.restoreLast(); // in the background: reading one small file; the panel's init waits for it
  steps.step('restoreLast');
  timing = activationTiming(bundleEvaluatedAt, startedAt, steps);
  const { ownMs, activateEndedAt, activateStartedAt } = timing;
  log.info(
    `Tally ${context.extension.packageJSON.version as string} activated: ${ownMs.toFixed(1)} ms of its own ` +
      `(activate() ${(activateEndedAt - activateStartedAt).toFixed(1)} ms: ` +
      `${Object.entries(timing.steps)
        .map(([step, ms]) => `${step} ${ms.toFixed(1)}`)
        .join(', ')})`,
  );
  return context.extensionMode === vscode.ExtensionMode.Production
    ? undefined
    : createTestApi({
        context,
        view,
        controller,
        service,
        client,
        tokenizers,
        conversations,
        store,
        usage,
        metrics,
        cache,
        codeBlocks,
        setApiKey: (key) => storeApiKey(commandDeps, key),
        activationTiming: () => timing,
        participant: createParticipantHandler(participantDeps),
      });
}

/** Set by activate(): stops replies, flushes pending conversation saves and stops the token-count worker. */
let shutdown: (() => Promise<void>) | undefined;

export function deactivate(): Promise<void> | undefined {
  return shutdown?.();
}
