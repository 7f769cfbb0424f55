// What activate() returns outside production (extension tests, development): a narrow window into the running
// extension so integration tests in the real extension host can act as the webview and observe what it is sent.
// Nothing here exposes the API key.
import * as vscode from 'vscode';
import type { ChatService } from '../core/chat/chatService';
import type { OpenAIChatClient } from '../core/api/openaiClient';
import type { Tokenizers } from '../core/tokens/tokenizers';
import type { ChatMessage } from '../shared/conversation';
import type { HostToWebview } from '../shared/protocol';
import type { ChatController } from './chatController';
import type { ChatViewProvider } from './chatViewProvider';
import type { CodeBlockActions } from './codeBlockActions';
import type { ConversationsController } from './conversationsController';
import type { ConversationStore } from '../core/conversations/store';
import type { ResponseCache } from '../core/cache/responseCache';
import type { createUsageFeature } from './usageFeature';
import type { MetricsFeature } from './metricsFeature';
import type { ActivationTiming } from './activationTiming';

export interface TallyTestApi {
  /** Resolves once the chat view is resolved and its webview has said `ready` (immediately if it has). */
  whenViewReady(): Promise<void>;
  /** Delivers a message as if the webview had posted it (it is validated like a real one). */
  receive(raw: unknown): Promise<void>;
  /** Every message posted to the webview from now on. */
  onDidPost: vscode.Event<HostToWebview>;
  history(): readonly ChatMessage[];
  /** Whether the openai SDK has been loaded (it must not be at activation). */
  sdkLoaded(): boolean;
  /** Whether any tokenizer encoding has been requested on the host thread (it never should: counting is in a worker). */
  tokenizerLoadedOnHost(): boolean;
  /** Where this extension's logs (the Tally output channel) are written. */
  logUri: vscode.Uri;
  globalState: vscode.Memento;
  workspaceState: vscode.Memento;
  controller: ChatController;
  conversations: ConversationsController;
  store: ConversationStore;
  cache: ResponseCache;
  usage: ReturnType<typeof createUsageFeature>;
  /** Request metrics and the API health report (records, figures, the report's HTML, the status bar's lines). */
  metrics: MetricsFeature;
  /** The code-block actions (Insert at Cursor, Replace Selection's waiting diff, Save as New File). */
  codeBlocks: CodeBlockActions;
  /** The conversation on screen. */
  currentConversationId(): string;
  /** The folder holding this workspace's conversations. */
  storageRoot: string;
  /** Stores an API key as "Set API Key" does after its input box (the command itself always asks). */
  setApiKey(key: string): Promise<void>;
  /** Exports the current conversation to `target` (Markdown, or JSON for *.json) without the save dialog. */
  exportConversation(target: vscode.Uri): Promise<vscode.Uri | undefined>;
  /** Tally's own activation time on the host's clock (bundle evaluation + activate()); see activationTiming.ts. */
  activationTiming(): ActivationTiming | undefined;
  /** The @tally participant's handler, to drive with a recording response stream. */
  participant: vscode.ChatRequestHandler;
}

export function createTestApi(deps: {
  context: vscode.ExtensionContext;
  view: ChatViewProvider;
  controller: ChatController;
  service: ChatService;
  client: OpenAIChatClient;
  tokenizers: Tokenizers;
  conversations: ConversationsController;
  store: ConversationStore;
  cache: ResponseCache;
  usage: ReturnType<typeof createUsageFeature>;
  metrics: MetricsFeature;
  codeBlocks: CodeBlockActions;
  setApiKey(key: string): Promise<void>;
  activationTiming(): ActivationTiming | undefined;
  participant: vscode.ChatRequestHandler;
}): TallyTestApi {
  const { context, view, controller, service, client, tokenizers, conversations, store, cache, usage, codeBlocks } =
    deps;
  return {
    whenViewReady: () =>
      view.isReady
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const sub = view.onDidBecomeReady(() => {
              sub.dispose();
              resolve();
            });
          }),
    receive: (raw) => view.receive(raw),
    onDidPost: view.onDidPost,
    history: () => service.history,
    sdkLoaded: () => client.loaded,
    tokenizerLoadedOnHost: () => tokenizers.isLoaded('o200k_base') || tokenizers.isLoaded('cl100k_base'),
    logUri: context.logUri,
    globalState: context.globalState,
    workspaceState: context.workspaceState,
    controller,
    conversations,
    store,
    cache,
    usage,
    metrics: deps.metrics,
    codeBlocks,
    currentConversationId: () => service.current.id,
    storageRoot: store.root,
    setApiKey: deps.setApiKey,
    exportConversation: (target) => conversations.export(target.path.endsWith('.json') ? 'json' : 'markdown', target),
    activationTiming: deps.activationTiming,
    participant: deps.participant,
  };
}
