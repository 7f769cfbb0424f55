// Custom actions from `tally.actions` (issue #13): an array of { title, prompt, task? }. Each entry is checked once
// per settings change; a valid one joins the menus beside the built-ins, an invalid one is kept with what is wrong
// with it, so that picking it says why instead of silently doing nothing.
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
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return { problems: ['expected an object with "title" and "prompt"'] };
  const { title, prompt, task } = item as Record<string, unknown>;
  const problems: string[] = [];
  const name = typeof title === 'string' ? title.trim() : '';
  if (typeof title !== 'string' || name === '') problems.push('"title" is missing or empty');
  else if (name.length > MAX_TITLE_CHARS)
    problems.push(`"title" is ${name.length} characters long; at most ${MAX_TITLE_CHARS}`);
  else if (seen.has(name.toLowerCase())) problems.push(`another action is already titled "${name}"`);
  if (typeof prompt !== 'string' || prompt.trim() === '') problems.push('"prompt" is missing or empty');
  else {
    if (prompt.length > MAX_PROMPT_CHARS)
      problems.push(`"prompt" is ${prompt.length} characters long; at most ${MAX_PROMPT_CHARS}`);
    const unknown = placeholdersIn(prompt).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
    if (unknown.length > 0)
      problems.push(
        `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `{{${p}}}`).join(', ')} ` +
          `(known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})`,
      );
  }
  if (task !== undefined && !isTaskType(task))
    problems.push(`unknown task ${JSON.stringify(task)} (known: ${TASK_TYPES.join(', ')})`);
  const usableTitle = problems.some((p) => p.startsWith('"title"')) ? undefined : name;
  if (problems.length > 0) return { ...(usableTitle ? { title: usableTitle } : {}), problems };
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
      result.invalid.push({ index, title: checked.title ?? `action ${index + 1}`, problems: checked.problems });
      result.problems.push(...checked.problems.map((p) => `tally.actions[${index}]: ${p}`));
    }
  });
  return result;
}

/** "Custom action "X" cannot run: …; fix it in tally.actions." */
export function invalidActionMessage(action: InvalidCustomAction): string {
  return `Tally: custom action "${action.title}" (tally.actions[${action.index}]) cannot run: ${action.problems.join('; ')}. Fix it in your settings.`;
}
