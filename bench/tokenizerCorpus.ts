// Texts for the counting bench (bench/tokenizers.ts): each case makes fresh text per run from a seed, so no engine
// is timed on pieces it has already merged (gpt-tokenizer caches merged pieces).

/** Deterministic pseudo-random numbers (LCG). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const CODE = [
  'export function fitContext(options: FitOptions): FitResult {\n  const budget = options.budgetTokens;\n',
  '  for (let i = history.length - 1; i >= 0; i--) {\n    if (total + counts[i] > budget) break;\n  }\n',
  'def num_tokens(messages, model="gpt-4o"):\n    enc = tiktoken.encoding_for_model(model)\n    return sum(len(enc.encode(m)) for m in messages)\n',
  '<div class="panel" data-id="42"><span>{{ message.content }}</span></div>\n',
  'SELECT u.id, COUNT(*) AS n FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id HAVING n > 3;\n',
];
const PROSE = [
  'The quick brown fox jumps over the lazy dog, and then it rests for a while under the old oak tree. ',
  "It's not that the budget was exceeded; it's that nobody could see it happening until the invoice arrived. ",
  'Tokens are not words: a long identifier may cost five of them, while a common word costs one. ',
  '\n\n## Notes\n\n- First point.\n- Second point, with `inline code` and a [link](https://example.com/a?b=1).\n\n',
];
const OTHER = ['Größenänderung für naïve Café-Besucher. ', 'Привет, как дела? ', 'مرحبا بالعالم ', 'नमस्ते दुनिया '];
const EMOJI = ['👨‍👩‍👧‍👦', '🏳️‍🌈', '👍🏽', '🧑‍💻', '❤️‍🔥', '🇫🇷', '😀', '🎉', ' ', 'ok '];
const CJK = ['東京タワーの高さは333メートルです。', 'お誕生日おめでとう！', '中文字符测试，', '한국어 텍스트입니다. '];

/** Rotates ASCII letters by `k` (a Caesar shift): the same shape of text with different pieces. */
export function caesar(text: string, k: number): string {
  return text.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(base + ((c.charCodeAt(0) - base + k) % 26));
  });
}

function pick(pools: Array<[number, string[]]>, chars: number, seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  let size = 0;
  while (size < chars) {
    const x = r();
    const pool = (pools.find(([p]) => x < p) ?? pools[pools.length - 1])[1];
    const piece = pool[Math.floor(r() * pool.length)];
    // Digits and a rotation vary the pieces, so each run's text is new to the engines' caches.
    const fresh = r() < 0.3 ? `${piece}${Math.floor(r() * 1e6)} ` : caesar(piece, Math.floor(r() * 26));
    out.push(fresh);
    size += fresh.length;
  }
  return out.join('').slice(0, chars);
}

/** ~`chars` of mixed text: about half code, a third prose, the rest other scripts. */
export const mixedCorpus = (chars: number, seed: number): string =>
  pick(
    [
      [0.5, CODE],
      [0.83, PROSE],
      [1, OTHER],
    ],
    chars,
    seed,
  );

export const prose = (chars: number, seed: number): string => pick([[1, PROSE]], chars, seed);

export interface Case {
  name: string;
  /** The text for run `seed` (0: a sample for its length). */
  text(seed: number): string;
  /** Why js-tiktoken is not run on it, if it is not. */
  skipReference?: string;
}

const randomLetters = (n: number, seed: number): string => {
  const r = rng(seed);
  return Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(r() * 26))).join('');
};
const randomWhitespace = (n: number, seed: number): string => {
  const r = rng(seed);
  // Mostly spaces with some tabs: one piece for the regex (no newline), different on every run.
  return Array.from({ length: n }, () => (r() < 0.95 ? ' ' : '\t')).join('');
};
const QUADRATIC = 'its merge is quadratic on one long piece (10,000 spaces took 8-10 s, issue #12)';

export function CASES(minified: string): Case[] {
  return [
    { name: 'mixed code + prose', text: (s) => mixedCorpus(1_000_000, s) },
    { name: 'prose', text: (s) => prose(100_000, s) },
    { name: 'emoji / ZWJ', text: (s) => pick([[1, EMOJI]], 100_000, s) },
    { name: 'CJK', text: (s) => pick([[1, CJK]], 100_000, s) },
    {
      name: 'digits',
      text: (s) => Array.from({ length: 20_000 }, (_, i) => String((i * 7919 + s) % 100_000)).join(' '),
    },
    { name: 'minified bundle', text: (s) => caesar(minified, s) },
    { name: '100,000 whitespace', text: (s) => randomWhitespace(100_000, s), skipReference: QUADRATIC },
    { name: '100,000 letters, no spaces', text: (s) => randomLetters(100_000, s), skipReference: QUADRATIC },
  ];
}
