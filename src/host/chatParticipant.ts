// `@tally` in VS Code's own Chat (issue #16 item 2): /explain, /fix, /tests, /docs on the chat's references (or the
// editor's selection), routed like the code actions (the model and the reason are shown first), answered through
// Tally's pipeline (lmRequest.ts); /cost and /health from the ledger and the metrics. Errors come with their actions,
// Retry among them: the Chat view's own retry command (`workbench.action.chat.retry`, the same as the ↻ under a
// response) given the request's session (its toolInvocationToken carries `sessionResource`), so the same request is
// sent again with the same references, mode and model.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { buildActionRequest, type ActionInput } from '../core/actions/actionRequest';
import { builtInAction, type BuiltInActionId } from '../core/actions/catalog';
import type { ChatRequestMessage } from '../core/api/chatClient';
import { chooseModel } from '../core/chat/modelChoice';
import { lmError, runLmRequest, type LmRequestDeps } from '../core/lm/lmRequest';
import { formatReplyUsd } from '../shared/format';

export const PARTICIPANT_ID = 'tally.tally';
/** VS Code's command behind the ↻ under a chat response: given `{ sessionResource }` it re-sends that session's last
 *  request (VS Code 1.139; without an argument it does nothing). */
export const CHAT_RETRY_COMMAND = 'workbench.action.chat.retry';
/** Largest file a reference may bring in whole (characters). */
const MAX_REFERENCE_CHARS = 200_000;

const COMMAND_ACTIONS: Record<string, BuiltInActionId> = {
  explain: 'explain',
  fix: 'fix',
  tests: 'writeTests',
  docs: 'addDocs',
};

export interface ParticipantDeps extends LmRequestDeps {
  newId(prefix: string): string;
  log: vscode.LogOutputChannel;
  /** The status bar tooltip's usage figures (Markdown). */
  costMarkdown(): Promise<string>;
  /** The API health at a glance (last request, today's error rate). */
  healthLines(): string[];
}

/** The code the chat points at: its references (a selection or a file), else the active editor's selection. */
async function codeInput(request: vscode.ChatRequest): Promise<ActionInput | undefined> {
  for (const ref of request.references) {
    const value = ref.value;
    const location = value instanceof vscode.Location ? value : undefined;
    const uri = location?.uri ?? (value instanceof vscode.Uri ? value : undefined);
    if (!uri) continue;
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = location?.range ?? new vscode.Range(0, 0, doc.lineCount, 0);
    const code = doc.getText(range);
    if (code.length > MAX_REFERENCE_CHARS) continue;
    return {
      code,
      languageId: doc.languageId,
      file: vscode.workspace.asRelativePath(uri),
      startLine: range.start.line + 1,
      endLine: Math.max(range.start.line + 1, Math.min(range.end.line + 1, doc.lineCount)),
      inputLabel: location ? 'selection' : 'file',
    };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const { document, selection } = editor;
  return {
    code: document.getText(selection),
    languageId: document.languageId,
    file: vscode.workspace.asRelativePath(document.uri),
    startLine: selection.start.line + 1,
    endLine: selection.end.line + 1,
    inputLabel: 'selection',
  };
}

/** Earlier turns with @tally, as chat messages (text only). */
function historyOf(context: vscode.ChatContext): ChatRequestMessage[] {
  const out: ChatRequestMessage[] = [];
  for (const turn of context.history) {
    if (turn instanceof vscode.ChatRequestTurn) out.push({ role: 'user', content: turn.prompt });
    else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response
        .map((p) => (p instanceof vscode.ChatResponseMarkdownPart ? p.value.value : ''))
        .join('');
      if (text) out.push({ role: 'assistant', content: text });
    }
  }
  return out;
}

/** Retry: the chat's own retry of this session's last request (a budget refusal gets none: the same request would be
 *  refused again). */
export function retryButton(request: vscode.ChatRequest): vscode.Command {
  const session = (request.toolInvocationToken as { sessionResource?: unknown } | undefined)?.sessionResource;
  return {
    command: CHAT_RETRY_COMMAND,
    title: l10n.t('Retry'),
    ...(session ? { arguments: [{ sessionResource: session }] } : {}),
  };
}

