// The sidebar chat view. It owns the webview's lifetime only: HTML, the ready handshake, validated incoming messages,
// and posting. The view can be resolved again (hidden and shown, moved to another sidebar): each resolution frees
// the previous one's listeners. Until the webview says `ready`, posts are dropped; on `ready` the router sends a
// full `init`, so nothing is lost while the view is closed (the host holds the state).
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import type { Logger } from '../core/ports';
import { chatHtml } from './webviewHtml';
import { errorMessage } from '../core/errorMessage';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'tally.chatView';

  private view: vscode.WebviewView | undefined;
  private ready = false;
  private viewListeners: vscode.Disposable[] = [];
  private readonly posted = new vscode.EventEmitter<HostToWebview>();
  private readonly readied = new vscode.EventEmitter<void>();
  /** Every message posted to a ready webview (for the status of tests and diagnostics; never contains the key). */
  readonly onDidPost = this.posted.event;
  /** Fires each time a webview finished loading and said `ready`. */
  readonly onDidBecomeReady = this.readied.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (msg: WebviewToHost) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeViewListeners();
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    this.viewListeners.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
        }
        this.disposeViewListeners();
      }),
    );
  }

  /** Handles a message as if the webview had sent it: validated first, like every message from the webview. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`ignored an invalid message from the chat view: ${parsed.error}`);
      return;
    }
    if (parsed.message.type === 'ready') {
      this.ready = true;
      this.readied.fire();
    }
    try {
      await this.onMessage(parsed.message);
    } catch (e) {
      this.logger.error(`handling ${parsed.message.type} failed: ${errorMessage(e)}`);
    }
  }

  post(msg: HostToWebview): void {
    if (!this.view || !this.ready) return;
    this.posted.fire(msg);
    void this.view.webview.postMessage(msg);
  }

  /** Shows the chat view (resolving it if needed). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
  }

  private disposeViewListeners(): void {
    for (const d of this.viewListeners.splice(0)) d.dispose();
  }

  dispose(): void {
    this.disposeViewListeners();
    this.posted.dispose();
    this.readied.dispose();
  }
}
