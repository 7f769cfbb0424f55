// Every message from the webview (already validated) mapped to what it does. The Handlers type makes a new message
// type fail to compile until it has a handler here.
import * as vscode from 'vscode';
import { dispatch, type Handlers, type WebviewToHost } from '../shared/protocol';
import type { ErrorAction } from '../shared/errors';
import type { ChatController } from './chatController';
import type { CodeBlockActions } from './codeBlockActions';
import type { ConversationsController } from './conversationsController';

const ACTION_COMMANDS: Record<Exclude<ErrorAction, 'retry' | 'sendAnyway'>, () => Thenable<unknown>> = {
  setApiKey: () => vscode.commands.executeCommand('tally.setApiKey'),
  openBilling: () =>
    vscode.env.openExternal(vscode.Uri.parse('https://platform.openai.com/settings/organization/billing')),
  newChat: () => vscode.commands.executeCommand('tally.newChat'),
  chooseModel: () => vscode.commands.executeCommand('tally.chooseModel'),
  showLog: () => vscode.commands.executeCommand('tally.showLog'),
  openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'tally.'),
  raiseBudget: () => vscode.commands.executeCommand('workbench.action.openSettings', 'tally.budget'),
};

/** Opens a link clicked in the panel outside VS Code, if its scheme is one a reply may link to (never command:, file:…). */
function openLink(url: string): Thenable<unknown> | undefined {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(url, true);
  } catch {
    return undefined;
  }
  const web = (uri.scheme === 'http' || uri.scheme === 'https') && uri.authority !== '';
  return web || uri.scheme === 'mailto' ? vscode.env.openExternal(uri) : undefined;
}

/** The model picker as the panel uses it (modelPicker.ts; the answers are posted as `models/listed`). */
export interface PanelModels {
  list(refresh: boolean): Promise<void>;
  choose(id: string): Promise<void>;
}

export function createMessageRouter(
  controller: ChatController,
  conversations: ConversationsController,
  codeBlocks: CodeBlockActions,
  models: PanelModels,
): (msg: WebviewToHost) => Promise<void> {
  const handlers: Handlers<WebviewToHost> = {
    ready: () => controller.sendInit(),
    'chat/send': async (msg) => {
      await controller.send(msg.text, msg.requestId);
    },
    'chat/cancel': (msg) => {
      controller.stop(msg.requestId);
    },
    'chat/new': () => controller.newChat(),
    'chat/retry': async (msg) => {
      await controller.retry(msg.requestId);
    },
    'draft/estimate': (msg) => controller.estimate(msg.seq, msg.text),
    'chat/regenerate': (msg) => controller.regenerate(msg.requestId),
    'stream/pace': (msg) => controller.setPace(msg.intervalMs),
    'chat/reask': (msg) => controller.reask(msg.messageId, msg.model, msg.requestId),
    'models/list': (msg) => models.list(msg.refresh),
    'model/choose': (msg) => models.choose(msg.model),
    'conversations/list': async (msg) => controller.postList(msg.query, await conversations.list(msg.query)),
    'conversation/open': async (msg) => {
      await conversations.open(msg.id);
    },
    'conversation/more': (msg) => conversations.more(msg.conversationId, msg.beforeId),
    'conversation/rename': (msg) => conversations.rename(msg.id),
    'conversation/delete': (msg) => conversations.delete(msg.id),
    'conversation/export': async (msg) => {
      await conversations.export(msg.format);
    },
    'link/open': async (msg) => {
      await openLink(msg.url);
    },
    'action/run': async (msg) => {
      if (msg.action === 'retry') await controller.retry();
      else if (msg.action === 'sendAnyway') await controller.sendAnyway();
      else await ACTION_COMMANDS[msg.action]();
    },
    'code/action': async (msg) => {
      await codeBlocks.run(msg.action, msg.code, msg.language);
    },
  };
  return async (msg) => {
    await dispatch(handlers, msg);
  };
}