export function createParticipantHandler(deps: ParticipantDeps): vscode.ChatRequestHandler {
  return async (request, context, stream, token) => {
    if (request.command === 'cost') {
      stream.markdown(await deps.costMarkdown());
      return { metadata: { command: 'cost' } };
    }
    if (request.command === 'health') {
      const lines = deps.healthLines();
      stream.markdown(lines.length ? lines.map((l) => `- ${l}`).join('\n') : l10n.t('No request recorded yet.'));
      stream.button({ command: 'tally.showApiHealth', title: l10n.t('Show API Health') });
      return { metadata: { command: 'health' } };
    }
    const actionId = request.command ? COMMAND_ACTIONS[request.command] : undefined;
    const input = await codeInput(request);
    let prompt = request.prompt;
    let route: Parameters<typeof chooseModel>[3]['route'] = { task: 'chat' };
    if (actionId) {
      if (!input) {
        stream.markdown(
          l10n.t(
            'Select some code in the editor or attach a file (#file), then ask `/{0}` again.',
            request.command ?? '',
          ),
        );
        return { metadata: { command: request.command } };
      }
      const built = buildActionRequest(builtInAction(actionId), input);
      prompt = request.prompt.trim() ? `${built.prompt}\n\n${request.prompt}` : built.prompt;
      route = built.route;
    }
    const settings = deps.settings();
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const choice = await chooseModel(deps, settings, prompt, { route }, abort.signal);
      const alt = choice.route?.alternative;
      const saving = alt
        ? alt.savingUsd === undefined
          ? ` · ${l10n.t('price unknown against {0}', alt.model)}`
          : ` · ${l10n.t('saves ≈ {0} against {1}', formatReplyUsd(Math.max(0, alt.savingUsd)), alt.model)}`
        : '';
      stream.markdown(`*${choice.route?.reason ?? choice.modelId}${saving}*\n\n`);
      const messages: ChatRequestMessage[] = [
        ...(settings.systemPrompt ? [{ role: 'system' as const, content: settings.systemPrompt }] : []),
        ...historyOf(context),
        { role: 'user', content: prompt },
      ];
      await runLmRequest(deps, { requestId: deps.newId('at'), modelId: choice.modelId, messages }, abort.signal, {
        text: (t) => stream.markdown(t),
        toolCall: () => undefined,
      });
      return { metadata: { command: request.command ?? '', model: choice.modelId } };
    } catch (e) {
      const error = lmError(e);
      deps.log.warn(`@tally: ${error.kind}: ${error.message}`);
      stream.markdown(`\n\n**Tally:** ${error.message}`); // the message is translated; the brand is not
      if (error.kind === 'noApiKey' || error.kind === 'auth')
        stream.button({ command: 'tally.setApiKey', title: l10n.t('Set API Key') });
      if (error.kind === 'budget') stream.button({ command: 'tally.showUsage', title: l10n.t('Show Usage') });
      else if (!token.isCancellationRequested) stream.button(retryButton(request));
      stream.button({ command: 'tally.showLog', title: l10n.t('Show Log') });
      return { errorDetails: { message: error.message }, metadata: { command: request.command ?? '' } };
    } finally {
      sub.dispose();
    }
  };
}

export function registerParticipant(deps: ParticipantDeps): vscode.Disposable[] {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, createParticipantHandler(deps));
  participant.iconPath = new vscode.ThemeIcon('graph');
  participant.followupProvider = {
    provideFollowups: (result) => {
      const command = (result.metadata as { command?: string } | undefined)?.command;
      const followups: vscode.ChatFollowup[] = [
        { prompt: l10n.t('What did that cost?'), command: 'cost', label: l10n.t('Cost so far') },
      ];
      if (command === 'explain')
        followups.unshift({ prompt: '', command: 'tests', label: l10n.t('Write tests for it') });
      return followups;
    },
  };
  return [participant];
}
