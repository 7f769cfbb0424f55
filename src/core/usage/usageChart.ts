// The usage report's chart: a small static SVG bar chart of per-day totals. The SVG has no scripts, no event handlers
// and no external references, and every text in it is escaped: the webview can show it under a strict CSP. Bars use
// `currentColor` and the class `bar`, so the webview's CSS can theme them. Its texts (title, description, each bar's
// tooltip) are in the display language; the description sums the chart up for screen readers.
import * as l10n from '@vscode/l10n';
import { formatUsd } from '../../shared/format';
import type { DayTotals } from './report';
import { addTotals, emptyTotals, type UsageTotals } from './totals';
import { formatCount, formatDay, formatTotalCost, requestsText, tokShort } from './usageText';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// eslint-disable-next-line no-control-regex -- matching the control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for SVG/XML content and attribute values (control characters XML forbids are dropped). */
export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export interface ChartOptions {
  /** What a bar measures; default cost. */
  metric?: 'cost' | 'tokens';
  width?: number;
  height?: number;
  /** The chart's accessible name; default "Cost per day" / "Tokens per day" with the date range. */
  title?: string;
  /** Prefix of the ids of `<title>`/`<desc>` (unique per page); letters, digits, - and _ only. */
  idPrefix?: string;
}

const fmt = (x: number) => (Math.round(x * 100) / 100).toString();

/** An accessible bar chart of per-day totals: `<title>`, `<desc>`, one bar per day with its own tooltip. */
export function barChartSvg(perDay: readonly DayTotals[], options: ChartOptions = {}): string {
  const metric = options.metric ?? 'cost';
  const width = clampSize(options.width, 600);
  const height = clampSize(options.height, 200);
  const id = (options.idPrefix ?? 'usage-chart').replace(/[^A-Za-z0-9_-]/g, '') || 'usage-chart';
  const value = (t: UsageTotals) => (metric === 'cost' ? t.costUsd : t.tokensIn + t.tokensOut);
  const label = (t: UsageTotals) => (metric === 'cost' ? formatTotalCost(t) : tokShort(value(t)));
  const axis = (v: number) => (metric === 'cost' ? formatUsd(v) : tokShort(v));
  const first = perDay[0]?.day ?? '';
  const last = perDay[perDay.length - 1]?.day ?? '';
  const title = options.title ?? chartTitle(metric, first, last);
  const max = perDay.reduce((m, d) => Math.max(m, value(d.totals)), 0);
  const total = emptyTotals();
  for (const d of perDay) addTotals(total, d.totals);
  const peak = perDay.find((d) => max > 0 && value(d.totals) === max);
  const count = formatCount(perDay.length);
  const desc = peak
    ? l10n.t(
        '{0} days. Total {1}, {2}. Highest: {3} on {4}.',
        count,
        label(total),
        requestsText(total.requests),
        label(peak.totals),
        formatDay(peak.day),
      )
    : l10n.t('{0} days. No usage in this period.', count);

  const left = 64;
  const right = 8;
  const top = 12;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const slot = perDay.length > 0 ? plotW / perDay.length : plotW;
  const barW = Math.max(1, slot * 0.8);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
      `role="img" aria-labelledby="${id}-title ${id}-desc" font-size="11" font-family="sans-serif">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
    `<line class="axis" x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="currentColor" stroke-opacity="0.4"/>`,
    `<text class="label" x="${left - 4}" y="${top + 8}" text-anchor="end" fill="currentColor">${escapeXml(axis(max))}</text>`,
    `<text class="label" x="${left - 4}" y="${top + plotH}" text-anchor="end" fill="currentColor">${escapeXml(axis(0))}</text>`,
  ];
  perDay.forEach((d, i) => {
    const v = value(d.totals);
    const h = max > 0 ? (v / max) * plotH : 0;
    const x = left + i * slot + (slot - barW) / 2;
    const tip = l10n.t('{0}: {1}, {2}', formatDay(d.day), label(d.totals), requestsText(d.totals.requests));
    parts.push(
      `<rect class="bar" x="${fmt(x)}" y="${fmt(top + plotH - h)}" width="${fmt(barW)}" height="${fmt(h)}" ` +
        `fill="currentColor"><title>${escapeXml(tip)}</title></rect>`,
    );
  });
  if (first) {
    parts.push(
      `<text class="label" x="${left}" y="${height - 6}" fill="currentColor">${escapeXml(formatDay(first))}</text>`,
    );
    if (last !== first) {
      parts.push(
        `<text class="label" x="${width - right}" y="${height - 6}" text-anchor="end" fill="currentColor">` +
          `${escapeXml(formatDay(last))}</text>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** `Cost per day from Jun 13, 2025 to Jun 15, 2025`; `Tokens per day on …` for one day; no range for none. */
function chartTitle(metric: 'cost' | 'tokens', first: string, last: string): string {
  const [a, b] = [formatDay(first), formatDay(last)];
  if (metric === 'cost') {
    if (!first) return l10n.t('Cost per day');
    return first === last ? l10n.t('Cost per day on {0}', a) : l10n.t('Cost per day from {0} to {1}', a, b);
  }
  if (!first) return l10n.t('Tokens per day');
  return first === last ? l10n.t('Tokens per day on {0}', a) : l10n.t('Tokens per day from {0} to {1}', a, b);
}

function clampSize(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(4000, Math.max(120, Math.round(x))) : fallback;
}
