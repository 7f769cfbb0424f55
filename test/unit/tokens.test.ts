import { strict as assert } from 'node:assert';
import { COOKBOOK_TOTALS, cookbookExample } from '../support/cookbookExample';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTiktokenReference } from '../support/tiktokenReference';
import type { Encoding } from '../../src/core/tokens/models';
import { createWorkerCounter } from '../../src/core/tokens/tokenCountWorker';
import { countChatTokens, countMessageTokens, type CountableMessage } from '../../src/core/tokens/chatFormat';
import { loadEncoding } from '../../src/core/tokens/encodings';
import {
  countSteps,
  isSafeCut,
  runSteps,
  runStepsAsync,
  slicedCounter,
  truncateSteps,
} from '../../src/core/tokens/slicing';
import type { TokenCounter } from '../../src/core/tokens/tokenCounter';
import { Tokenizers } from '../../src/core/tokens/tokenizers';

const counters = {} as Record<Encoding, TokenCounter>;
/** js-tiktoken: an independent implementation the shipped engine (gpt-tokenizer) is checked against. */
let reference: TokenCounter;
const referenceO200k = (text: string) => reference.count(text);
before(async () => {
  counters.o200k_base = await loadEncoding('o200k_base');
  counters.cl100k_base = await loadEncoding('cl100k_base');
  reference = await loadTiktokenReference('o200k_base');
});

/** Deterministic pseudo-random numbers (LCG), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A realistic mixed text: code, prose, markdown, unicode, odd whitespace. */
function corpus(chars: number, seed = 7): string {
  const r = rng(seed);
  const parts = [
    'function add(a: number, b: number): number {\n  return a + b; // sum\n}\n',
    "The quick brown fox jumps over the lazy dog. It's what they're doing, isn't it?\n",
    '## Heading\n\n- item one\n- item two\n\n```ts\nconst x = { "key": [1, 2, 3] };\n```\n',
    'Prüfung der Größe: naïve café, 東京タワー, お誕生日おめでとう, Привет мир, مرحبا 😀🎉\n',
    '\tindented\t\ttabs   and   spaces  \r\n\r\n\n\n',
    '/* block */ //comment\n/path/to/file.ts:12:5 https://example.com/a?b=c&d=e\n',
    'SELECT id, name FROM users WHERE age > 30 ORDER BY name;\n1234567890 3.14159 1e-9 0xFF\n',
    '<|endoftext|> literal special-token text in user content\n',
  ];
  let out = '';
  while (out.length < chars) out += parts[Math.floor(r() * parts.length)];
  return out.slice(0, chars);
}

describe('published tiktoken examples (OpenAI cookbook "How to count tokens with tiktoken")', () => {
  const cases: Array<[string, number, number]> = [
    // text, cl100k_base, o200k_base
    ['tiktoken is great!', 6, 6],
    ['antidisestablishmentarianism', 6, 6],
    ['2 + 2 = 4', 7, 7],
    ['お誕生日おめでとう', 9, 8],
  ];
  for (const [text, cl100k, o200k] of cases) {
    it(`${JSON.stringify(text)}: cl100k_base ${cl100k}, o200k_base ${o200k}`, () => {
      assert.equal(counters.cl100k_base.count(text), cl100k);
      assert.equal(counters.o200k_base.count(text), o200k);
      assert.equal(referenceO200k(text), o200k, 'o200k_base checked independently against js-tiktoken');
    });
  }

  it('o200k_base counts equal js-tiktoken on a mixed corpus (independent implementation)', () => {
    const text = corpus(60_000).replaceAll('<|endoftext|>', '<endoftext>');
    assert.equal(counters.o200k_base.count(text), referenceO200k(text));
    for (const line of text.split('\n').slice(0, 300))
      assert.equal(counters.o200k_base.count(line), referenceO200k(line));
  });

  it('counts special-token text in content as ordinary text instead of throwing', () => {
    assert.ok(counters.o200k_base.count('a <|endoftext|> b') > 3);
    assert.ok(counters.cl100k_base.count('<|endoftext|>') > 1);
  });
});

