// Custom actions from `tally.actions` (issue #13): an array of { title, prompt, task? }. Each entry is checked once
// per settings change; a valid one joins the menus beside the built-ins, an invalid one is kept with what is wrong
// with it, so that picking it says why instead of silently doing nothing.
import * as l10n from '@vscode/l10n';
import { isTaskType, TASK_TYPES, type TaskType } from '../routing/taskTypes';
import { PLACEHOLDERS, placeholdersIn } from './template';

export const MAX_CUSTOM_ACTIONS = 50;
export const MAX_TITLE_CHARS = 80;
export const MAX_PROMPT_CHARS = 10_000;
/** The task of a custom action that names none. */
export const DEFAULT_CUSTOM_TASK: TaskType = 'code';

export interface CustomAction {
  title: string;
  prompt: string;
  task: TaskType;
}

export interface InvalidCustomAction {
  /** Position in `tally.actions` (0-based). */
  index: number;
  /** The title if it had a usable one, else "action N". */
  title: string;
  problems: string[];
}

export interface CustomActions {
  valid: CustomAction[];
  invalid: InvalidCustomAction[];
  /** One line per problem, for the log ("tally.actions[2]: …"). */
  problems: string[];
}

const EMPTY: CustomActions = { valid: [], invalid: [], problems: [] };

function checkOne(item: unknown, seen: Set<string>): { action?: CustomAction; title?: string; problems: string[] } {
  // Each problem is shown to the user (the quick pick's "invalid: …" and the warning), so each is translated.
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return { problems: [l10n.t('expected an object with "title" and "prompt"')] };
  const { title, prompt, task } = item as Record<string, unknown>;
  const problems: string[] = [];
  const name = typeof title === 'string' ? title.trim() : '';
  let titleUsable = false;
  if (typeof title !== 'string' || name === '') problems.push(l10n.t('"title" is missing or empty'));
  else if (name.length > MAX_TITLE_CHARS)
    problems.push(l10n.t('"title" is {0} characters long; at most {1}', name.length, MAX_TITLE_CHARS));
  else {
    titleUsable = true;
    if (seen.has(name.toLowerCase())) problems.push(l10n.t('another action is already titled "{0}"', name));
  }
  if (typeof prompt !== 'string' || prompt.trim() === '') problems.push(l10n.t('"prompt" is missing or empty'));
  else {
    if (prompt.length > MAX_PROMPT_CHARS)
      problems.push(l10n.t('"prompt" is {0} characters long; at most {1}', prompt.length, MAX_PROMPT_CHARS));
    const unknown = placeholdersIn(prompt).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
    if (unknown.length > 0) {
      const names = unknown.map((p) => `{{${p}}}`).join(', ');
      const known = PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ');
      problems.push(
        unknown.length > 1
          ? l10n.t('unknown placeholders {0} (known: {1})', names, known)
          : l10n.t('unknown placeholder {0} (known: {1})', names, known),
      );
    }
  }
  if (task !== undefined && !isTaskType(task))
    problems.push(l10n.t('unknown task {0} (known: {1})', JSON.stringify(task), TASK_TYPES.join(', ')));
  if (problems.length > 0) return { ...(titleUsable ? { title: name } : {}), problems };
  seen.add(name.toLowerCase());
  return {
    action: { title: name, prompt: prompt as string, task: (task as TaskType | undefined) ?? DEFAULT_CUSTOM_TASK },
    problems,
  };
}

/** Validates the raw `tally.actions` value (undefined or null: no custom actions). */
export function parseCustomActions(raw: unknown): CustomActions {
  if (raw === undefined || raw === null) return EMPTY;
  if (!Array.isArray(raw))
    return { ...EMPTY, problems: [`tally.actions: expected an array of { title, prompt, task? }, got ${typeof raw}`] };
  const result: CustomActions = { valid: [], invalid: [], problems: [] };
  if (raw.length > MAX_CUSTOM_ACTIONS)
    result.problems.push(
      `tally.actions: ${raw.length} actions; only the first ${MAX_CUSTOM_ACTIONS} are used (at most ${MAX_CUSTOM_ACTIONS})`,
    );
  const seen = new Set<string>();
  raw.slice(0, MAX_CUSTOM_ACTIONS).forEach((item, index) => {
    const checked = checkOne(item, seen);
    if (checked.action) result.valid.push(checked.action);
    else {
      result.invalid.push({
        index,
        title: checked.title ?? l10n.t('action {0}', index + 1),
        problems: checked.problems,
      });
      result.problems.push(...checked.problems.map((p) => `tally.actions[${index}]: ${p}`));
    }
  });
  return result;
}

/** "Custom action "X" cannot run: …; fix it in tally.actions." */
export function invalidActionMessage(action: InvalidCustomAction): string {
  return l10n.t(
    'Tally: custom action "{0}" (tally.actions[{1}]) cannot run: {2}. Fix it in your settings.',
    action.title,
    action.index,
    action.problems.join('; '),
  );
}
