// Which surface a request from VS Code's Chat came from, for the usage ledger (issue #16): Agent mode or the Chat view
// (Ask mode, another extension's request). VS Code 1.139 tells a provider nothing about the chat's mode: the options of
// provideLanguageModelChatResponse carry `tools`, `toolMode`, `modelOptions` (Copilot Chat puts only its own correlation
// and telemetry ids there), `modelConfiguration` and `requestInitiator` (the extension that asked: Copilot Chat for
// Ask and Agent alike). Ask mode offers tools too (about 19 read-only ones, against about 40 in Agent mode), so "tools
// offered ⇒ Agent" would count Ask as Agent. The signal used instead: a request is Agent mode when one of the tools
// offered can change the workspace (edit or create files, run a terminal, task, notebook cell or VS Code command) —
// the tools only Agent mode is given. The names are those VS Code's built-in chat gives the model (Copilot Chat 0.67's
// ToolName table); a tool of another name counts as read-only. A heuristic: if VS Code renames its tools, Agent
// requests are counted as the Chat view until this list follows.
import type { ToolDefinition } from '../api/chatClient';
import type { UsageSurface } from '../usage/surfaces';

/** Tools that change the workspace, by the name the model sees. */
export const WORKSPACE_CHANGING_TOOLS: ReadonlySet<string> = new Set([
  'apply_patch',
  'create_and_run_task',
  'create_directory',
  'create_file',
  'create_new_jupyter_notebook',
  'create_new_workspace',
  'edit_files',
  'edit_notebook_file',
  'insert_edit_into_file',
  'install_extension',
  'kill_terminal',
  'multi_replace_string_in_file',
  'replace_string_in_file',
  'run_in_terminal',
  'run_notebook_cell',
  'run_task',
  'run_vscode_command',
  'send_to_terminal',
]);

/** `agent` when a tool offered can change the workspace, else `chatView`. */
export function surfaceOfTools(
  tools: readonly Pick<ToolDefinition, 'name'>[] | undefined,
): Extract<UsageSurface, 'chatView' | 'agent'> {
  return tools?.some((t) => WORKSPACE_CHANGING_TOOLS.has(t.name)) ? 'agent' : 'chatView';
}
