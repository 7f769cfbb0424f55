import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import {
  ContextBudgetError,
  fitContext,
  fitContextAsync,
  promptBudget,
  TRUNCATION_MARKER,
  truncationNotice,
  type FitResult,
} from '../../src/core/tokens/contextFit';
import { formatTokens } from '../../src/shared/format';
import { MODELS } from '../../src/core/tokens/models';
import { countChatTokens, type CountableMessage } from '../../src/core/tokens/chatFormat';
import { loadEncoding } from '../../src/core/tokens/encodings';
import { slicedCounter } from '../../src/core/tokens/slicing';
import type { TokenCounter } from '../../src/core/tokens/tokenCounter';

let o200k: TokenCounter;
before(async () => {
  o200k = await loadEncoding('o200k_base');
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const WORDS = [
  'the',
  'token',
  'budget',
  'function',
  '{',
  '}',
  'return',
  'x',
  '=',
  '42;',
  '\n',
  'über',
  '東京',
  '😀',
  'café',
  'context',
  'window',
  "it's",
  'trim',
  'oldest',
  'first',
  '//',
  'note:',
  '  ',
  'ABC',
  '\n\n',
];

function text(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]);
  return out.join(' ');
}

/** A counter that counts its calls, over a real one. */
function spy(counter: TokenCounter): TokenCounter & { calls: number } {
  const s = {
    ...counter,
    calls: 0,
    count: (t: string) => {
      s.calls++;
      return counter.count(t);
    },
  };
  return s;
}

/** Recount from scratch (copies without caches): the exact prompt tokens of what fitContext chose. */
const recount = (msgs: CountableMessage[]): number =>
  countChatTokens(
    msgs.map(({ role, content, name }) => (name === undefined ? { role, content } : { role, content, name })),
    o200k,
  );

describe('budget and notice helpers', () => {
  it('budget = context window - reply budget, the reply capped by the model maximum', () => {
    assert.equal(promptBudget(MODELS['gpt-4o'], 4_096), 123_904);
    assert.equal(promptBudget(MODELS['gpt-4-turbo'], 16_000), 128_000 - 4_096);
    assert.equal(promptBudget(MODELS['gpt-4'], 0), 8_192);
  });

  it('formats the truncation notice exactly, with en-US thousands separators', () => {
    assert.equal(truncationNotice('selection', 152_310, 120_000), 'selection truncated from 152,310 to 120,000 tokens');
    assert.equal(truncationNotice('input', 999, 12), 'input truncated from 999 to 12 tokens');
    assert.deepEqual([0, 1_000, 1_234_567].map(formatTokens), ['0', '1,000', '1,234,567']);
  });
});

describe('fitContext invariants (randomized, fixed seed)', () => {
  function check(seed: number): void {
    const r = rng(seed);
    const system: CountableMessage | undefined =
      r() < 0.8 ? { role: 'system', content: text(r, 5 + Math.floor(r() * 30)) } : undefined;
    const history: CountableMessage[] = [];
    for (let i = Math.floor(r() * 40); i > 0; i--) {
      const m: CountableMessage = { role: i % 2 ? 'user' : 'assistant', content: text(r, Math.floor(r() * 80)) };
      if (r() < 0.1) m.name = 'ann_b';
      history.push(m);
    }
    const newest: CountableMessage = { role: 'user', content: text(r, 1 + Math.floor(r() * 60)) };
    const floor = recount([...(system ? [system] : []), newest]);
    const all = recount([...(system ? [system] : []), ...history, newest]);
    const budgetTokens = floor + Math.floor(r() * (all - floor + 20));
    const maxMessages = r() < 0.5 ? 1 + Math.floor(r() * 30) : undefined;
    const snapshot = JSON.stringify(history);

    const res = fitContext({ system, history, newest, budgetTokens, maxMessages, counter: o200k });
    const label = `seed ${seed}`;
    assert.ok(res.promptTokens <= budgetTokens, `${label}: never over budget`);
    assert.equal(res.promptTokens, recount(res.messages), `${label}: exact count`);
    assert.equal(res.truncation, undefined, label);
    const kept = res.messages.length - 1 - (system ? 1 : 0);
    if (system) assert.equal(res.messages[0], system, `${label}: system kept first`);
    assert.equal(res.messages.at(-1), newest, `${label}: newest kept last`);
    assert.deepEqual(
      res.messages.slice(system ? 1 : 0, -1),
      history.slice(history.length - kept),
      `${label}: a contiguous, ordered suffix`,
    );
    assert.ok(
      res.messages.slice(system ? 1 : 0, -1).every((m, i) => m === history[history.length - kept + i]),
      label,
    );
    assert.equal(res.droppedCount, history.length - kept, label);
    if (maxMessages !== undefined) assert.ok(kept + 1 <= maxMessages, `${label}: maxMessages`);
    if (kept < history.length && (maxMessages === undefined || kept + 1 < maxMessages)) {
      const next = recount([history[history.length - kept - 1]]) - 3;
      assert.ok(res.promptTokens + next > budgetTokens, `${label}: stops only when the next message does not fit`);
    }
    assert.equal(
      JSON.stringify(history.map(({ tokenCounts: _, ...m }) => m)),
      JSON.stringify(JSON.parse(snapshot)),
      `${label}: input unchanged`,
    );
  }

  it('holds on 300 random conversations', () => {
    for (let seed = 1; seed <= 300; seed++) check(seed);
  });

  it('maxMessages 1 sends only the system prompt and the newest message', () => {
    const history = [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
    ];
    const res = fitContext({
      system: { role: 'system', content: 's' },
      history,
      newest: { role: 'user', content: 'c' },
      budgetTokens: 1_000,
      maxMessages: 1,
      counter: o200k,
    });
    assert.deepEqual(
      res.messages.map((m) => m.content),
      ['s', 'c'],
    );
    assert.equal(res.droppedCount, 2);
  });
});

