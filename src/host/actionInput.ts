// Gathers what a code action works on (issue #13): the selection; with none, the innermost function or block around
// the cursor (the language's document symbols), else the whole file if it is small and the user says so. Refuses
// bad input with a message: no editor, an empty or binary document, input over the size bound. Fix This Problem's
// input is the errors and warnings under the cursor with the lines around them.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ActionInput } from '../core/actions/actionRequest';
import { isFixable, linesAround, type DiagnosticInfo, type DiagnosticSeverityName } from '../core/actions/diagnostics';
import { enclosingSymbol, type SymbolNode } from '../core/actions/enclosingSymbol';
import {
  BINARY_PROBE_CHARS,
  MAX_ACTION_INPUT_CHARS,
  refusalFor,
  WHOLE_FILE_MAX_LINES,
} from '../core/actions/inputChecks';
import { formatBytes } from '../core/actions/sizes';

/** Where an action runs: a document and the range picked in it (empty: just the cursor). */
export interface ActionPlace {
  document: vscode.TextDocument;
  range: vscode.Range;
}

/** The active editor's document and selection, or undefined after saying that an editor is needed. */
export function activePlace(title: string): ActionPlace | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(
      l10n.t('Tally: open a file and put the cursor in some code, then run {0}.', title),
    );
    return undefined;
  }
  return { document: editor.document, range: editor.selection };
}

const warn = (message: string) => void vscode.window.showWarningMessage(message);

function describe(document: vscode.TextDocument): { file: string; head: string; documentChars: number } {
  const text = document.getText();
  return {
    file: vscode.workspace.asRelativePath(document.uri),
    head: text.slice(0, BINARY_PROBE_CHARS),
    documentChars: text.length,
  };
}

/** Refuses an empty or binary document before anything else is looked at (the input itself is checked later). */
function documentRefusal(document: vscode.TextDocument): string | undefined {
  const d = describe(document);
  return refusalFor({ ...d, input: 'x', inputLabel: l10n.t('file') });
}

/** The 1-based lines of `range`; a range ending at column 0 of a later line does not count that line. */
function lines(range: vscode.Range): { startLine: number; endLine: number } {
  const end = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return { startLine: range.start.line + 1, endLine: end + 1 };
}

function toNodes(symbols: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): SymbolNode[] {
  return symbols.map((s) => {
    const range = 'location' in s ? s.location.range : s.range;
    const children = 'children' in s ? toNodes(s.children) : undefined;
    return {
      name: s.name,
      kind: vscode.SymbolKind[s.kind],
      start: { line: range.start.line, character: range.start.character },
      end: { line: range.end.line, character: range.end.character },
      ...(children && children.length > 0 ? { children } : {}),
    };
  });
}

