// Picks the model for one request: the task's row of the routing table at the estimated complexity, with a reason
// built from the measured signals ("Explain · simple (120 tokens, 9 lines) → gpt-4o-mini") and, when the choice is
// not the task's strong model, that model as the alternative with what the choice saves against it.
import * as l10n from '@vscode/l10n';
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

/** The task's name in the reason line, in the display language (a function: t() runs after the bundle is loaded). */
export function taskLabel(task: TaskType): string {
  switch (task) {
    case 'explain':
      return l10n.t('Explain');
    case 'refactor':
      return l10n.t('Refactor');
    case 'findBugs':
      return l10n.t('Find Bugs');
    case 'writeTests':
      return l10n.t('Write Tests');
    case 'addDocs':
      return l10n.t('Add Docs');
    case 'optimise':
      return l10n.t('Optimise');
    case 'translate':
      return l10n.t('Translate');
    case 'fix':
      return l10n.t('Fix This Problem');
    case 'chat':
      return l10n.t('Chat');
    case 'classification':
      return l10n.t('Classification');
    case 'extraction':
      return l10n.t('Extraction');
    case 'translation':
      return l10n.t('Translation');
    case 'summarization':
      return l10n.t('Summarization');
    case 'qa':
      return l10n.t('Q&A');
    case 'code':
      return l10n.t('Code');
    case 'reasoning':
      return l10n.t('Reasoning');
    case 'creative':
      return l10n.t('Creative');
    case 'analysis':
      return l10n.t('Analysis');
  }
}

/** The complexity as the reason line says it. */
export function complexityLabel(complexity: Complexity): string {
  if (complexity === 'simple') return l10n.t('simple');
  return complexity === 'medium' ? l10n.t('medium') : l10n.t('complex');
}

export interface RouteDecision extends ReplyRoute {
  task: TaskType;
  complexity: Complexity;
}

const n = formatTokens;

/** The figures of the reason: tokens and lines always (when known), files and diagnostics when given, nesting and
 *  branches when they raised the complexity. One t() per figure, singular and plural as two literals. */
function reasonFigures(m: MeasuredSignals, drivenBy: readonly ComplexitySignal[]): string {
  const parts = [m.promptTokens === 1 ? l10n.t('{0} token', n(1)) : l10n.t('{0} tokens', n(m.promptTokens))];
  if (m.lines !== undefined) parts.push(m.lines === 1 ? l10n.t('{0} line', n(1)) : l10n.t('{0} lines', n(m.lines)));
  if (m.nesting !== undefined && drivenBy.includes('nesting')) parts.push(l10n.t('nesting depth {0}', m.nesting));
  if (m.branches !== undefined && drivenBy.includes('branches'))
    parts.push(m.branches === 1 ? l10n.t('{0} branch', n(1)) : l10n.t('{0} branches', n(m.branches)));
  if (m.files !== undefined) parts.push(m.files === 1 ? l10n.t('{0} file', n(1)) : l10n.t('{0} files', n(m.files)));
  if (m.diagnostics !== undefined)
    parts.push(m.diagnostics === 1 ? l10n.t('{0} diagnostic', n(1)) : l10n.t('{0} diagnostics', n(m.diagnostics)));
  return parts.join(l10n.t({ message: ', ', comment: ['separator between the figures of a routing reason'] }));
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
  const label = request.label?.trim() || taskLabel(request.task);
  const decision: RouteDecision = {
    task: request.task,
    ...(request.label?.trim() ? { label: request.label.trim() } : {}),
    complexity,
    model,
    signals: measured,
    reason: l10n.t({
      message: '{0} · {1} ({2}) → {3}',
      args: [label, complexityLabel(complexity), reasonFigures(measured, drivenBy), model],
      comment: ['routing reason: task, complexity, (figures), → model id'],
    }),
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
