// What a request is for, as the router sees it (issue #13). The code actions name their task; chat typed in the panel
// is `chat`. The article's own task kinds (classification … analysis) are kept for custom actions (`tally.actions`).

/** The built-in code actions' tasks, plus `chat` for the panel and `fix` for Fix This Problem. */
export const CODE_TASKS = [
  'explain',
  'refactor',
  'findBugs',
  'writeTests',
  'addDocs',
  'optimise',
  'translate',
  'fix',
  'chat',
] as const;

/** The article's task kinds: cheap work (classification, extraction, translation) and strong work (reasoning,
 *  creative, analysis), with summarisation, Q&A and code in between. */
export const ARTICLE_TASKS = [
  'classification',
  'extraction',
  'translation',
  'summarization',
  'qa',
  'code',
  'reasoning',
  'creative',
  'analysis',
] as const;

export type CodeTask = (typeof CODE_TASKS)[number];
export type ArticleTask = (typeof ARTICLE_TASKS)[number];
export type TaskType = CodeTask | ArticleTask;

export const TASK_TYPES: readonly TaskType[] = [...CODE_TASKS, ...ARTICLE_TASKS];

export function isTaskType(value: unknown): value is TaskType {
  return typeof value === 'string' && (TASK_TYPES as readonly string[]).includes(value);
}

export type Complexity = 'simple' | 'medium' | 'complex';

/** What the router measures of a request's input (all optional but `promptTokens`; absent counts as nothing). */
export interface RouteSignals {
  /** Tokens of the prompt the action builds (exact, in the candidate model's encoding). */
  promptTokens: number;
  /** Lines of code in the input. */
  lines?: number;
  /** The code itself, for nesting and branching (a bounded scan, linear in its length). */
  code?: string;
  /** Files the request draws on. */
  files?: number;
  /** Diagnostics sent with it (Fix This Problem). */
  diagnostics?: number;
  /** Nesting depth and branch count measured before (a retry re-routes from the stored decision, which keeps the
   *  measures, never the code); used instead of scanning `code`. */
  nesting?: number;
  branches?: number;
}

/** Asks the router to pick the model for one request. */
export interface RouteRequest extends RouteSignals {
  task: TaskType;
  /** A label for the reason line, e.g. "Explain" or a custom action's title. */
  label?: string;
}
