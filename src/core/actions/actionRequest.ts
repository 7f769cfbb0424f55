// One code action's request (issue #13): the prompt rendered from the action's template and the code it works on,
// the label a truncation notice uses, and what the router is told about it. Every prompt names the file, the
// language and the line range: a template that leaves them out gets a line saying them, and one that leaves out
// the code gets the code appended.
import type { RouteRequest, TaskType } from '../routing/taskTypes';
import { formatDiagnostics, type DiagnosticInfo } from './diagnostics';
import { fenced, lineRange, placeholdersIn, renderTemplate } from './template';

/** What any action needs to be run: built-in (catalog.ts) or custom (customActions.ts). */
export interface ActionSpec {
  title: string;
  task: TaskType;
  template: string;
}

/** The code an action works on and where it comes from. Lines are 1-based, inclusive. */
export interface ActionInput {
  code: string;
  languageId: string;
  /** Workspace-relative path (or the untitled name). */
  file: string;
  startLine: number;
  endLine: number;
  /** "selection", "function add", "file": how the truncation notice names the input. */
  inputLabel: string;
  diagnostics?: readonly DiagnosticInfo[];
  /** Translate only: the language to translate into. */
  targetLanguage?: string;
}

export interface ActionRequest {
  prompt: string;
  inputLabel: string;
  route: Omit<RouteRequest, 'promptTokens'>;
}

/** The template with what it lacks of file/language/range and code added around it (still a template). */
export function completeTemplate(template: string): string {
  const used = new Set(placeholdersIn(template));
  const header = used.has('file') && used.has('range') ? '' : 'From `{{file}}` ({{language}}, {{range}}):\n\n';
  const tail = used.has('selection') ? '' : '\n\n{{selection}}';
  return `${header}${template}${tail}`;
}

export function buildActionRequest(spec: ActionSpec, input: ActionInput): ActionRequest {
  const diagnostics = input.diagnostics ?? [];
  const values: Record<string, string> = {
    selection: fenced(input.code, input.languageId),
    language: input.languageId,
    file: input.file,
    range: lineRange(input.startLine, input.endLine),
    diagnostics: formatDiagnostics(diagnostics),
  };
  if (input.targetLanguage !== undefined) values.targetLanguage = input.targetLanguage;
  return {
    prompt: renderTemplate(completeTemplate(spec.template), values),
    inputLabel: input.inputLabel,
    route: {
      task: spec.task,
      label: spec.title,
      lines: input.endLine - input.startLine + 1,
      code: input.code,
      files: 1,
      ...(diagnostics.length > 0 ? { diagnostics: diagnostics.length } : {}),
    },
  };
}
