// Trimming per new turn: the seed's algorithm against Tally's fitContext, on the same messages with the same
// counter (gpt-tokenizer's o200k_base, the fastest exact one), so the ratio measures the algorithm only.
//
// Seed (Python): keep the last 10 messages; then `while count_tokens(all messages) > budget: messages.pop(0)`,
// recounting every message after each pop. Here the 10-message cap is lifted (with it the seed would only ever
// send 10 messages) so that both trim 2,000 messages of ~500 tokens to a 100,000-token budget. The seed's run is
// capped by a time limit; when the cap is hit its time is reported as a lower bound (">=") with an extrapolation.
import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { fitContext } from '../src/core/tokens/contextFit';
import { countChatTokens, type CountableMessage } from '../src/core/tokens/chatFormat';
import type { TokenCounter } from '../src/core/tokens/tokenCounter';
import { mixedCorpus } from './tokenizers';

export interface TrimmingOptions {
  messages?: number;
  budgetTokens?: number;
  seedTimeLimitMs?: number;
  turns?: number;
}

export interface TrimmingResult {
  messages: number;
  avgTokens: number;
  budgetTokens: number;
  seedMs: number;
  seedCapped: boolean;
  seedEstimateMs: number;
  seedCalls: number;
  tallyColdMs: number;
  tallyColdCalls: number;
  tallyTurnMs: number;
  tallyTurnCalls: number;
  kept: number;
  sameSelection: boolean;
  timeLimitMs: number;
}

function fastCounter(): TokenCounter & { calls: number } {
  const c = {
    encoding: 'o200k_base' as const,
    calls: 0,
    count: (t: string): number => {
      c.calls++;
      return countTokens(t);
    },
    truncate: (): string => {
      throw new Error('not used by this benchmark');
    },
  };
  return c;
}

/** n messages of ~500 tokens (1,800 characters of the mixed corpus each), alternating user/assistant. */
function conversation(n: number, corpus: string): CountableMessage[] {
  const size = 1_800;
  return Array.from({ length: n }, (_, i) => {
    const start = (i * 7_919) % (corpus.length - size);
    return { role: i % 2 ? 'assistant' : 'user', content: `${i}: ${corpus.slice(start, start + size)}` };
  });
}

/** The seed's loop, faithfully quadratic: count everything, drop the oldest, count everything again. */
function seedTrim(
  all: readonly CountableMessage[],
  budget: number,
  counter: TokenCounter,
  limitMs: number,
): { kept: number; ms: number; capped: boolean; pops: number } {
  const t0 = performance.now();
  const msgs = all.map(({ role, content }) => ({ role, content })); // no caches: the seed had none
  const countAll = (): number => msgs.reduce((sum, m) => sum + 3 + 1 + counter.count(m.content), 3);
  let pops = 0;
  while (countAll() > budget) {
    msgs.shift();
    pops++;
    if (performance.now() - t0 > limitMs) return { kept: msgs.length, ms: performance.now() - t0, capped: true, pops };
  }
  return { kept: msgs.length, ms: performance.now() - t0, capped: false, pops };
}

