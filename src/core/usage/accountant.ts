// The usage side of a chat request (implements accounting.ts's Accountant): the budget check before sending, the
// live in-flight estimate while a reply streams (for the status bar), and the ledger record when it ends.
//
// - check: `tally.budget.*` against what was spent today and this month (all windows: the ledger is refreshed
//   first) plus the most the request may cost (`maxUsd`). A refusal carries the actions to raise the limit or send
//   this one anyway; with `ignoreBudget` the request goes out and the refusal becomes a notice.
// - finish: the API's usage when it sent one; else the prompt as planned and the reply counted with the model's
//   tokenizer, marked estimated; a cache hit costs $0 and records what it saved. A failure before any token with
//   no usage records nothing (nothing was generated; whether the prompt was billed is unknowable).
// - progress: the in-flight reply as ~4 characters per token, with its prompt, at the model's prices; cleared by
//   finish. Listeners (the status bar) are told on every change; they throttle.
import * as l10n from '@vscode/l10n';
import type { Usage } from '../../shared/conversation';
import type { ErrorView } from '../../shared/errors';
import type { Accountant, ReplyAccounting, ReplyCost, SendCheck, SendVerdict } from './accounting';
import { checkBudget, type BudgetSettings } from './budgets';
import { costOf, type Encoding, type ModelOverrides, type ResolvedModel } from '../tokens/models';
import { disposable, type Disposable } from '../dispose';
import type { Clock, Logger } from '../ports';
import type { AsyncTokenCounter } from '../tokens/tokenCounter';
import { estimateRecordForPartial, makeUsageRecord, type RecordBase, type UsageRecord } from './records';
import { emptyTotals, type UsageTotals } from './totals';
import type { UsageLedger } from './ledger';

export interface UsageAccountantDeps {
  ledger: UsageLedger;
  tokenizers: { asyncCounter(encoding: Encoding): Pick<AsyncTokenCounter, 'count'> };
  clock: Clock;
  logger: Logger;
  /** A stable id of the workspace, '' when no folder is open (the workspace limits then do not apply). */
  workspace: string;
  /** The budgets in force (validated by the settings module, which also reports their problems). */
  budgets(): BudgetSettings;
  /** The user's `tally.models` overrides, validated. */
  modelOverrides(): ModelOverrides;
  newId(prefix: string): string;
}

/** Rough characters per token of a streaming reply, for the live estimate only (the record counts exactly). */
const CHARS_PER_TOKEN = 4;
/** An in-flight entry that never finished (a crash between check and finish) stops counting after this. */
const STALE_MS = 30 * 60_000;

interface InFlight {
  model: ResolvedModel;
  promptTokens: number;
  chars: number;
  startedAt: number;
  streaming: boolean;
}

