// Replace Selection, step two: the replacement is shown as a diff (the live document on the left, a read-only virtual
// document with the replacement on the right, scheme `tally-proposed`) and applied only when the user accepts it,
// from the notification or the diff's title bar. It is applied as one WorkspaceEdit (one undo restores the text), and
// refused with a message when the document changed after the diff was shown (core/edits/replacement.ts). One
// replacement waits at a time: a new one discards the previous one.
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
      registerCommand('tally.acceptReplacement', 'apply the replacement', () => this.accept(), log),
      registerCommand('tally.discardReplacement', 'discard the replacement', () => this.discard(), log),
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
    await vscode.commands.executeCommand('vscode.diff', document.uri, uri, `${proposal.name} ↔ Tally's replacement`, {
      preview: true,
    });
    this.log.info(`replacement shown as a diff for ${proposal.name} (version ${proposal.version})`);
    void vscode.window
      .showInformationMessage(
        `Replace the selection in ${proposal.name} with the code block? The diff shows the change.`,
        'Accept',
        'Discard',
      )
      .then((choice) => {
        if (this.pending?.id !== id) return; // answered from the diff's title bar, or replaced by a newer one
        if (choice === 'Accept') void this.accept();
        else if (choice === 'Discard') void this.discard();
      });
  }

  /** Applies the waiting replacement if its document did not change since the diff was shown. */
  async accept(): Promise<ReplacementOutcome> {
    const p = this.pending;
    if (!p) {
      void vscode.window.showInformationMessage('Tally: no replacement is waiting to be applied.');
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
      const reason = verdict.ok ? `${proposal.name} is not open.` : verdict.reason;
      this.log.info(`replacement refused: ${reason}`);
      void vscode.window.showWarningMessage(`Tally: ${reason}`);
      return 'refused';
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, range, proposal.replacement);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Tally could not edit ${proposal.name}: nothing was replaced.`);
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
