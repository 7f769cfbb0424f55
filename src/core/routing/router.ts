// Picks the model for one request: the task's row of the routing table at the estimated complexity, with a reason
// built from the measured signals ("Explain · simple (120 tokens, 9 lines) → gpt-4o-mini") and, when the choice is
// not the task's strong model, that model as the alternative with what the choice saves against it.
import type { ReplyRoute } from '../../shared/conversation';
import { formatTokens } from '../../shared/format';
import { costOf, type ResolvedModel } from '../tokens/models';
import { estimateComplexity, type ComplexitySignal, type MeasuredSignals } from './complexity';
import type { RoutingTable } from './routingTable';
import type { Complexity, RouteRequest, TaskType } from './taskTypes';

/** The model setting (or picker) value that means "let the router choose". */
export const AUTO_MODEL = 'auto';

/** Reply tokens the saving assumes: a typical answer to a code question (the reply is not known before it is sent). */
export const EXPECTED_REPLY_TOKENS = 500;

export const TASK_LABELS: Readonly<Record<TaskType, string>> = {
  explain: 'Explain',
  refactor: 'Refactor',
  findBugs: 'Find Bugs',
  writeTests: 'Write Tests',
  addDocs: 'Add Docs',
  optimise: 'Optimise',
  translate: 'Translate',
  fix: 'Fix This Problem',
  chat: 'Chat',
  classification: 'Classification',
  extraction: 'Extraction',
  translation: 'Translation',
  summarization: 'Summarization',
  qa: 'Q&A',
  code: 'Code',
  reasoning: 'Reasoning',
  creative: 'Creative',
  analysis: 'Analysis',
};

export interface RouteDecision extends ReplyRoute {
  task: TaskType;
  complexity: Complexity;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${formatTokens(n)} ${n === 1 ? one : many}`;

/** The figures of the reason: tokens and lines always (when known), files and diagnostics when given, nesting and
 *  branches when they raised the complexity. */
function reasonFigures(m: MeasuredSignals, drivenBy: readonly ComplexitySignal[]): string {
  const parts = [plural(m.promptTokens, 'token')];
  if (m.lines !== undefined) parts.push(plural(m.lines, 'line'));
  if (m.nesting !== undefined && drivenBy.includes('nesting')) parts.push(`nesting depth ${m.nesting}`);
  if (m.branches !== undefined && drivenBy.includes('branches')) parts.push(plural(m.branches, 'branch', 'branches'));
  if (m.files !== undefined) parts.push(plural(m.files, 'file'));
  if (m.diagnostics !== undefined) parts.push(plural(m.diagnostics, 'diagnostic'));
  return parts.join(', ');
}

/** What the prompt and an expected reply would cost more on `alternative` than on `chosen`; undefined when either
 *  price is unknown. */
export function savingAgainst(
  promptTokens: number,
  replyTokens: number,
  chosen: Pick<ResolvedModel, 'prices'>,
  alternative: Pick<ResolvedModel, 'prices'>,
): number | undefined {
  const usage = { promptTokens, completionTokens: replyTokens };
  const on = costOf(usage, chosen).usd;
  const off = costOf(usage, alternative).usd;
  return on === undefined || off === undefined ? undefined : off - on;
}

/** The model for `request` by `table`, with the reason and the alternative. */
export function route(
  request: RouteRequest,
  table: RoutingTable,
  resolveModel: (id: string) => Pick<ResolvedModel, 'prices'>,
  expectedReplyTokens = EXPECTED_REPLY_TOKENS,
): RouteDecision {
  const { complexity, measured, drivenBy } = estimateComplexity(request);
  const row = table[request.task];
  const model = row[complexity];
  const label = request.label?.trim() || TASK_LABELS[request.task];
  const decision: RouteDecision = {
    task: request.task,
    ...(request.label?.trim() ? { label: request.label.trim() } : {}),
    complexity,
    model,
    signals: measured,
    reason: `${label} · ${complexity} (${reasonFigures(measured, drivenBy)}) → ${model}`,
  };
  const strong = row.complex;
  if (strong !== model) {
    const savingUsd = savingAgainst(
      measured.promptTokens,
      expectedReplyTokens,
      resolveModel(model),
      resolveModel(strong),
    );
    decision.alternative = { model: strong, ...(savingUsd !== undefined ? { savingUsd } : {}) };
  }
  return decision;
}
