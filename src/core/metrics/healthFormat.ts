// Numbers, durations, shares and times as the API health report, the degraded-API notice and the status bar's health
// lines show them: in the display language (the shared per-locale Intl formats of format.ts, units through l10n.t). "–" is a figure with
// nothing to measure. Counts are formatted as the usage report's (usageText.ts).
import * as l10n from '@vscode/l10n';
import { dateFormat, formatDateTime, numberFormat } from '../../shared/format';
import { formatCount, formatDay } from '../usage/usageText';
import type { TimeBucket } from './healthStats';

export const NONE = '–';
export { formatCount };

/** A share 0..1 as a percentage with at most one decimal: `33.3%`, `50%`; "–" for undefined. */
export function formatPercent(x: number | undefined, maxDecimals = 1): string {
  if (x === undefined || !Number.isFinite(x)) return NONE;
  return numberFormat(`pct${maxDecimals}`, { style: 'percent', maximumFractionDigits: maxDecimals }).format(x);
}

/** A decimal with at most one digit after the point: `12.5`; "–" for undefined. */
export function formatDecimal(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return NONE;
  return numberFormat('dec1', { maximumFractionDigits: 1 }).format(x);
}

/** Milliseconds in full: `1,234 ms`; "–" for undefined. */
export function formatMs(ms: number | undefined): string {
  return ms === undefined ? NONE : l10n.t('{0} ms', formatCount(ms));
}

/** A duration for a glance: `850 ms` below a second, else `1.2 s`; "–" for undefined. */
export function formatSeconds(ms: number | undefined): string {
  if (ms === undefined) return NONE;
  if (ms < 1000) return formatMs(ms);
  const s = numberFormat('sec1', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return l10n.t('{0} s', s.format(ms / 1000));
}

/** A local date and time to the second: `Jun 15, 2025, 12:00:00 PM`, `2025年6月15日 12:00:00`. */
export function formatTime(t: number): string {
  return dateFormat('dateTimeMedium', { dateStyle: 'medium', timeStyle: 'medium' }).format(t);
}

/** A bucket of the chart: its day (`Jun 15, 2025`), or its day and hour when buckets are hourly (`Jun 15, 02:00 PM`). */
export function bucketText(b: Pick<TimeBucket, 'start' | 'label'>): string {
  return b.label.includes(' ') ? formatDateTime(b.start) : formatDay(b.label);
}