export function benchTrimming(options: TrimmingOptions = {}): TrimmingResult {
  const n = options.messages ?? 2_000;
  const budgetTokens = options.budgetTokens ?? 100_000;
  const timeLimitMs = options.seedTimeLimitMs ?? 20_000;
  const turns = options.turns ?? 70;
  const corpus = mixedCorpus(400_000, 7);
  const counter = fastCounter();
  const all = conversation(n + turns, corpus);
  const history = all.slice(0, n - 1);

  // Tally, first fit of the whole conversation (cold: nothing cached yet).
  let t = performance.now();
  const first = fitContext({ history, newest: all[n - 1], budgetTokens, counter });
  const tallyColdMs = performance.now() - t;
  const tallyColdCalls = counter.calls;
  const avgTokens = (first.promptTokens - 3) / first.messages.length - 4;

  // Tally, one new turn at a time: the previous newest joins the history, one new message arrives. The first few
  // turns warm up the JIT and are not timed.
  const warmup = 20;
  let last = first;
  const turn = (k: number): void => {
    history.push(all[n - 1 + k]);
    last = fitContext({ history, newest: all[n + k], budgetTokens, counter });
  };
  for (let k = 0; k < warmup; k++) turn(k);
  counter.calls = 0;
  t = performance.now();
  for (let k = warmup; k < turns; k++) turn(k);
  const tallyTurnMs = (performance.now() - t) / (turns - warmup);
  const tallyTurnCalls = counter.calls / (turns - warmup);

  // The seed, on one new turn of the same size as the first fit (its cost does not depend on earlier turns).
  counter.calls = 0;
  const seed = seedTrim(all.slice(0, n), budgetTokens, counter, timeLimitMs);
  const seedCalls = counter.calls;
  // Extrapolation when capped: the seed counts (n - p) messages on its p-th pass, for p = 0 .. n - kept.
  const kept = first.messages.length;
  const needCalls = ((n + kept) * (n - kept + 1)) / 2;
  const seedEstimateMs = seed.capped ? (seed.ms / seedCalls) * needCalls : seed.ms;

  // Same selection? Check on a size the seed finishes quickly.
  const small = conversation(300, corpus);
  const smallBudget = 40_000;
  const tally = fitContext({
    history: small.slice(0, -1),
    newest: small[small.length - 1],
    budgetTokens: smallBudget,
    counter,
  });
  const seedSmall = seedTrim(small, smallBudget, counter, Infinity);
  const sameSelection =
    tally.messages.length === seedSmall.kept &&
    tally.promptTokens ===
      countChatTokens(
        small.slice(-seedSmall.kept).map(({ role, content }) => ({ role, content })),
        counter,
      );

  return {
    messages: n,
    avgTokens,
    budgetTokens,
    seedMs: seed.ms,
    seedCapped: seed.capped,
    seedEstimateMs,
    seedCalls,
    tallyColdMs,
    tallyColdCalls,
    tallyTurnMs,
    tallyTurnCalls,
    kept: last.messages.length,
    sameSelection,
    timeLimitMs,
  };
}

const f = (n: number, d = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function trimmingTable(r: TrimmingResult): string {
  const ge = r.seedCapped ? '≥ ' : '';
  const ratio = r.seedMs / r.tallyTurnMs;
  return [
    `### Trimming per new turn: ${f(r.messages)} messages of ~${f(r.avgTokens)} tokens to a ${f(r.budgetTokens)}-token budget`,
    '',
    '| algorithm | per new turn (ms) | tokenizer calls per turn | messages sent |',
    '|---|---:|---:|---:|',
    `| seed: recount all after each pop(0) | ${ge}${f(r.seedMs)}${r.seedCapped ? ` (capped at ${f(r.timeLimitMs / 1000)} s; extrapolated ≈ ${f(r.seedEstimateMs)})` : ''} | ${ge}${f(r.seedCalls)} | ${f(r.kept)} |`,
    `| Tally fitContext (counts cached per message, newest first) | ${f(r.tallyTurnMs, 3)} | ${f(r.tallyTurnCalls)} | ${f(r.kept)} |`,
    '',
    `Ratio seed / Tally per turn: ${ge}${f(ratio)}×${r.seedCapped ? ` (extrapolated ≈ ${f(r.seedEstimateMs / r.tallyTurnMs)}×)` : ''}. ` +
      `Tally's first, uncached fit: ${f(r.tallyColdMs, 1)} ms, ${f(r.tallyColdCalls)} tokenizer calls (only the messages it visits). ` +
      `Same messages chosen as the seed (300-message check): ${r.sameSelection ? 'yes' : 'NO'}.`,
  ].join('\n');
}

if (require.main === module) console.log(trimmingTable(benchTrimming()));