export class UsageAccountant implements Accountant {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: UsageAccountantDeps) {}

  async check(request: SendCheck): Promise<SendVerdict> {
    const budgets = this.budgets();
    const anyLimit =
      budgets.dailyUsd !== undefined ||
      budgets.monthlyUsd !== undefined ||
      budgets.workspaceDailyUsd !== undefined ||
      budgets.workspaceMonthlyUsd !== undefined;
    let verdict: SendVerdict = {};
    if (anyLimit) {
      const { ledger, workspace } = this.deps;
      await ledger.refresh(); // other windows' spend; reads only what they appended since the last read
      const result = checkBudget({
        spent: ledger.snapshot(workspace === '' ? undefined : workspace).spent,
        maxCostOfNext: request.maxUsd,
        budgets,
        model: request.model.id,
        workspaceOpen: workspace !== '',
      });
      if (result.verdict === 'refuse' && !request.ignoreBudget) {
        this.deps.logger.info(`usage: refused ${request.requestId} (budget): ${result.message}`);
        return { refuse: budgetRefusal(result.message, result.limit.setting) };
      }
      if (result.verdict === 'refuse') {
        this.deps.logger.info(`usage: ${request.requestId} sent past the budget at the user's request`);
        verdict = { warning: l10n.t('Sent past the budget: {0}', result.message) };
      } else if (result.verdict === 'warn') verdict = { warning: result.message };
    }
    this.pruneStale();
    this.inFlight.set(request.requestId, {
      model: request.model,
      promptTokens: request.promptTokens,
      chars: 0,
      startedAt: this.deps.clock.now(),
      streaming: false,
    });
    return verdict;
  }

  progress(requestId: string, completionChars: number): void {
    const f = this.inFlight.get(requestId);
    if (!f) return;
    f.chars = Math.max(0, completionChars);
    f.streaming = true;
    this.emit();
  }

  async finish(reply: ReplyAccounting): Promise<ReplyCost | undefined> {
    try {
      const record = await this.recordFor(reply);
      if (!record) return undefined;
      await this.deps.ledger.append(record);
      return replyCost(record, reply);
    } finally {
      this.inFlight.delete(reply.requestId);
      this.emit();
    }
  }

  /** The replies streaming now, as totals to add to the ledger's (estimated: ~4 characters per token). */
  liveExtra(): UsageTotals {
    const t = emptyTotals();
    const now = this.deps.clock.now();
    for (const f of this.inFlight.values()) {
      if (!f.streaming || now - f.startedAt > STALE_MS) continue;
      const usage = { promptTokens: f.promptTokens, completionTokens: Math.ceil(f.chars / CHARS_PER_TOKEN) };
      t.requests++;
      t.estimatedRequests++;
      t.tokensIn += usage.promptTokens;
      t.tokensOut += usage.completionTokens;
      const usd = costOf(usage, f.model).usd;
      if (usd === undefined) t.unknownCostRequests++;
      else t.costUsd += usd;
    }
    return t;
  }

  /** Called after every recorded request and every streamed delta (throttle in the listener). */
  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return disposable(() => {
      this.listeners.delete(listener);
    });
  }

  private async recordFor(reply: ReplyAccounting): Promise<UsageRecord | undefined> {
    const { clock, newId, workspace } = this.deps;
    const overrides = this.deps.modelOverrides();
    const requestId = reply.apiRequestId ?? reply.requestId;
    const base: RecordBase = {
      id: newId('u'),
      at: clock.now(),
      workspace,
      model: reply.model.id,
      conversationId: reply.conversationId,
      requestId,
      ...(reply.surface ? { surface: reply.surface } : {}),
      overrides,
    };
    if (reply.cacheHit) {
      const usage = reply.savedUsage ?? (await this.estimateUsage(reply));
      return makeUsageRecord({ ...base, usage, cacheHit: true });
    }
    if (reply.usage) return makeUsageRecord({ ...base, usage: reply.usage });
    if (reply.outcome === 'failed' && reply.completionText === '') return undefined;
    const completionTokens = await this.countCompletion(reply);
    return estimateRecordForPartial({
      ...base,
      promptTokens: reply.promptTokens,
      completionText: reply.completionText,
      countTokens: () => completionTokens,
    });
  }

  private async estimateUsage(reply: ReplyAccounting): Promise<Usage> {
    const completionTokens = await this.countCompletion(reply);
    return {
      promptTokens: reply.promptTokens,
      completionTokens,
      totalTokens: reply.promptTokens + completionTokens,
      estimated: true,
    };
  }

  /** The reply's tokens with the model's tokenizer; ~4 characters per token if the tokenizer fails. */
  private async countCompletion(reply: ReplyAccounting): Promise<number> {
    if (reply.completionText === '') return 0;
    try {
      return await this.deps.tokenizers.asyncCounter(reply.model.encoding).count(reply.completionText);
    } catch (e) {
      this.deps.logger.warn(
        `usage: counting the reply of ${reply.requestId} failed, estimating from its length: ${String(e)}`,
      );
      return Math.ceil(reply.completionText.length / CHARS_PER_TOKEN);
    }
  }

  private budgets(): BudgetSettings {
    return this.deps.budgets();
  }

  private pruneStale(): void {
    const now = this.deps.clock.now();
    for (const [id, f] of this.inFlight) if (now - f.startedAt > STALE_MS) this.inFlight.delete(id);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (e) {
        this.deps.logger.error(`usage: a change listener failed: ${String(e)}`);
      }
    }
  }
}

function budgetRefusal(message: string, setting: string): ErrorView {
  return {
    kind: 'budget',
    actions: ['raiseBudget', 'sendAnyway'],
    message: l10n.t(
      '{0} Nothing was sent. Raise the limit ({1}) or send this one anyway.',
      message,
      `tally.budget.${setting}`,
    ),
  };
}

/** What the reply shows: its usage (estimated when counted locally), its cost, and for a cache hit what it saved. */
function replyCost(r: UsageRecord, reply: ReplyAccounting): ReplyCost {
  const fromApi = reply.cacheHit ? reply.savedUsage : reply.usage;
  const usage: Usage =
    fromApi && !r.estimated
      ? { ...fromApi }
      : {
          promptTokens: r.promptTokens,
          completionTokens: r.completionTokens,
          totalTokens: r.promptTokens + r.completionTokens,
          ...(r.cachedPromptTokens > 0 ? { cachedPromptTokens: r.cachedPromptTokens } : {}),
          ...(r.estimated ? { estimated: true } : {}),
        };
  const cost: ReplyCost = { usage };
  if (r.costUsd !== undefined) cost.costUsd = r.costUsd;
  if (r.savedUsd !== undefined) cost.savedUsd = r.savedUsd;
  return cost;
}
