// Money and token counts as Tally shows them, in every place: the panel, the status bar and its tooltip, budget
// messages, the usage report and its CSV, and the conversation export. Pure (Intl and @vscode/l10n only: no Node,
// no DOM), so both the extension host and the webview import it. Grouping and decimals follow the display language
// (displayLocale.ts); the amounts stay US dollars ("$"), because the price table is in USD.
//
// Common to every place: an unknown price is "price unknown", never $0; a cost above zero is never shown as zero
// (below the place's precision it is "<$0.01", "<$0.0001"); dollars are grouped ("$1,234.50"); from a dollar up,
// always cents. The precision below a dollar is chosen per place, on purpose:
// - formatUsd (totals: status bar, tooltip, usage report, chart): cents. "$0.23", "<$0.01". A day's spend does not
//   need more, and a total of many tiny requests still shows it is not zero.
// - formatReplyUsd (one reply, one request's estimate: the panel, the export): two significant digits, at least
//   cents: "$0.0031", "$0.044", "$0.50", "<$0.0001". Replies cost fractions of a cent; cents would show them all
//   as "<$0.01" and could not tell a cheap model from a dear one.
// - budgetUsdFormatter(limit) (budget messages): cents, unless the limit itself is below a cent; then the limit,
//   the spend and the request's cost are all shown with the decimals that show the limit to two significant
//   digits ("Daily budget $0.005 … may cost up to $0.0031"), so the numbers can be compared at a glance.
// - plainNumber (the CSV): machine-readable, no grouping, no exponent, no "$".

import * as l10n from '@vscode/l10n';
import { displayLocale } from './displayLocale';

/** What an unknown price reads as, in the display language (a function: the bundle is loaded after this module). */
export function priceUnknown(): string {
  return l10n.t('price unknown');
}

const MAX_DECIMALS = 10;
// Made on first use, not at load (the first Intl formatter of a process loads ICU data, ~75 ms in Node), and one per
// display locale and options: a change of language gets its own formatters instead of the first language's forever.
const formatters = new Map<string, Intl.NumberFormat>();

/** The Intl number format for the display language and `options`, made once per locale and `key` (which names the options). */
export function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = displayLocale();
  const id = `${locale}|${key}`;
  let f = formatters.get(id);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formatters.set(id, f);
  }
  return f;
}

function moneyFormat(minDecimals: number, maxDecimals: number): Intl.NumberFormat {
  return numberFormat(`money:${minDecimals}:${maxDecimals}`, {
    minimumFractionDigits: minDecimals,
    maximumFractionDigits: maxDecimals,
  });
}

/**
 * `usd` with `maxDecimals` decimals at most (and cents at least); a positive amount that would round to zero at that
 * precision is `<$0.01` (2 decimals), `<$0.0001` (4), …; `price unknown` for undefined or NaN.
 */
export function formatUsdTo(usd: number | undefined, maxDecimals: number): string {
  if (usd === undefined || Number.isNaN(usd)) return priceUnknown();
  if (usd < 0) return `-${formatUsdTo(-usd, maxDecimals)}`;
  const decimals = Math.min(MAX_DECIMALS, Math.max(2, Math.round(maxDecimals)));
  const smallest = 10 ** -decimals;
  if (usd > 0 && usd < smallest) return `<$${moneyFormat(decimals, decimals).format(smallest)}`;
  return `$${moneyFormat(2, decimals).format(usd)}`;
}

/** Decimals that show `usd` (below a dollar) to two significant digits: 0.0031 → 4, 0.044 → 3, 0.5 → 2. */
function decimalsFor(usd: number): number {
  if (!(usd > 0) || usd >= 0.1) return 2;
  return Math.min(MAX_DECIMALS, 1 - Math.floor(Math.log10(usd)));
}

/** Totals (cents): `$0.23`, `$1,234.50`, `$0.00`, `<$0.01` for any cost below a cent, `price unknown` for undefined. */
export function formatUsd(usd: number | undefined): string {
  return formatUsdTo(usd, 2);
}

/** One reply or one request (two significant digits below a dollar): `$0.0031`, `$0.044`, `$0.50`, `<$0.0001`. */
export function formatReplyUsd(usd: number | undefined): string {
  if (usd === undefined || Number.isNaN(usd)) return priceUnknown();
  const abs = Math.abs(usd);
  if (abs > 0 && abs < 0.0001) return formatUsdTo(usd, 4);
  return formatUsdTo(usd, abs >= 1 ? 2 : decimalsFor(abs));
}

/** The formatter for every amount of one budget message: cents, or the decimals a limit below a cent needs. */
export function budgetUsdFormatter(limitUsd: number): (usd: number | undefined) => string {
  const decimals = limitUsd > 0 && limitUsd < 0.01 ? decimalsFor(limitUsd) : 2;
  return (usd) => formatUsdTo(usd, decimals);
}

/** A token count in full, grouped: `0`, `1,000`, `1,234,567`. */
export function formatTokens(n: number): string {
  return numberFormat('int', { maximumFractionDigits: 0 }).format(n);
}

const UNITS: readonly [string, number][] = [
  ['k', 1e3],
  ['M', 1e6],
  ['B', 1e9],
];

/** A token count in short (status bar, tooltip, report): `950`, `12.4k`, `123k`, `1.2M`; `.0` dropped. */
export function formatTokensShort(tokens: number): string {
  if (!Number.isFinite(tokens)) return '?';
  if (tokens < 0) return `-${formatTokensShort(-tokens)}`;
  const n = Math.round(tokens);
  if (n < 1000) return String(n);
  for (let i = 0; i < UNITS.length; i++) {
    const [suffix, size] = UNITS[i];
    const v = n / size;
    const digits = v < 100 ? 1 : 0;
    const rounded = Number(v.toFixed(digits));
    if (rounded >= 1000 && i < UNITS.length - 1) continue;
    return `${numberFormat('short', { maximumFractionDigits: 1, useGrouping: false }).format(rounded)}${suffix}`;
  }
  return String(n);
}

/** A number as plain decimal text (CSV): no exponent, no grouping, at most 10 decimals, trailing zeros dropped; the
 *  same in every display language, so the file stays machine-readable. */
export function plainNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  const s = x.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The Intl date format for the display language and `options`, made once per locale and `key` (which names the options). */
export function dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = displayLocale();
  const id = `${locale}|${key}`;
  let f = dateFormatters.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateFormatters.set(id, f);
  }
  return f;
}

/** A time of day on the 24-hour clock, with seconds, in the display language: `14:05:09`. */
export function formatTimeOfDay(epochMs: number): string {
  return dateFormat('time', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(epochMs);
}

/** A moment as a short date and time in the display language: `Jun 15, 02:05 PM`, `6月15日 14:05`. */
export function formatDateTime(epochMs: number): string {
  return dateFormat('dateTime', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/** Sentences as one text: a space after an English full stop, none after a full-width one (。！？: Chinese). Decided by
 *  each sentence's own end, so a notice mixing languages (an English provider message in a Chinese UI) reads right. */
export function joinSentences(sentences: readonly string[]): string {
  let out = '';
  for (const s of sentences) {
    if (!s) continue;
    out = out === '' || /[。！？]$/.test(out) ? out + s : `${out} ${s}`;
  }
  return out;
}