async function symbolRange(place: ActionPlace): Promise<{ range: vscode.Range; label: string } | undefined> {
  const symbols = await vscode.commands.executeCommand<
    (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined
  >('vscode.executeDocumentSymbolProvider', place.document.uri);
  const found = enclosingSymbol(toNodes(symbols ?? []), place.range.start);
  if (!found) return undefined;
  const range = new vscode.Range(found.start.line, found.start.character, found.end.line, found.end.character);
  return { range, label: symbolLabel(found.kind, found.name) };
}

/** "function add": how messages and the truncation notice name the block, in the display language. */
function symbolLabel(kind: string, name: string): string {
  switch (kind) {
    case 'Function':
      return l10n.t('function {0}', name);
    case 'Method':
      return l10n.t('method {0}', name);
    case 'Constructor':
      return l10n.t('constructor {0}', name);
    case 'Class':
      return l10n.t('class {0}', name);
    case 'Interface':
      return l10n.t('interface {0}', name);
    case 'Enum':
      return l10n.t('enum {0}', name);
    case 'Struct':
      return l10n.t('struct {0}', name);
    case 'Module':
      return l10n.t('module {0}', name);
    case 'Namespace':
      return l10n.t('namespace {0}', name);
    case 'Object':
      return l10n.t('object {0}', name);
    case 'Variable':
      return l10n.t('variable {0}', name);
    case 'Constant':
      return l10n.t('constant {0}', name);
    case 'Property':
      return l10n.t('property {0}', name);
    default:
      return `${kind.toLowerCase()} ${name}`;
  }
}

/** With nothing selected and no block around the cursor: offer the whole file if it is small, else say why not. */
async function askWholeFile(
  place: ActionPlace,
  title: string,
): Promise<{ range: vscode.Range; label: string } | undefined> {
  const { document } = place;
  const chars = document.getText().length;
  if (document.lineCount > WHOLE_FILE_MAX_LINES || chars > MAX_ACTION_INPUT_CHARS) {
    warn(
      l10n.t(
        'Tally: nothing is selected and the cursor is not inside a function or block. Select the code for {0} (the whole file is offered up to {1} lines; this one has {2}, {3}).',
        title,
        WHOLE_FILE_MAX_LINES,
        document.lineCount,
        formatBytes(chars),
      ),
    );
    return undefined;
  }
  const lineCount = document.lineCount;
  const whole = {
    label: lineCount === 1 ? l10n.t('Whole file (1 line)') : l10n.t('Whole file ({0} lines)', lineCount),
    whole: true,
  };
  const pick = await vscode.window.showQuickPick([whole, { label: l10n.t('Cancel'), whole: false }], {
    title: `Tally: ${title}`,
    placeHolder: l10n.t('Nothing is selected and the cursor is not inside a function or block. Send the whole file?'),
  });
  if (!pick?.whole) return undefined;
  const end = document.lineAt(document.lineCount - 1).range.end;
  return { range: new vscode.Range(0, 0, end.line, end.character), label: l10n.t('file') };
}

function inputFrom(place: ActionPlace, range: vscode.Range, inputLabel: string): ActionInput | undefined {
  const { document } = place;
  const code = document.getText(range);
  const refusal = refusalFor({ ...describe(document), input: code, inputLabel });
  if (refusal) {
    warn(refusal);
    return undefined;
  }
  return {
    code,
    languageId: document.languageId,
    file: vscode.workspace.asRelativePath(document.uri),
    ...lines(range),
    inputLabel,
  };
}

/** The code an action works on, or undefined after a message (or the user's cancel). Nothing is sent here. */
export async function codeInput(place: ActionPlace, title: string): Promise<ActionInput | undefined> {
  const refusal = documentRefusal(place.document);
  if (refusal) return void warn(refusal);
  if (!place.range.isEmpty) return inputFrom(place, place.range, l10n.t('selection'));
  const picked = (await symbolRange(place)) ?? (await askWholeFile(place, title));
  return picked && inputFrom(place, picked.range, picked.label);
}

const SEVERITY: Record<vscode.DiagnosticSeverity, DiagnosticSeverityName> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function diagnosticInfo(d: vscode.Diagnostic): DiagnosticInfo {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return {
    message: d.message,
    severity: SEVERITY[d.severity],
    ...(d.source ? { source: d.source } : {}),
    ...(code !== undefined ? { code: String(code) } : {}),
    startLine: d.range.start.line + 1,
    startColumn: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
  };
}

/** The errors and warnings under the cursor (or touching the selection), in the order VS Code lists them. */
export function fixableDiagnostics(place: ActionPlace): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(place.document.uri)
    .filter((d) => isFixable({ severity: SEVERITY[d.severity] }) && d.range.intersection(place.range) !== undefined);
}

/** Fix This Problem's input: the problems under the cursor and the code around them. */
export function problemInput(place: ActionPlace): ActionInput | undefined {
  const refusal = documentRefusal(place.document);
  if (refusal) return void warn(refusal);
  const found = fixableDiagnostics(place);
  if (found.length === 0) {
    void vscode.window.showInformationMessage(
      l10n.t(
        'Tally: there is no error or warning under the cursor. Put the cursor on a squiggle (or use its lightbulb) and run Fix This Problem again.',
      ),
    );
    return undefined;
  }
  const diagnostics = found.map(diagnosticInfo);
  const span = linesAround(diagnostics, place.document.lineCount);
  const range = new vscode.Range(
    span.startLine - 1,
    0,
    span.endLine - 1,
    place.document.lineAt(span.endLine - 1).text.length,
  );
  const input = inputFrom(place, range, l10n.t('code around the problem'));
  return input && { ...input, diagnostics };
}
