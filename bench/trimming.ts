// Trimming per new turn, through the code that ships: Tally's real RequestPlanner (src/core/chat/requestPlanner.ts),
// whose counts go to the real token-count worker (dist/lazy/tokenCountWorker.js, built by `npm run bench`), against
// two peers that use the very same worker counter:
//  - the seed (Python): `while count_tokens(all messages) > budget: messages.pop(0)`, recounting every message after
//    each pop (its 10-message cap lifted, else it would never send more than 10). Capped by a time limit; when the
//    cap is hit its time is a lower bound ("≥") with an extrapolation from its calls.
//  - a fair simple peer: count each message once, then drop the oldest until the rest fits (no cache across turns).
// Every run builds fresh conversations (freshText.ts), a different one per algorithm, so no tokenizer cache helps;
// runs are interleaved (stats.ts). Ratios are per run, against Tally in the same run.
import * as path from 'node:path';
import { RequestPlanner } from '../src/core/chat/requestPlanner';
import { promptBudget } from '../src/core/tokens/contextFit';
import { REPLY_PRIMING_TOKENS, TOKENS_PER_MESSAGE } from '../src/core/tokens/chatFormat';
import { resolveModel } from '../src/core/tokens/models';
import { createWorkerCounter } from '../src/core/tokens/tokenCountWorker';
import type { AsyncTokenCounter } from '../src/core/tokens/tokenCounter';
import { Tokenizers } from '../src/core/tokens/tokenizers';
import type { ChatMessage } from '../src/shared/conversation';
import { freshText } from './freshText';
import { f, interleaved, median, spread } from './stats';

export interface TrimmingOptions {
  messages?: number;
  messageChars?: number;
  runs?: number;
  seedTimeLimitMs?: number;
  turns?: number;
}

interface Turn {
  ms: number;
  calls: number;
  promptTokens: number;
  kept: number;
  capped?: boolean;
  estimateMs?: number;
}

export interface TrimmingResult {
  messages: number;
  messageChars: number;
  budgetTokens: number;
  runs: number;
  seedTimeLimitMs: number;
  tallyCold: Turn[];
  tally: Turn[];
  peer: Turn[];
  seed: Turn[];
  /** The simple peer, on Tally's last conversation, sends the same messages and counts the same prompt tokens. */
  same: boolean;
}

const MODEL = resolveModel('gpt-4o');
const MAX_REPLY = 4_096;
const SYSTEM = 'You are a helpful assistant.';

function conversation(n: number, chars: number, seed: number): ChatMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 ? 'assistant' : 'user',
    content: freshText(chars, seed * 1_000_003 + i),
    createdAt: i,
  }));
}

/** The worker counter, with a count of its calls (each call is one round trip to the worker). */
function countingCounter(inner: AsyncTokenCounter): AsyncTokenCounter & { calls: number } {
  const c = {
    encoding: inner.encoding,
    calls: 0,
    count: (text: string, signal?: AbortSignal) => {
      c.calls++;
      return inner.count(text, signal);
    },
    truncate: inner.truncate.bind(inner),
  };
  return c;
}

/** Prompt tokens of messages counted by `count` (roles are one token each): what both peers compute. */
const framing = (contentTokens: number): number => TOKENS_PER_MESSAGE + 1 + contentTokens;

async function seedTurn(all: ChatMessage[], text: string, budget: number, counter: AsyncTokenCounter, limitMs: number) {
  const t0 = performance.now();
  const msgs = [...all.map((m) => m.content), text];
  const countAll = async (): Promise<number> => {
    let sum = REPLY_PRIMING_TOKENS + framing(await counter.count(SYSTEM));
    for (const m of msgs) sum += framing(await counter.count(m));
    return sum;
  };
  let total = await countAll();
  while (total > budget) {
    msgs.shift();
    if (performance.now() - t0 > limitMs) return { ms: performance.now() - t0, capped: true, total, kept: msgs.length };
    total = await countAll();
  }
  return { ms: performance.now() - t0, capped: false, total, kept: msgs.length };
}

async function peerTurn(all: ChatMessage[], text: string, budget: number, counter: AsyncTokenCounter) {
  const t0 = performance.now();
  const msgs = [...all.map((m) => m.content), text];
  const counts: number[] = [];
  for (const m of msgs) counts.push(framing(await counter.count(m)));
  let total = REPLY_PRIMING_TOKENS + framing(await counter.count(SYSTEM)) + counts.reduce((a, b) => a + b, 0);
  let first = 0;
  while (total > budget && first < counts.length - 1) total -= counts[first++];
  return { ms: performance.now() - t0, total, kept: msgs.length - first };
}