describe('chat format', () => {
  const example = (): CountableMessage[] => cookbookExample();

  it('equals the API-reported prompt tokens of the cookbook example', () => {
    assert.equal(countChatTokens(example(), counters.cl100k_base), COOKBOOK_TOTALS.cl100k_base);
    assert.equal(countChatTokens(example(), counters.o200k_base), COOKBOOK_TOTALS.o200k_base);
  });

  it('is 3 per message + role + content, name + 1, plus 3 for the reply priming', () => {
    const c = counters.o200k_base;
    assert.equal(countMessageTokens({ role: 'user', content: 'tiktoken is great!' }, c), 3 + 1 + 6);
    assert.equal(
      countMessageTokens({ role: 'user', name: 'ann', content: 'tiktoken is great!' }, c),
      3 + 1 + 6 + c.count('ann') + 1,
    );
    assert.equal(countChatTokens([], c), 3);
    assert.equal(countChatTokens([{ role: 'user', content: '' }], c), 3 + 1 + 3);
  });

  it('roles assumed to be one token are one token in both encodings', () => {
    for (const role of ['system', 'user', 'assistant', 'developer', 'tool']) {
      assert.equal(counters.o200k_base.count(role), 1, role);
      assert.equal(counters.cl100k_base.count(role), 1, role);
    }
    assert.equal(
      countMessageTokens({ role: 'function', content: 'x' }, counters.o200k_base),
      3 + counters.o200k_base.count('function') + 1,
    );
  });

  it('caches per message and encoding: recounting a history makes no tokenizer call', () => {
    const calls: string[] = [];
    const spy: TokenCounter = {
      ...counters.o200k_base,
      count: (t) => {
        calls.push(t);
        return counters.o200k_base.count(t);
      },
    };
    const history = example();
    const first = countChatTokens(history, spy);
    assert.equal(calls.length, history.length + 4, 'one call per content, one per name');
    calls.length = 0;
    assert.equal(countChatTokens(history, spy), first);
    assert.equal(calls.length, 0);
    assert.equal(history[0].tokenCounts?.o200k_base, 3 + 1 + counters.o200k_base.count(history[0].content));
    assert.equal(history[0].tokenCounts?.cl100k_base, undefined, 'keyed by encoding');
    countChatTokens(history, counters.cl100k_base);
    assert.equal(countChatTokens(history, counters.cl100k_base), 129);
  });
});