describe('truncating an input that cannot fit', () => {
  const big = (): CountableMessage => ({ role: 'user', content: `Explain this:\n${text(rng(99), 30_000)}` });

  it('keeps the start, marks the cut, stays within budget and says so', () => {
    const system = { role: 'system', content: 'You are terse.' };
    const history = [{ role: 'user', content: 'earlier' }];
    const newest = big();
    const original = newest.content;
    const fromTokens = o200k.count(original);
    const budgetTokens = 5_000;
    const res = fitContext({ system, history, newest, budgetTokens, counter: o200k, inputLabel: 'selection' });

    assert.ok(res.truncation);
    const sent = res.messages.at(-1)!;
    assert.ok(sent.content.endsWith(TRUNCATION_MARKER));
    const kept = sent.content.slice(0, -TRUNCATION_MARKER.length);
    assert.ok(original.startsWith(kept) && kept.length > 0);
    assert.equal(res.truncation.fromTokens, fromTokens);
    assert.equal(res.truncation.toTokens, o200k.count(kept));
    assert.equal(
      res.truncation.notice,
      `selection truncated from ${formatTokens(fromTokens)} to ${formatTokens(o200k.count(kept))} tokens`,
    );
    assert.ok(res.promptTokens <= budgetTokens);
    assert.ok(res.promptTokens >= budgetTokens - 10, `uses the budget: ${res.promptTokens}`);
    assert.equal(res.promptTokens, recount(res.messages), 'exact');
    assert.deepEqual([res.messages[0], res.droppedCount], [system, 1]);
    assert.equal(newest.content, original, 'the stored message is not modified');
  });

  it('reports a system prompt that leaves no room at all', () => {
    assert.throws(
      () =>
        fitContext({
          system: { role: 'system', content: text(rng(1), 400) },
          history: [],
          newest: big(),
          budgetTokens: 50,
          counter: o200k,
        }),
      ContextBudgetError,
    );
  });
});

