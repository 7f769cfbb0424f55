// Numbers, durations, shares and times as the API health report, the degraded-API notice and the status bar's health
// lines show them: in the display language (Intl with displayLocale(), units through l10n.t). "–" is a figure with
// nothing to measure. Counts are formatted as the usage report's (usageText.ts).
import * as l10n from '@vscode/l10n';
import { displayLocale } from '../../shared/displayLocale';
import { formatDateTime } from '../../shared/format';
import { formatCount, formatDay } from '../usage/usageText';
import type { TimeBucket } from './healthStats';

export const NONE = '–';
export { formatCount };

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: (locale: string) => T): T {
  const locale = displayLocale();
  let f = formats.get(`${locale}|${key}`);
  if (!f) {
    f = make(locale);
    formats.set(`${locale}|${key}`, f);
  }
  return f as T;
}

/** A share 0..1 as a percentage with at most one decimal: `33.3%`, `50%`; "–" for undefined. */
export function formatPercent(x: number | undefined, maxDecimals = 1): string {
  if (x === undefined || !Number.isFinite(x)) return NONE;
  return cached(
    `pct${maxDecimals}`,
    (l) => new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: maxDecimals }),
  ).format(x);
}

/** A decimal with at most one digit after the point: `12.5`; "–" for undefined. */
export function formatDecimal(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return NONE;
  return cached('dec1', (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 1 })).format(x);
}

/** Milliseconds in full: `1,234 ms`; "–" for undefined. */
export function formatMs(ms: number | undefined): string {
  return ms === undefined ? NONE : l10n.t('{0} ms', formatCount(ms));
}

/** A duration for a glance: `850 ms` below a second, else `1.2 s`; "–" for undefined. */
export function formatSeconds(ms: number | undefined): string {
  if (ms === undefined) return NONE;
  if (ms < 1000) return formatMs(ms);
  const s = cached('sec1', (l) => new Intl.NumberFormat(l, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
  return l10n.t('{0} s', s.format(ms / 1000));
}

/** A local date and time to the second: `Jun 15, 2025, 12:00:00 PM`, `2025年6月15日 12:00:00`. */
export function formatTime(t: number): string {
  return cached('time', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'medium' })).format(t);
}

/** A bucket of the chart: its day (`Jun 15, 2025`), or its day and hour when buckets are hourly (`Jun 15, 02:00 PM`). */
export function bucketText(b: Pick<TimeBucket, 'start' | 'label'>): string {
  return b.label.includes(' ') ? formatDateTime(b.start) : formatDay(b.label);
}
