// Budget rules (`tally.budget.*`): daily and monthly limits in USD, global and per workspace, checked before a
// request is sent against the most it may cost (the pre-send estimate's maximum).
//
// The rules, per limit L with S spent in its period and M the most the next request may cost (P = S + M):
// - refuse when P > L: spending exactly the limit is allowed, a nano-dollar more is not. A request that costs
//   nothing (M = 0) is never refused: it cannot add to the spend.
// - else warn when P ≥ warnAtFraction × L (default 80 %) and P > 0, which includes "already over 80 %".
// - an unknown price (M undefined) is never refused on: it warns that the budget can't be checked for the model,
//   naming the most used limit when that is already at its warning level.
// - a zero limit is valid: it refuses every request that may cost anything.
// Amounts are compared in whole nano-dollars, so sums of float costs do not flip a verdict at exact edges. A message
// shows its limit, spend and cost (in the display language, through l10n.t) in cents, or, for a limit below a cent, in the digits that limit needs ("$0.005").
import * as l10n from '@vscode/l10n';
import { budgetUsdFormatter } from '../../shared/format';
import { formatCount } from './usageText';

export interface BudgetSettings {
  dailyUsd?: number;
  monthlyUsd?: number;
  workspaceDailyUsd?: number;
  workspaceMonthlyUsd?: number;
  /** Share of a limit at which to warn, in (0, 1]; default 0.8. */
  warnAtFraction?: number;
}

export type BudgetSetting = 'dailyUsd' | 'monthlyUsd' | 'workspaceDailyUsd' | 'workspaceMonthlyUsd';

export const DEFAULT_WARN_AT_FRACTION = 0.8;

/** USD spent so far (known prices only), in the periods the limits count. */
export interface BudgetSpent {
  globalToday: number;
  globalMonth: number;
  workspaceToday: number;
  workspaceMonth: number;
}

export interface BudgetLimit {
  /** The setting to raise: `tally.budget.<setting>`. */
  setting: BudgetSetting;
  scope: 'global' | 'workspace';
  period: 'day' | 'month';
  limitUsd: number;
  spentUsd: number;
}

export type BudgetCheck =
  | { verdict: 'ok' }
  | {
      verdict: 'warn' | 'refuse';
      message: string;
      limit: BudgetLimit;
      /** Every limit's message, worst first. */ messages: string[];
    };

export interface BudgetCheckInput {
  spent: BudgetSpent;
  /** The most the next request may cost; undefined when its model's price is unknown. */
  maxCostOfNext: number | undefined;
  budgets: BudgetSettings;
  /** Named in the unknown-price warning. */
  model?: string;
  /** False when no folder is open: the workspace limits do not apply. Default true. */
  workspaceOpen?: boolean;
}

interface LimitSpec {
  setting: BudgetSetting;
  scope: BudgetLimit['scope'];
  period: BudgetLimit['period'];
  spent: keyof BudgetSpent;
}

const LIMITS: readonly LimitSpec[] = [
  { setting: 'dailyUsd', scope: 'global', period: 'day', spent: 'globalToday' },
  { setting: 'workspaceDailyUsd', scope: 'workspace', period: 'day', spent: 'workspaceToday' },
  { setting: 'monthlyUsd', scope: 'global', period: 'month', spent: 'globalMonth' },
  { setting: 'workspaceMonthlyUsd', scope: 'workspace', period: 'month', spent: 'workspaceMonth' },
];

/** The limit as a noun phrase: `Daily budget $1.00`. */
function budgetName(setting: BudgetSetting, limit: string): string {
  switch (setting) {
    case 'dailyUsd':
      return l10n.t('Daily budget {0}', limit);
    case 'workspaceDailyUsd':
      return l10n.t('Workspace daily budget {0}', limit);
    case 'monthlyUsd':
      return l10n.t('Monthly budget {0}', limit);
    case 'workspaceMonthlyUsd':
      return l10n.t('Workspace monthly budget {0}', limit);
  }
}

/** What was spent in the limit's period: `spent $0.75 today`. */
function spentText(setting: BudgetSetting, spent: string): string {
  switch (setting) {
    case 'dailyUsd':
      return l10n.t('spent {0} today', spent);
    case 'workspaceDailyUsd':
      return l10n.t('spent {0} today in this workspace', spent);
    case 'monthlyUsd':
      return l10n.t('spent {0} this month', spent);
    case 'workspaceMonthlyUsd':
      return l10n.t('spent {0} this month in this workspace', spent);
  }
}

const isLimit = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isFraction = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0 && x <= 1;
/** Whole nano-dollars: exact integer comparisons for float sums. */
const nano = (usd: number) => Math.round(usd * 1e9);