describe('linear behaviour on 2,000 messages', () => {
  function conversation(n: number): {
    system: CountableMessage;
    history: CountableMessage[];
    newest: CountableMessage;
  } {
    const r = rng(n);
    const history = Array.from({ length: n - 2 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: text(r, 20),
    }));
    return { system: { role: 'system', content: 'sys' }, history, newest: { role: 'user', content: 'newest?' } };
  }

  it('counts each message once: 2,000 calls for the first fit, 1 for the next turn', () => {
    const c = spy(o200k);
    const conv = conversation(2_000);
    const first = fitContext({ ...conv, budgetTokens: 10_000_000, counter: c });
    assert.equal(first.messages.length, 2_000);
    assert.equal(c.calls, 2_000);

    c.calls = 0;
    const turn2 = { ...conv, history: [...conv.history, conv.newest], newest: { role: 'user', content: 'and now?' } };
    const next = fitContext({ ...turn2, budgetTokens: 10_000_000, counter: c });
    assert.equal(c.calls, 1);
    assert.equal(next.messages.length, 2_001);

    c.calls = 0;
    const tight = fitContext({ ...turn2, budgetTokens: 3_000, counter: c });
    assert.equal(c.calls, 0, 'a smaller budget only walks fewer cached messages');
    assert.ok(tight.droppedCount > 1_800 && tight.promptTokens <= 3_000);
  });

  it('visits only what it keeps: a cold fit under a small budget counts kept + 1 + system + newest', () => {
    const c = spy(o200k);
    const res = fitContext({ ...conversation(2_000), budgetTokens: 2_000, counter: c });
    const keptHistory = res.messages.length - 2;
    assert.equal(c.calls, keptHistory + 1 + 2);
  });

  it('work grows linearly: 16 times the history costs 16 times the counting and reading, not 16²', () => {
    // Work is counted, not timed (a wall-clock ratio failed on a loaded machine): characters handed to the counter,
    // counter calls, and every read of a history slot or a message property (through proxies).
    const work = (n: number) => {
      const w = { calls: 0, chars: 0, reads: 0 };
      const counter: TokenCounter = {
        encoding: 'o200k_base',
        count: (t) => (w.calls++, (w.chars += t.length), Math.ceil(t.length / 4)),
        truncate: (t, max) => t.slice(0, max * 4),
      };
      const watch = <T extends object>(o: T): T =>
        new Proxy(o, { get: (target, key, receiver) => (w.reads++, Reflect.get(target, key, receiver)) });
      const conv = conversation(n); // fresh messages: no cached counts
      const all = [conv.system, ...conv.history, conv.newest];
      const contentChars = all.reduce((sum, m) => sum + m.content.length, 0);
      const history = watch(conv.history.map(watch));
      const res = fitContext({ ...conv, history, budgetTokens: 1e12, counter });
      assert.equal(res.messages.length, n, 'everything fits');
      return { ...w, contentChars };
    };
    const small = work(1_000);
    const large = work(16_000);
    for (const w of [small, large]) {
      assert.equal(w.calls, w === small ? 1_000 : 16_000, 'each message is counted once');
      assert.equal(w.chars, w.contentChars, 'each character is counted once');
    }
    const total = (w: typeof small): number => w.chars + w.calls + w.reads;
    // Linear: ~16x over a 16x span; quadratic: ~256x. Allow twice linear.
    assert.ok(
      total(large) / total(small) <= 32,
      `1k: ${JSON.stringify(small)}, 16k: ${JSON.stringify(large)} (ratio ${(total(large) / total(small)).toFixed(1)})`,
    );
    assert.ok(
      large.reads / small.reads <= 32,
      `reads of history slots and message properties: 1k ${small.reads}, 16k ${large.reads}`,
    );
  });
});

describe('fitContextAsync', () => {
  it('gives the same result as fitContext, without blocking', async () => {
    const r = rng(5);
    const mk = (): { history: CountableMessage[]; newest: CountableMessage } => ({
      history: Array.from({ length: 300 }, (_, i) => ({
        role: i % 2 ? 'assistant' : 'user',
        content: text(rng(i), 50),
      })),
      newest: { role: 'user', content: text(r, 40_000) },
    });
    const strip = (x: FitResult<CountableMessage>): unknown => ({ ...x, messages: x.messages.map((m) => m.content) });
    for (const budgetTokens of [1_000_000, 8_000, 3_000]) {
      const a = mk();
      const b = { ...a, history: a.history.map((m) => ({ ...m })), newest: { ...a.newest } };
      const sync = fitContext({ ...a, budgetTokens, counter: o200k, inputLabel: 'selection' });
      const async = await fitContextAsync({
        ...b,
        budgetTokens,
        counter: slicedCounter(o200k),
        inputLabel: 'selection',
      });
      if (sync.truncation) {
        // Slices are sized by measured time, so the cut may land a token apart; both are exact and within budget.
        assert.ok(async.truncation && async.promptTokens <= budgetTokens);
        assert.equal(async.promptTokens, recount(async.messages));
        assert.equal(async.truncation.fromTokens, sync.truncation.fromTokens);
        assert.ok(Math.abs(async.truncation.toTokens - sync.truncation.toTokens) <= 2);
      } else {
        assert.deepEqual(strip(async), strip(sync));
      }
    }
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      fitContextAsync({
        history: [],
        newest: { role: 'user', content: text(rng(2), 5_000) },
        budgetTokens: 100,
        counter: slicedCounter(o200k),
        signal: ac.signal,
      }),
      { name: 'AbortError' },
    );
  });
});