export async function benchTrimming(options: TrimmingOptions = {}): Promise<TrimmingResult> {
  const n = options.messages ?? 2_000;
  const chars = options.messageChars ?? 600;
  const runs = options.runs ?? 5;
  const turns = options.turns ?? 10;
  const seedTimeLimitMs = options.seedTimeLimitMs ?? 3_000;
  const budgetTokens = promptBudget(MODEL, MAX_REPLY);
  const workerPath = path.resolve(__dirname, '../dist/lazy/tokenCountWorker.js');
  const worker = createWorkerCounter({ workerPath, encoding: MODEL.encoding });
  const counter = countingCounter(worker);
  await counter.count('warm up: the worker loads its encoding once, before anything is timed');
  const tallyCold: Turn[] = [];
  let last = { history: [] as ChatMessage[], text: '', plan: { promptTokens: 0, messages: [] as unknown[] } };
  try {
    const r = await interleaved(runs, {
      tally: async (run): Promise<Turn> => {
        const planner = new RequestPlanner(new Tokenizers({ asyncCounter: () => counter }));
        const all = conversation(n + turns, chars, 10 * run + 1);
        const history = all.slice(0, n - 1);
        const plan = (text: string) =>
          planner.plan({ model: MODEL, systemPrompt: SYSTEM, history, text, maxReplyTokens: MAX_REPLY });
        counter.calls = 0;
        let t = performance.now();
        let p = await plan(all[n - 1].content);
        tallyCold.push({ ms: performance.now() - t, calls: counter.calls, promptTokens: p.promptTokens, kept: 0 });
        counter.calls = 0;
        t = performance.now();
        for (let k = 0; k < turns; k++) {
          // As ChatService does: the turn just sent joins the history with the counts its plan made.
          history.push({ ...all[n - 1 + k], ...(p.newestTokenCounts ? { tokenCounts: p.newestTokenCounts } : {}) });
          p = await plan(all[n + k].content);
        }
        last = { history, text: all[n + turns - 1].content, plan: p };
        const kept = p.messages.length - 1;
        return {
          ms: (performance.now() - t) / turns,
          calls: counter.calls / turns,
          promptTokens: p.promptTokens,
          kept,
        };
      },
      peer: async (run): Promise<Turn> => {
        const all = conversation(n, chars, 10 * run + 2);
        counter.calls = 0;
        const p = await peerTurn(all.slice(0, -1), all[n - 1].content, budgetTokens, counter);
        return { ms: p.ms, calls: counter.calls, promptTokens: p.total, kept: p.kept };
      },
      seed: async (run): Promise<Turn> => {
        const all = conversation(n, chars, 10 * run + 3);
        counter.calls = 0;
        const s = await seedTurn(all.slice(0, -1), all[n - 1].content, budgetTokens, counter, seedTimeLimitMs);
        return { ms: s.ms, calls: counter.calls, promptTokens: s.total, kept: s.kept, capped: s.capped };
      },
    });
    // A capped seed is extrapolated from its own calls: on its p-th pass it counts n - p messages and the system
    // prompt, for p = 0 .. D, D = the messages it must drop (the peer's, on a conversation of the same shape).
    const d = n - median(r.peer.map((t) => t.kept));
    const needCalls = (d + 1) * (n + 1) - (d * (d + 1)) / 2;
    for (const t of r.seed) t.estimateMs = t.capped ? (t.ms / t.calls) * needCalls : t.ms;
    // Same selection: the simple peer, untimed, on the conversation Tally planned last.
    const check = await peerTurn(last.history, last.text, budgetTokens, counter);
    const same = check.total === last.plan.promptTokens && check.kept === last.plan.messages.length - 1;
    return { messages: n, messageChars: chars, budgetTokens, runs, seedTimeLimitMs, tallyCold, ...r, same };
  } finally {
    await worker.dispose();
  }
}

export function trimmingTable(r: TrimmingResult): string {
  const ms = (ts: Turn[], d = 1) =>
    spread(
      ts.map((t) => t.ms),
      d,
    );
  const calls = (ts: Turn[]) => spread(ts.map((t) => t.calls));
  const ratio = (ts: Turn[], key: 'ms' | 'estimateMs' = 'ms') =>
    spread(ts.map((t, i) => (t[key] ?? t.ms) / r.tally[i].ms));
  const capped = r.seed.some((t) => t.capped);
  const ge = capped ? '≥ ' : '';
  const kept = median(r.peer.map((t) => t.kept));
  return [
    `### Trimming per new turn: ${f(r.messages)} messages of ${f(r.messageChars)} fresh characters to gpt-4o's ${f(r.budgetTokens)}-token prompt budget`,
    '',
    `Same worker counter (dist/lazy/tokenCountWorker.js) for all three; ${r.runs} interleaved runs, median (min–max).`,
    '',
    '| algorithm | per new turn (ms) | tokenizer calls per turn | ratio to Tally (same run) |',
    '|---|---:|---:|---:|',
    `| seed: recount all after each pop(0) | ${ge}${ms(r.seed, 0)}${capped ? ` (stopped after the pass that crossed ${f(r.seedTimeLimitMs / 1000)} s; extrapolated ≈ ${spread(r.seed.map((t) => t.estimateMs ?? t.ms))})` : ''} | ${ge}${calls(r.seed)} | ${ge}${ratio(r.seed)}×${capped ? ` (extrapolated ≈ ${ratio(r.seed, 'estimateMs')}×)` : ''} |`,
    `| simple peer: count each message once, drop oldest | ${ms(r.peer, 0)} | ${calls(r.peer)} | ${ratio(r.peer)}× |`,
    `| Tally: RequestPlanner.plan (counts cached on each message) | ${ms(r.tally, 2)} | ${calls(r.tally)} | 1× |`,
    '',
    `Tally's first, uncached plan of the whole conversation: ${ms(r.tallyCold, 0)} ms, ${calls(r.tallyCold)} tokenizer calls (only the messages it visits). ` +
      `Messages sent: ${f(kept)} of ${f(r.messages)} (system prompt and new turn included). ` +
      `Same messages and prompt tokens as the simple peer on Tally's last conversation: ${r.same ? 'yes' : 'NO'}.`,
  ].join('\n');
}

if (require.main === module) void benchTrimming().then((r) => console.log(trimmingTable(r)));
