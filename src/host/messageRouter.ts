// Every message from the webview (already validated) mapped to what it does. The Handlers type makes a new message
// type fail to compile until it has a handler here.
import * as vscode from 'vscode';
import { dispatch, type Handlers, type WebviewToHost } from '../shared/protocol';
import type { ErrorAction } from '../shared/errors';
import type { ChatController } from './chatController';

const ACTION_COMMANDS: Record<Exclude<ErrorAction, 'retry'>, () => Thenable<unknown>> = {
  setApiKey: () => vscode.commands.executeCommand('tally.setApiKey'),
  openBilling: () => vscode.env.openExternal(vscode.Uri.parse('https://platform.openai.com/settings/organization/billing')),
  newChat: () => vscode.commands.executeCommand('tally.newChat'),
  chooseModel: () => vscode.commands.executeCommand('workbench.action.openSettings', 'tally.model'),
  showLog: () => vscode.commands.executeCommand('tally.showLog'),
  openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'tally.'),
};

export function createMessageRouter(controller: ChatController): (msg: WebviewToHost) => Promise<void> {
  const handlers: Handlers<WebviewToHost> = {
    ready: () => controller.sendInit(),
    'chat/send': async (msg) => { await controller.send(msg.text, msg.requestId); },
    'chat/cancel': (msg) => { controller.stop(msg.requestId); },
    'chat/new': () => controller.newChat(),
    'chat/retry': async (msg) => { await controller.retry(msg.requestId); },
    'draft/estimate': (msg) => controller.estimate(msg.seq, msg.text),
    'action/run': async (msg) => {
      if (msg.action === 'retry') await controller.retry();
      else await ACTION_COMMANDS[msg.action]();
    },
  };
  return async (msg) => { await dispatch(handlers, msg); };
}
