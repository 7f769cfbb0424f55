// Replace Selection, step two: the replacement is shown as a diff (the live document on the left, a read-only virtual
// document with the replacement on the right, scheme `tally-proposed`) and applied only when the user accepts it,
// from the notification or the diff's title bar. It is applied as one WorkspaceEdit (one undo restores the text), and
// refused with a message when the document changed after the diff was shown (core/edits/replacement.ts). One
// replacement waits at a time: a new one discards the previous one.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { checkReplacement, proposedText, type ReplacementProposal } from '../core/edits/replacement';
import { registerCommand } from './commandRunner';

export const PREVIEW_SCHEME = 'tally-proposed';
const PENDING_CONTEXT = 'tally.replacementPending';

export type ReplacementOutcome = 'applied' | 'refused' | 'discarded' | 'failed' | 'none';

interface Pending {
  id: number;
  proposal: ReplacementProposal;
  uri: vscode.Uri;
  text: string;
}

export class ReplacementPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private pending: Pending | undefined;
  private next = 1;
  private provider: vscode.Disposable | undefined;
  private readonly commands: vscode.Disposable[];

  constructor(private readonly log: Logger) {
    this.commands = [
      registerCommand('tally.acceptReplacement', l10n.t('apply the replacement'), () => this.accept(), log),
      registerCommand('tally.discardReplacement', l10n.t('discard the replacement'), () => this.discard(), log),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pending && uri.toString() === this.pending.uri.toString() ? this.pending.text : '';
  }

  /** Whether a replacement is waiting for Accept or Discard. */
  get isPending(): boolean {
    return this.pending !== undefined;
  }

  /** Shows the diff of `proposal` against `document` and asks Accept / Discard (without waiting for the answer). */
  async show(proposal: ReplacementProposal, document: vscode.TextDocument): Promise<void> {
    if (this.pending) await this.discard();
    // Registered on first use: activation does not pay for it.
    this.provider ??= vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this);
    const id = this.next++;
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${id}/${path.posix.basename(proposal.name)}` });
    this.pending = { id, proposal, uri, text: proposedText(document.getText(), proposal) };
    await vscode.commands.executeCommand('setContext', PENDING_CONTEXT, true);
    const right = await vscode.workspace.openTextDocument(uri);
    if (right.languageId !== document.languageId)
      await vscode.languages.setTextDocumentLanguage(right, document.languageId);
    const title = l10n.t("{0} ↔ Tally's replacement", proposal.name);
    await vscode.commands.executeCommand('vscode.diff', document.uri, uri, title, { preview: true });
    this.log.info(`replacement shown as a diff for ${proposal.name} (version ${proposal.version})`);
    // The buttons are compared by their translated labels.
    const accept = l10n.t('Accept');
    const discard = l10n.t('Discard');
    void vscode.window
      .showInformationMessage(
        l10n.t('Replace the selection in {0} with the code block? The diff shows the change.', proposal.name),
        accept,
        discard,
      )
      .then((choice) => {
        if (this.pending?.id !== id) return; // answered from the diff's title bar, or replaced by a newer one
        if (choice === accept) void this.accept();
        else if (choice === discard) void this.discard();
      });
  }

  /** Applies the waiting replacement if its document did not change since the diff was shown. */
  async accept(): Promise<ReplacementOutcome> {
    const p = this.pending;
    if (!p) {
      void vscode.window.showInformationMessage(l10n.t('Tally: no replacement is waiting to be applied.'));
      return 'none';
    }
    await this.clear(p);
    const { proposal } = p;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === proposal.document);
    const range = doc && new vscode.Range(doc.positionAt(proposal.start), doc.positionAt(proposal.end));
    const verdict = checkReplacement(proposal, {
      document: doc?.uri.toString() ?? '',
      version: doc?.version ?? -1,
      closed: doc?.isClosed ?? true,
      textInRange: doc && range ? doc.getText(range) : '',
    });
    if (!verdict.ok || !doc || !range) {
      const reason = verdict.ok ? l10n.t('{0} is not open.', proposal.name) : verdict.reason;
      this.log.info(`replacement refused: ${reason}`);
      void vscode.window.showWarningMessage(`Tally: ${reason}`);
      return 'refused';
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, range, proposal.replacement);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(l10n.t('Tally could not edit {0}: nothing was replaced.', proposal.name));
      return 'failed';
    }
    const end = doc.positionAt(proposal.start + proposal.replacement.length);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, end), preview: false });
    this.log.info(`replacement applied to ${proposal.name}`);
    return 'applied';
  }

  /** Drops the waiting replacement and closes its diff; the document is untouched. */
  async discard(): Promise<ReplacementOutcome> {
    const p = this.pending;
    if (!p) return 'none';
    await this.clear(p);
    return 'discarded';
  }

  private async clear(p: Pending): Promise<void> {
    if (this.pending === p) this.pending = undefined;
    await vscode.commands.executeCommand('setContext', PENDING_CONTEXT, this.pending !== undefined);
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === p.uri.toString());
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    this.provider?.dispose();
    for (const d of this.commands) d.dispose();
  }
}