describe('safe cuts: slicing never changes a count', () => {
  it('a naive cut can change the count ("\\n\\n" is one token)', () => {
    const c = counters.o200k_base;
    assert.equal(c.count('x\n\ny'), 3);
    assert.equal(c.count('x\n') + c.count('\ny'), 4);
    assert.equal(isSafeCut('x\n\ny', 2), false);
  });

  for (const enc of ['o200k_base', 'cl100k_base'] as const) {
    it(`${enc}: count(a) + count(b) === count(a + b) at every safe cut of adversarial random texts`, () => {
      const c = counters[enc];
      const alphabet = [
        '\n',
        '\n',
        ' ',
        '  ',
        '\r\n',
        '/',
        "'",
        's',
        're',
        'A',
        'a',
        'Zz',
        '1',
        '23',
        '.',
        ',',
        'é',
        '日本',
        '\t',
        '\u00a0',
        '\u0301',
        '😀',
        '{',
        '"',
        '<|endoftext|>',
        'll',
        'hello',
        'World',
        '//',
        '*/',
        '\n/',
      ];
      const r = rng(enc.length);
      let checked = 0;
      for (let i = 0; i < 250; i++) {
        let s = '';
        for (let j = 5 + Math.floor(r() * 40); j > 0; j--) s += alphabet[Math.floor(r() * alphabet.length)];
        const whole = c.count(s);
        for (let p = 1; p < s.length; p++) {
          if (!isSafeCut(s, p)) continue;
          checked++;
          assert.equal(c.count(s.slice(0, p)) + c.count(s.slice(p)), whole, `${JSON.stringify(s)} cut at ${p}`);
        }
      }
      assert.ok(checked > 1000, `checked ${checked} cuts`);
    });

    it(`${enc}: sliced count equals the one-shot count on a realistic corpus`, async () => {
      const c = counters[enc];
      const text = corpus(200_000, 11);
      const oneShot = c.count(text);
      assert.equal(runSteps(countSteps(text, c, { sliceMs: 0.5 })), oneShot);
      assert.equal(await slicedCounter(c).count(text), oneShot);
    });
  }

  it('slices are short: each step of a sliced count or truncation stays well under 16 ms', () => {
    // Simulated time, not the wall clock (a loaded CI machine would make any real bound flaky): the counter advances
    // a fake clock by a cost per character (non-ASCII 3x dearer, as CJK and emoji are, with a deterministic ±40%
    // jitter per call for a noisy machine), and the slicer measures with that clock. Each step's simulated cost must
    // stay under the 16 ms frame budget and the slices must settle near their 4 ms target.
    const real = counters.o200k_base;
    const jitter = rng(5);
    let time = 0;
    const cost = (t: string): number => {
      let units = 0;
      for (let i = 0; i < t.length; i++) units += t.charCodeAt(i) < 128 ? 1 : 3;
      return units * 0.005 * (0.6 + 0.8 * jitter()); // ~200 ASCII characters per ms
    };
    const c: TokenCounter = {
      encoding: real.encoding,
      count: (t) => ((time += cost(t)), real.count(t)),
      truncate: (t, max) => ((time += cost(t)), real.truncate(t, max)),
    };
    const options = { now: () => time };
    const text = corpus(300_000, 3);
    const n = real.count(text);
    const runs = {
      count: countSteps(text, c, options),
      truncate: truncateSteps(text, Math.floor(n / 2), '\n…[truncated]', c, options),
    };
    for (const [what, steps] of Object.entries(runs)) {
      const durations: number[] = [];
      for (let done = false; !done;) {
        const t0 = time;
        done = steps.next().done === true;
        durations.push(time - t0);
      }
      const longest = Math.max(...durations);
      const sorted = [...durations].sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1];
      assert.ok(durations.length > 20, `${what}: ${durations.length} slices`);
      assert.ok(longest <= 16, `${what}: longest step ${longest.toFixed(1)} simulated ms`);
      assert.ok(median >= 2 && median <= 6, `${what}: median step ${median.toFixed(1)} simulated ms, target 4`);
    }
    assert.equal(runSteps(countSteps(text, c, options)), n, 'the simulated clock does not change the count');
  });

  it('sliced counting lets the event loop run between slices', async () => {
    const c = counters.o200k_base;
    const text = corpus(200_000, 4);
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const n = await slicedCounter(c).count(text);
    ticking = false;
    assert.equal(n, c.count(text));
    assert.ok(ticks > 10, `the event loop ran ${ticks} times`);
  });

  it('aborting a sliced count stops it with the abort reason', async () => {
    const ac = new AbortController();
    const p = slicedCounter(counters.o200k_base).count(corpus(300_000), ac.signal);
    ac.abort();
    await assert.rejects(p, { name: 'AbortError' });
    await assert.rejects(runStepsAsync(countSteps('x', counters.o200k_base), ac.signal), { name: 'AbortError' });
  });
});

describe('truncation at a token boundary', () => {
  const suffix = '\n…[truncated]';
  for (const enc of ['o200k_base', 'cl100k_base'] as const) {
    it(`${enc}: keeps a prefix whose exact count (with the suffix) is within the limit`, () => {
      const c = counters[enc];
      const text = corpus(120_000, 5);
      const total = c.count(text);
      for (const limit of [10, 17, 100, 999, 5_000, total - 1]) {
        const t = runSteps(truncateSteps(text, limit, suffix, c, { sliceMs: 1 }));
        assert.ok(t.truncated);
        assert.ok(text.startsWith(t.text), 'a prefix of the original');
        assert.equal(t.tokens, c.count(t.text + suffix), 'exact total');
        assert.equal(t.prefixTokens, c.count(t.text), 'exact prefix count');
        assert.ok(t.tokens <= limit, `${t.tokens} <= ${limit}`);
        if (limit > 50) assert.ok(t.tokens >= limit - 12, `uses the room: ${t.tokens} of ${limit}`);
      }
      const none = runSteps(truncateSteps(text, 2, suffix, c));
      assert.deepEqual(
        none,
        { text: '', tokens: c.count(suffix), prefixTokens: 0, truncated: true },
        'not even the suffix fits',
      );
      const whole = runSteps(truncateSteps(text, total + 10, suffix, c));
      assert.equal(whole.text, text);
      assert.deepEqual([whole.truncated, whole.prefixTokens, whole.tokens], [false, total, c.count(text + suffix)]);
    });
  }

  it('never splits a multi-byte character', () => {
    const c = counters.o200k_base;
    const text = '😀🎉東京タワー'.repeat(50);
    for (let limit = 1; limit < 40; limit++) {
      const t = runSteps(truncateSteps(text, limit, '', c));
      assert.ok(text.startsWith(t.text) && !t.text.includes('\uFFFD'));
      assert.ok(t.tokens <= limit);
    }
  });
});

