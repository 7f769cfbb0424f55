// The built-in code actions (issue #13): what each is called, the command that runs it, the task the router sees,
// and its prompt template. Every template puts the instruction first and the code last, so when the input has to be
// cut to fit the context window it is the end of the code that goes, never the question.
// Titles are shown to the user, so each is a getter through l10n.t (read when shown, after the bundle is loaded, never
// frozen at module load). The prompt templates are NOT translated: the model reads them, and their English wording
// is what the tests and the router's measurements were tuned on (issue #15).
import * as l10n from '@vscode/l10n';
import type { TaskType } from '../routing/taskTypes';

export type BuiltInActionId =
  'explain' | 'refactor' | 'findBugs' | 'writeTests' | 'addDocs' | 'optimise' | 'translate' | 'fix';

export interface BuiltInAction {
  id: BuiltInActionId;
  /** Shown in messages, quick picks and the router's reason line (menus take theirs from package.json). */
  readonly title: string;
  /** The command that runs it (package.json contributes each). */
  command: string;
  task: TaskType;
  /** Uses the placeholders of template.ts; Translate also uses `{{targetLanguage}}`. */
  template: string;
  /** Offered as a refactor code action on a selection (Fix This Problem is a quick fix instead). */
  refactorCodeAction: boolean;
}

/** Where the code comes from, said the same way in every built-in prompt. */
const FROM = 'from `{{file}}` ({{language}}, {{range}})';

export const BUILT_IN_ACTIONS: readonly BuiltInAction[] = [
  {
    id: 'explain',
    get title() {
      return l10n.t('Explain');
    },
    // Kept from "Explain Selection", whose id, README entry and tests stay.
    command: 'tally.explainSelection',
    task: 'explain',
    // The wording of the old explainPrompt (its tests match it); the language is the fence's info string.
    template:
      'Explain this code from `{{file}}` ({{range}}). Say what it does, how, and anything surprising.\n\n{{selection}}',
    refactorCodeAction: false,
  },
  {
    id: 'refactor',
    get title() {
      return l10n.t('Refactor');
    },
    command: 'tally.refactor',
    task: 'refactor',
    template:
      `Refactor this code ${FROM} for readability and structure without changing its behaviour. ` +
      'Give the refactored code in one block, then list the changes briefly.\n\n{{selection}}',
    refactorCodeAction: true,
  },
  {
    id: 'findBugs',
    get title() {
      return l10n.t('Find Bugs');
    },
    command: 'tally.findBugs',
    task: 'findBugs',
    template:
      `Find bugs in this code ${FROM}: wrong results, unhandled cases, races, leaks, security problems. ` +
      'For each, give the line, why it is wrong and a fix. Say so if you find none.\n\n{{selection}}',
    refactorCodeAction: true,
  },
  {
    id: 'writeTests',
    get title() {
      return l10n.t('Write Tests');
    },
    command: 'tally.writeTests',
    task: 'writeTests',
    template:
      `Write unit tests for this code ${FROM}, in the test framework its project most likely uses. ` +
      'Cover normal cases, edge cases and errors; each test should be able to fail.\n\n{{selection}}',
    refactorCodeAction: true,
  },
  {
    id: 'addDocs',
    get title() {
      return l10n.t('Add Docs/Comments');
    },
    command: 'tally.addDocs',
    task: 'addDocs',
    template:
      `Add documentation comments and brief explanatory comments to this code ${FROM}, in the language's usual ` +
      'doc-comment style. Do not change the code itself. Give the whole commented code in one block.\n\n{{selection}}',
    refactorCodeAction: true,
  },
  {
    id: 'optimise',
    get title() {
      return l10n.t('Optimise');
    },
    command: 'tally.optimise',
    task: 'optimise',
    template:
      `Optimise this code ${FROM} for speed and memory without changing its behaviour. Say what costs the most ` +
      'now, give the optimised code in one block, and what each change saves.\n\n{{selection}}',
    refactorCodeAction: true,
  },
  {
    id: 'translate',
    get title() {
      return l10n.t('Translate');
    },
    command: 'tally.translate',
    task: 'translate',
    template:
      `Translate the comments and user-facing strings in this code ${FROM} into {{targetLanguage}}. ` +
      'Keep identifiers, code and formatting unchanged. Give the whole code in one block.\n\n{{selection}}',
    refactorCodeAction: true,
  },
  {
    id: 'fix',
    get title() {
      return l10n.t('Fix This Problem');
    },
    command: 'tally.fixProblem',
    task: 'fix',
    template:
      `Fix the problem reported in this code ${FROM}. Explain the cause in a sentence or two, then give the ` +
      'corrected code in one block.\n\nProblems:\n{{diagnostics}}\n\nCode:\n\n{{selection}}',
    refactorCodeAction: false,
  },
];

/** The languages Translate offers (the quick pick asks which way). */
export const TRANSLATE_TARGETS = ['English', 'Chinese (Simplified, 简体中文)'] as const;

export function builtInAction(id: BuiltInActionId): BuiltInAction {
  const action = BUILT_IN_ACTIONS.find((a) => a.id === id);
  if (!action) throw new Error(`no built-in action ${id}`);
  return action;
}
