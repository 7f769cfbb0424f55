// Text no tokenizer has seen before, for benchmarks: every call with a new seed yields different words, identifiers,
// numbers, CJK and emoji, so no cache (in the tokenizer, in Tally) can answer from an earlier iteration. Mixed like a
// chat about code: prose, code lines, a little of other scripts.
import { seededRandom } from '../test/support/seededRandom';

const SYLLABLES = 'ka lo ren ti su mar pel dor vin quo zet ash ul bri cen dra fo gli hum ix jor ky lun mi nox'.split(
  ' ',
);
const CODE = ['const ', 'return ', 'if (', ') {\n', '}\n', ' = ', '.map((x) => ', 'await ', ';\n', '  ', '// ', '=> '];

/** About `chars` characters of fresh mixed text. */
export function freshText(chars: number, seed: number): string {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const word = (): string => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(SYLLABLES)).join('');
  const out: string[] = [];
  let size = 0;
  while (size < chars) {
    const x = r();
    let piece: string;
    if (x < 0.55) piece = `${word()} `;
    else if (x < 0.8)
      piece = `${pick(CODE)}${word()}${r() < 0.5 ? '_' : ''}${r() < 0.3 ? word()[0].toUpperCase() + word() : ''}`;
    else if (x < 0.9) piece = `${Math.floor(r() * 1e6)}${r() < 0.3 ? '.\n' : ', '}`;
    else if (x < 0.97)
      piece = String.fromCodePoint(
        ...Array.from({ length: 2 + Math.floor(r() * 4) }, () => 0x4e00 + Math.floor(r() * 20_000)),
      );
    else piece = String.fromCodePoint(0x1f300 + Math.floor(r() * 700));
    out.push(piece);
    size += piece.length;
  }
  return out.join('');
}
