// Typed reads of Tally's configuration: the one place that knows the setting names.
import * as vscode from 'vscode';

export interface TallySettings {
  baseUrl: string;
  model: string;
  systemPrompt: string;
}

const SECTION = 'tally';

export function readSettings(): TallySettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    baseUrl: c.get<string>('baseUrl', '').trim(),
    model: c.get<string>('model', 'gpt-4o-mini').trim() || 'gpt-4o-mini',
    systemPrompt: c.get<string>('systemPrompt', ''),
  };
}

/** Calls `listener` whenever a `tally.*` setting changes. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
