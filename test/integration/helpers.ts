// Shared by the integration tests (they run inside the real VS Code extension host).
import * as vscode from 'vscode';
import type { HostToWebview } from '../../src/shared/protocol';
import type { TallyTestApi } from '../../src/host/testApi';
import { FakeOpenAIServer } from '../support/fakeOpenAI';

export const EXTENSION_ID = 'tally-dev.tally';

export async function tallyApi(): Promise<TallyTestApi> {
  const ext = vscode.extensions.getExtension<TallyTestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  if (!api) throw new Error('the extension returned no test API (is it running in production mode?)');
  return api;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Records every message the host posts to the webview while it is open. */
export class PostRecorder implements vscode.Disposable {
  readonly messages: HostToWebview[] = [];
  private readonly sub: vscode.Disposable;

  constructor(api: TallyTestApi) {
    this.sub = api.onDidPost((m) => this.messages.push(m));
  }

  of<K extends HostToWebview['type']>(type: K, requestId?: string): Extract<HostToWebview, { type: K }>[] {
    return this.messages.filter(
      (m): m is Extract<HostToWebview, { type: K }> =>
        m.type === type && (requestId === undefined || (m as { requestId?: string }).requestId === requestId),
    );
  }

  /** Resolves with the first message of `type` for `requestId`. */
  next<K extends HostToWebview['type']>(
    type: K,
    requestId?: string,
    timeoutMs?: number,
  ): Promise<Extract<HostToWebview, { type: K }>> {
    return waitFor(`${type}${requestId ? ` for ${requestId}` : ''}`, () => this.of(type, requestId)[0], timeoutMs);
  }

  text(requestId: string): string {
    return this.of('chat/delta', requestId)
      .map((d) => d.text)
      .join('');
  }

  dispose(): void {
    this.sub.dispose();
  }
}

/** Opens the Tally sidebar and waits until its webview has loaded and said `ready`. */
export async function openChatView(api: TallyTestApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.tally');
  await Promise.race([
    api.whenViewReady(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('the chat view did not become ready within 30 s')), 30_000),
    ),
  ]);
}

export async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('tally');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

/** What a chat suite works with; filled in by the hooks `useChatSuite` registers. */
export interface ChatSuite {
  server: FakeOpenAIServer;
  api: TallyTestApi;
  /** Messages posted to the panel during the current test. */
  posts: PostRecorder;
}

/**
 * Registers the hooks every chat suite needs: a loopback test server, Tally pointed at it with `settings` and `key`,
 * the chat view open; before each test a new chat, an empty request log and a fresh PostRecorder; afterwards the
 * key removed, the settings reset and the server closed.
 */
export function useChatSuite(key: string, settings: Record<string, unknown>): ChatSuite {
  const suite = {} as ChatSuite;
  before(async () => {
    suite.server = await FakeOpenAIServer.start();
    suite.api = await tallyApi();
    await configure({ baseUrl: suite.server.baseUrl, ...settings });
    await suite.api.setApiKey(key);
    await openChatView(suite.api);
  });
  beforeEach(async () => {
    suite.server.reset();
    await vscode.commands.executeCommand('tally.newChat');
    suite.posts = new PostRecorder(suite.api);
  });
  afterEach(() => suite.posts.dispose());
  after(async () => {
    await vscode.commands.executeCommand('tally.clearApiKey');
    await configure(Object.fromEntries(['baseUrl', ...Object.keys(settings)].map((k) => [k, undefined])));
    await suite.server.close();
  });
  return suite;
}
