// Wires the model picker (modelPicker.ts) into the panel and the palette: `Tally: Choose Model`, the panel's
// `models/list` / `model/choose` messages answered with `models/listed`, and a change told to the panel at once
// (header, picker, estimate).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerCommand } from './commandRunner';
import type { PanelModels } from './messageRouter';
import type { ModelPicker } from './modelPicker';
import type { HostToWebview } from '../shared/protocol';

export interface ModelPanelDeps {
  post(msg: HostToWebview): void;
  /** The model changed: the panel's config (header) is sent again. */
  changed(): void;
}

/** The panel's side of the picker and the `tally.chooseModel` command. */
export function connectModelPicker(
  picker: ModelPicker,
  panel: ModelPanelDeps,
  log: vscode.LogOutputChannel,
): { panelModels: PanelModels; disposables: vscode.Disposable[] } {
  const list = async (refresh: boolean) => {
    const options = await picker.options(refresh);
    panel.post({
      type: 'models/listed',
      selected: picker.model,
      options: options.map(({ id, label, detail }) => ({ id, label, detail })),
    });
  };
  const panelModels: PanelModels = {
    list,
    choose: async (id) => {
      // A refused id still gets an answer, so the panel's select returns to the model in use.
      if (!(await picker.choose(id))) await list(false);
    },
  };
  return {
    panelModels,
    disposables: [
      picker,
      picker.onDidChange(() => {
        panel.changed();
        void list(false);
      }),
      registerCommand('tally.chooseModel', l10n.t('choose a model'), () => picker.pick(), log),
    ],
  };
}
