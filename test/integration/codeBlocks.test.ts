// Code blocks act on the editor (issue #13 item 4), in the real extension host: the panel's buttons are driven as
// the webview's messages would drive them (validated like real ones), with the chat view holding the focus.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TallyTestApi } from '../../src/host/testApi';
import { PREVIEW_SCHEME } from '../../src/host/replacementPreview';
import { tallyApi, waitFor } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-code-blocks-'));
let files = 0;

/** A file with `text` (on disk, so reverting it on close asks nothing), shown in an editor. */
async function openDoc(text: string, ext = 'ts'): Promise<vscode.TextEditor> {
  const file = path.join(dir, `doc${++files}.${ext}`);
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Closes every editor without saving anything (documents are reverted, so no dialog asks). */
async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 30 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

function diffTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PREVIEW_SCHEME);
}

/** Gives the focus to the chat view, as when one of its buttons is clicked. */
async function focusPanel(api: TallyTestApi): Promise<void> {
  await vscode.commands.executeCommand('tally.chatView.focus');
  await api.whenViewReady();
}

async function undo(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preview: false });
  await vscode.commands.executeCommand('undo');
}

describe('code blocks act on the editor', () => {
  let api: TallyTestApi;
  before(async () => {
    api = await tallyApi();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('tally.discardReplacement');
    await closeAllEditors();
  });

  it('Insert at Cursor inserts at the cursor as one edit, indented like the line; one undo restores the text', async () => {
    const before = 'function f() {\n  \n}\n';
    const editor = await openDoc(before);
    editor.selection = new vscode.Selection(1, 2, 1, 2);
    const version = editor.document.version;
    await focusPanel(api);
    await api.receive({ type: 'code/action', action: 'insert', code: 'if (x) {\n  return 1;\n}\n', language: 'ts' });
    assert.equal(editor.document.getText(), 'function f() {\n  if (x) {\n    return 1;\n  }\n}\n');
    assert.equal(editor.document.version, version + 1, 'one edit');
    await undo(editor);
    assert.equal(editor.document.getText(), before);
  });

  it('Replace Selection shows a diff and changes nothing until accepted; then one edit, and one undo restores', async () => {
    const before = 'const a = 1;\nconst b = old();\nconst c = 3;\n';
    const editor = await openDoc(before);
    editor.selection = new vscode.Selection(1, 10, 1, 15);
    assert.equal(editor.document.getText(editor.selection), 'old()');
    await focusPanel(api);
    await api.receive({ type: 'code/action', action: 'replace', code: 'fresh(2)\n', language: 'typescript' });
    assert.ok(api.codeBlocks.preview.isPending, 'a replacement waits for Accept or Discard');
    const [tab] = await waitFor('the diff', () => (diffTabs().length === 1 ? diffTabs() : undefined));
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), editor.document.uri.toString());
    const right = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(right.getText(), 'const a = 1;\nconst b = fresh(2);\nconst c = 3;\n');
    assert.equal(editor.document.getText(), before, 'nothing changes before Accept');

    const outcome = await vscode.commands.executeCommand('tally.acceptReplacement');
    assert.equal(outcome, 'applied');
    assert.equal(editor.document.getText(), 'const a = 1;\nconst b = fresh(2);\nconst c = 3;\n');
    assert.equal(api.codeBlocks.preview.isPending, false);
    await waitFor('the diff to close', () => diffTabs().length === 0);
    await undo(editor);
    assert.equal(editor.document.getText(), before, 'one undo restores the text');
  });

  it('Replace Selection is refused when the document changed after the diff was shown', async () => {
    const before = 'let total = sum(items);\n';
    const editor = await openDoc(before);
    editor.selection = new vscode.Selection(0, 12, 0, 22);
    await focusPanel(api);
    await api.receive({ type: 'code/action', action: 'replace', code: 'items.reduce(add, 0)', language: 'ts' });
    assert.ok(api.codeBlocks.preview.isPending);
    // Someone edits the document while the diff is open.
    const typed = new vscode.WorkspaceEdit();
    typed.insert(editor.document.uri, new vscode.Position(0, 0), '// edited\n');
    assert.ok(await vscode.workspace.applyEdit(typed));
    const outcome = await vscode.commands.executeCommand('tally.acceptReplacement');
    assert.equal(outcome, 'refused');
    assert.equal(editor.document.getText(), `// edited\n${before}`, 'the replacement was not applied');
    assert.equal(api.codeBlocks.preview.isPending, false);
  });

  it('Discard leaves the document as it was and closes the diff', async () => {
    const before = 'x = 1\n';
    const editor = await openDoc(before, 'py');
    editor.selection = new vscode.Selection(0, 0, 0, 5);
    await api.receive({ type: 'code/action', action: 'replace', code: 'x = 2\n', language: 'py' });
    await waitFor('the diff', () => diffTabs().length === 1);
    assert.equal(await vscode.commands.executeCommand('tally.discardReplacement'), 'discarded');
    await waitFor('the diff to close', () => diffTabs().length === 0);
    assert.equal(editor.document.getText(), before);
  });

  it('no editor, or nothing selected to replace: a message, and no document is touched', async () => {
    await closeAllEditors();
    assert.equal(await api.codeBlocks.run('insert', 'a\n', 'ts'), 'noEditor');
    assert.equal(await api.codeBlocks.run('replace', 'a\n', 'ts'), 'noEditor');
    const editor = await openDoc('unchanged\n');
    editor.selection = new vscode.Selection(0, 3, 0, 3);
    assert.equal(await api.codeBlocks.run('replace', 'other\n', 'ts'), 'noSelection');
    assert.equal(editor.document.getText(), 'unchanged\n');
    assert.equal(api.codeBlocks.preview.isPending, false);
  });

  it('Save as New File opens an untitled document in the block language, written nowhere', async () => {
    await api.receive({ type: 'code/action', action: 'newFile', code: 'print("hi")\n', language: 'py' });
    const doc = await waitFor('the new document', () => vscode.window.activeTextEditor?.document);
    assert.equal(doc.isUntitled, true);
    assert.equal(doc.languageId, 'python');
    assert.equal(doc.getText(), 'print("hi")\n');
  });

  it('a message with a language that is not a plain identifier is ignored', async () => {
    const editor = await openDoc('keep\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await api.receive({ type: 'code/action', action: 'insert', code: 'x', language: '../../x' });
    assert.equal(editor.document.getText(), 'keep\n');
  });
});