/**
 * Validates the `tally.budget` settings (untrusted). A missing or null limit is "no limit"; a negative, NaN or
 * non-number one is dropped and reported, as is a warning fraction outside (0, 1].
 */
export function parseBudgets(raw: unknown): { budgets: BudgetSettings; problems: string[] } {
  const budgets: BudgetSettings = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { budgets, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { budgets, problems: ['budget: expected an object'] };
  const o = raw as Record<string, unknown>;
  for (const { setting } of LIMITS) {
    const v = o[setting];
    if (v === undefined || v === null) continue;
    if (isLimit(v)) budgets[setting] = v;
    else problems.push(`budget.${setting}: expected an amount in USD of 0 or more, got ${String(v)}; ignored`);
  }
  const f = o.warnAtFraction;
  if (f !== undefined && f !== null) {
    if (isFraction(f)) budgets.warnAtFraction = f;
    else problems.push(`budget.warnAtFraction: expected a number above 0 and at most 1, got ${String(f)}; using 0.8`);
  }
  return { budgets, problems };
}

interface Finding {
  severity: 2 | 1;
  /** P / L, to put the worst limit first (Infinity for a zero limit). */
  ratio: number;
  message: string;
  limit: BudgetLimit;
}

/** Applies the rules at the top of this file to every limit that is set; the worst finding names the verdict. */
export function checkBudget(input: BudgetCheckInput): BudgetCheck {
  const { spent, maxCostOfNext: max, budgets } = input;
  const warnAt = isFraction(budgets.warnAtFraction) ? budgets.warnAtFraction : DEFAULT_WARN_AT_FRACTION;
  const findings: Finding[] = [];
  let firstSet: BudgetLimit | undefined;
  for (const spec of LIMITS) {
    const limitUsd = budgets[spec.setting];
    if (!isLimit(limitUsd) || (spec.scope === 'workspace' && input.workspaceOpen === false)) continue;
    const spentUsd = Math.max(0, Number.isFinite(spent[spec.spent]) ? spent[spec.spent] : 0);
    const limit: BudgetLimit = { setting: spec.setting, scope: spec.scope, period: spec.period, limitUsd, spentUsd };
    firstSet ??= limit;
    const L = nano(limitUsd);
    const S = nano(spentUsd);
    const M = max === undefined || !Number.isFinite(max) ? undefined : Math.max(0, nano(max));
    const P = S + (M ?? 0);
    const ratio = L === 0 ? (P > 0 ? Infinity : 0) : P / L;
    const formatUsd = budgetUsdFormatter(limitUsd);
    const budget = budgetName(spec.setting, formatUsd(limitUsd));
    const spentNow = spentText(spec.setting, formatUsd(spentUsd));
    const cost = formatUsd(max);
    if (M !== undefined && M > 0 && P > L) {
      const message =
        S >= L
          ? l10n.t('{0} is used up: {1}, this request may cost up to {2}.', budget, spentNow, cost)
          : l10n.t('{0} would be exceeded: {1}, this request may cost up to {2}.', budget, spentNow, cost);
      findings.push({ severity: 2, ratio, limit, message });
    } else if (P > 0 && P >= Math.round(warnAt * L)) {
      const pct = formatCount(L === 0 ? 100 : Math.floor((P * 100) / L));
      const message =
        M === undefined
          ? l10n.t('{0} is {1} % used already: {2}.', budget, pct, spentNow)
          : l10n.t(
              '{0} is {1} % used with this request: {2}, this request may cost up to {3}.',
              budget,
              pct,
              spentNow,
              cost,
            );
      findings.push({ severity: 1, ratio, limit, message });
    }
  }
  if (max === undefined && firstSet) {
    const note =
      input.model === undefined
        ? l10n.t("The price of this model is unknown: the budget can't be checked for it.")
        : l10n.t("The price of {0} is unknown: the budget can't be checked for this model.", input.model);
    const worst = findings.sort(byWorst)[0];
    if (worst) worst.message = l10n.t({ message: '{0} {1}', args: [worst.message, note], comment: ['Two sentences.'] });
    else findings.push({ severity: 1, ratio: 0, limit: firstSet, message: note });
  }
  if (findings.length === 0) return { verdict: 'ok' };
  findings.sort(byWorst);
  const [worst] = findings;
  return {
    verdict: worst.severity === 2 ? 'refuse' : 'warn',
    message: worst.message,
    limit: worst.limit,
    messages: findings.map((f) => f.message),
  };
}

const byWorst = (a: Finding, b: Finding) =>
  b.severity - a.severity || (b.ratio > a.ratio ? 1 : b.ratio < a.ratio ? -1 : 0);