describe('lazy loading', () => {
  it('loads each encoding once, on first use, and retries a failed load', async () => {
    const loads: Encoding[] = [];
    let fail = true;
    const tk = new Tokenizers({
      load: async (enc) => {
        loads.push(enc);
        if (fail) throw new Error('boom');
        return counters[enc];
      },
    });
    const lazy = tk.asyncCounter('o200k_base');
    assert.equal(tk.isLoaded('o200k_base'), false, 'making the async counter loads nothing');
    assert.equal(tk.isLoaded('o200k_base'), false);
    await assert.rejects(tk.get('o200k_base'), /boom/);
    fail = false;
    const [a, b] = await Promise.all([tk.get('o200k_base'), tk.get('o200k_base')]);
    assert.equal(a, b);
    assert.equal(await tk.countAsync('tiktoken is great!', 'o200k_base'), 6);
    assert.equal((await lazy.truncate('tiktoken is great!', 2)).text, 'tikt');
    assert.deepEqual(loads, ['o200k_base', 'o200k_base']);
    assert.equal(tk.isLoaded('cl100k_base'), false);
  });

  it('importing the token modules loads no tokenizer library (gpt-tokenizer or js-tiktoken)', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        ['tokenizers', 'encodings', 'chatFormat', 'slicing', 'contextFit', 'tokenCountWorker']
          .map((m) => `require('./src/core/tokens/${m}');`)
          .join(' ') +
          "console.log(Object.keys(require.cache).filter((k) => k.includes('gpt-tokenizer') || k.includes('js-tiktoken')).length)",
      ],
      { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' },
    );
    assert.equal(out.trim(), '0');
  });
});

describe('worker counter', () => {
  const workerPath = path.resolve(__dirname, '../../src/core/tokens/tokenCountWorker.ts');
  const worker = createWorkerCounter({ workerPath, encoding: 'cl100k_base', preload: 'tsx/cjs' });
  after(() => worker.dispose());

  it('counts and truncates exactly like the in-thread counter', async () => {
    const text = corpus(50_000, 9);
    assert.equal(await worker.count('tiktoken is great!'), 6);
    assert.equal(await worker.count(text), counters.cl100k_base.count(text));
    const t = await worker.truncate(text, 1_000, '\n…[truncated]');
    assert.ok(t.truncated && text.startsWith(t.text) && t.tokens <= 1_000);
    assert.equal(t.tokens, counters.cl100k_base.count(`${t.text}\n…[truncated]`));
  });

  it('plugs into Tokenizers as its non-blocking counter', async () => {
    const tk = new Tokenizers({
      load: () => Promise.reject(new Error('must not load on this thread')),
      asyncCounter: (encoding) => createWorkerCounter({ workerPath, encoding, preload: 'tsx/cjs' }),
    });
    assert.equal(await tk.countAsync('お誕生日おめでとう', 'o200k_base'), 8);
    assert.equal(tk.isLoaded('o200k_base'), false);
    await tk.dispose();
  });

  it('rejects an aborted request and keeps serving', async () => {
    const ac = new AbortController();
    const p = worker.count(corpus(100_000), ac.signal);
    ac.abort();
    await assert.rejects(p, { name: 'AbortError' });
    assert.equal(await worker.count('2 + 2 = 4'), 7);
  });
});
