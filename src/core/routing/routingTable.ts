// Which model answers which request: the default table task × complexity → model, after the article Tally comes
// from (cheap work to the cheap model, reasoning to the strong one), and the user's `tally.routing` overrides,
// validated cell by cell (an unknown task, complexity or model is reported and that cell is ignored, never sent).
// The problems are shown to the user (settings.ts notifies them), so each is translated; JSON shapes and setting ids
// are passed as arguments, never translated.
import * as l10n from '@vscode/l10n';
import type { ResolvedModel } from '../tokens/models';
import { isTaskType, TASK_TYPES, type Complexity, type TaskType } from './taskTypes';

// Why these two: gpt-4o-mini is Tally's default model and gpt-4o its strong sibling; both take `temperature`, bill
// no hidden reasoning tokens (a gpt-5 reply's cost depends on how long it thinks, so an estimate before the send
// would be a guess) and are served by most OpenAI-compatible proxies under these names. At $0.15/$0.60 against
// $2.50/$10 per 1M tokens the cheap model costs ~1/16 of the strong one, the spread the article's gpt-3.5/gpt-4
// table had. gpt-5-mini/gpt-5 can be set per cell in `tally.routing`.
export const CHEAP_MODEL = 'gpt-4o-mini';
export const STRONG_MODEL = 'gpt-4o';

export const COMPLEXITIES: readonly Complexity[] = ['simple', 'medium', 'complex'];

export type RoutingRow = Record<Complexity, string>;
export type RoutingTable = Record<TaskType, RoutingRow>;
/** `tally.routing` after validation: only the cells the user set, each naming a known model. */
export type RoutingOverrides = Partial<Record<TaskType, Partial<RoutingRow>>>;

const row = (simple: string, medium: string, complex: string): RoutingRow => ({ simple, medium, complex });
const ALWAYS_CHEAP = row(CHEAP_MODEL, CHEAP_MODEL, CHEAP_MODEL);
const ALWAYS_STRONG = row(STRONG_MODEL, STRONG_MODEL, STRONG_MODEL);
/** Cheap unless the input is complex. */
const CHEAP_UNTIL_COMPLEX = row(CHEAP_MODEL, CHEAP_MODEL, STRONG_MODEL);
/** Work that is reasoning about code: cheap only when the input is simple. */
const STRONG_FROM_MEDIUM = row(CHEAP_MODEL, STRONG_MODEL, STRONG_MODEL);

/** The default table. The article's own kinds follow its table (classification, extraction, translation cheap;
 *  reasoning, creative, analysis strong; summarisation, Q&A and code in between, here: strong when complex). */
export const DEFAULT_ROUTING: Readonly<RoutingTable> = Object.freeze({
  classification: ALWAYS_CHEAP,
  extraction: ALWAYS_CHEAP,
  translation: ALWAYS_CHEAP,
  summarization: CHEAP_UNTIL_COMPLEX,
  qa: CHEAP_UNTIL_COMPLEX,
  code: CHEAP_UNTIL_COMPLEX,
  reasoning: ALWAYS_STRONG,
  creative: ALWAYS_STRONG,
  analysis: ALWAYS_STRONG,
  // Code actions: explaining, documenting and panel chat read code; translating comments is the article's translation.
  explain: CHEAP_UNTIL_COMPLEX,
  addDocs: CHEAP_UNTIL_COMPLEX,
  chat: CHEAP_UNTIL_COMPLEX,
  translate: ALWAYS_CHEAP,
  // Finding bugs, refactoring, optimising, fixing and writing tests reason about behaviour.
  findBugs: STRONG_FROM_MEDIUM,
  refactor: STRONG_FROM_MEDIUM,
  optimise: STRONG_FROM_MEDIUM,
  fix: STRONG_FROM_MEDIUM,
  writeTests: STRONG_FROM_MEDIUM,
});

/** The default table with the user's cells over it. */
export function routingTable(overrides: RoutingOverrides = {}): RoutingTable {
  const table = {} as RoutingTable;
  for (const task of TASK_TYPES) table[task] = { ...DEFAULT_ROUTING[task], ...overrides[task] };
  return table;
}

const isComplexity = (v: string): v is Complexity => (COMPLEXITIES as readonly string[]).includes(v);

/**
 * Validates `tally.routing` (untrusted JSON): `{ "<task>": { "simple"?: model, "medium"?: model, "complex"?: model } }`.
 * A cell is kept only when its task and complexity exist and its model is in the registry or the user's
 * `tally.models` (`resolve(id).matchedBy !== 'unknown'`); every other cell is reported and ignored.
 */
export function parseRoutingOverrides(
  raw: unknown,
  resolve: (id: string) => Pick<ResolvedModel, 'matchedBy'>,
): { overrides: RoutingOverrides; problems: string[] } {
  const overrides: RoutingOverrides = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { overrides, problems };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return {
      overrides,
      problems: [l10n.t('expected an object of tasks, e.g. {0}', '{ "explain": { "complex": "gpt-4o" } }')],
    };
  for (const [task, cells] of Object.entries(raw)) {
    if (!isTaskType(task)) {
      problems.push(l10n.t('unknown task "{0}" (ignored); tasks: {1}', task, TASK_TYPES.join(', ')));
      continue;
    }
    if (typeof cells !== 'object' || cells === null || Array.isArray(cells)) {
      problems.push(
        l10n.t('{0}: expected {1} with a model each (ignored)', task, '{ "simple"?, "medium"?, "complex"? }'),
      );
      continue;
    }
    for (const [complexity, model] of Object.entries(cells as Record<string, unknown>)) {
      if (!isComplexity(complexity)) {
        problems.push(
          l10n.t('{0}: unknown complexity (ignored); use simple, medium or complex', `${task}.${complexity}`),
        );
      } else if (typeof model !== 'string' || model.trim() === '') {
        problems.push(l10n.t('{0}: expected a model id (ignored)', `${task}.${complexity}`));
      } else if (resolve(model.trim()).matchedBy === 'unknown') {
        problems.push(
          l10n.t(
            '{0}: unknown model "{1}" (ignored, the default is used); add it to tally.models first',
            `${task}.${complexity}`,
            String(model),
          ),
        );
      } else {
        (overrides[task] ??= {})[complexity] = model.trim();
      }
    }
  }
  return { overrides, problems };
}
