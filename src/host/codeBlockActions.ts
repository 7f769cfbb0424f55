// What a code block's buttons in the panel do with the editor: Insert at Cursor (one edit at the cursor of the editor
// the user was in: the panel has the focus when the button is clicked), Replace Selection (a diff first, then Accept
// or Discard: replacementPreview.ts) and Save as New File (an untitled document in the block's language; nothing is
// written to disk unasked). With no editor, or no selection to replace, a message says what to do and offers what
// still works; the block stays in the panel either way, so nothing is lost.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fitCode } from '../core/edits/codeFit';
import { editorLanguageFor } from '../core/edits/editorLanguage';
import type { Logger } from '../core/ports';
import type { CodeBlockAction } from '../shared/protocol';
import { PREVIEW_SCHEME, ReplacementPreview } from './replacementPreview';

export type CodeBlockOutcome = 'inserted' | 'previewed' | 'opened' | 'same' | 'noEditor' | 'noSelection' | 'failed';

/** Editors a block can go into: not our own diff's right side, not an output channel. */
const usable = (e: vscode.TextEditor | undefined): e is vscode.TextEditor =>
  e !== undefined && e.document.uri.scheme !== PREVIEW_SCHEME && e.document.uri.scheme !== 'output';

export class CodeBlockActions implements vscode.Disposable {
  readonly preview: ReplacementPreview;
  private lastEditor: vscode.TextEditor | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: Logger) {
    this.preview = new ReplacementPreview(log);
    if (usable(vscode.window.activeTextEditor)) this.lastEditor = vscode.window.activeTextEditor;
    this.subscription = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (usable(e)) this.lastEditor = e;
    });
  }

  run(action: CodeBlockAction, code: string, language: string): Promise<CodeBlockOutcome> {
    if (action === 'insert') return this.insert(code, language);
    if (action === 'replace') return this.replace(code, language);
    return this.newFile(code, language);
  }

  /** The editor to act on: the active one, else the last active one if it is still visible. */
  private target(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (usable(active)) return active;
    const last = this.lastEditor;
    if (!last || last.document.isClosed) return undefined;
    return vscode.window.visibleTextEditors.find((e) => e.document === last.document);
  }

  private async insert(code: string, language: string): Promise<CodeBlockOutcome> {
    const editor = this.target();
    if (!editor)
      return this.noEditor(
        l10n.t(
          'Tally: no editor is open to insert the code block. Open a file and place the cursor, then click the button again.',
        ),
        code,
        language,
      );
    const { document } = editor;
    const at = editor.selection.active;
    const line = document.lineAt(at.line).text;
    const text = fitCode(code, { before: line.slice(0, at.character), replaced: '', after: line.slice(at.character) });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, at, text);
    if (!(await vscode.workspace.applyEdit(edit))) return this.failed(document);
    await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preview: false });
    this.log.info(`code block inserted into ${nameOf(document)}`);
    return 'inserted';
  }

  private async replace(code: string, language: string): Promise<CodeBlockOutcome> {
    const editor = this.target();
    if (!editor)
      return this.noEditor(
        l10n.t(
          'Tally: no editor is open to replace a selection with the code block. Open a file and place the cursor, then click the button again.',
        ),
        code,
        language,
      );
    const { document, selection } = editor;
    if (selection.isEmpty) {
      const insert = l10n.t('Insert at Cursor');
      void vscode.window
        .showWarningMessage(
          l10n.t(
            'Tally: nothing is selected in {0}. Select the code to replace, then click Replace Selection again.',
            nameOf(document),
          ),
          insert,
        )
        .then((choice) => (choice === insert ? this.insert(code, language) : undefined));
      return 'noSelection';
    }
    const original = document.getText(selection);
    const replacement = fitCode(code, {
      before: document.lineAt(selection.start.line).text.slice(0, selection.start.character),
      replaced: original,
      after: document.lineAt(selection.end.line).text.slice(selection.end.character),
    });
    if (replacement === original) {
      void vscode.window.showInformationMessage(l10n.t('Tally: the code block is the same as the selection.'));
      return 'same';
    }
    const proposal = {
      document: document.uri.toString(),
      name: nameOf(document),
      version: document.version,
      start: document.offsetAt(selection.start),
      end: document.offsetAt(selection.end),
      original,
      replacement,
    };
    await this.preview.show(proposal, document);
    return 'previewed';
  }

  private async newFile(code: string, language: string): Promise<CodeBlockOutcome> {
    const known = new Set(await vscode.languages.getLanguages());
    const document = await vscode.workspace.openTextDocument({
      language: editorLanguageFor(language, known),
      content: code,
    });
    await vscode.window.showTextDocument(document, { preview: false });
    this.log.info(`code block opened as a new ${document.languageId} file`);
    return 'opened';
  }

  /** `message` says what could not be done; the buttons offer what still works (compared by their translated label). */
  private noEditor(message: string, code: string, language: string): CodeBlockOutcome {
    const saveAsNew = l10n.t('Save as New File');
    const copy = l10n.t('Copy');
    void vscode.window.showWarningMessage(message, saveAsNew, copy).then(async (choice) => {
      if (choice === saveAsNew) await this.newFile(code, language);
      else if (choice === copy) await vscode.env.clipboard.writeText(code);
    });
    return 'noEditor';
  }

  private failed(document: vscode.TextDocument): CodeBlockOutcome {
    void vscode.window.showErrorMessage(l10n.t('Tally could not edit {0} (is it read-only?).', nameOf(document)));
    return 'failed';
  }

  dispose(): void {
    this.subscription.dispose();
    this.preview.dispose();
  }
}

function nameOf(document: vscode.TextDocument): string {
  return path.basename(document.uri.path) || document.uri.toString();
}
