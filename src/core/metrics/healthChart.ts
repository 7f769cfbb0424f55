// The health report's chart: requests over time as stacked bars (answered, failed, from the cache), a static SVG with
// no scripts, no handlers and no external references; every text escaped. Bars use `currentColor` with classes
// `ok`, `err` and `hit`, so the webview's CSS gives them theme colours. Its text alternative is the <desc> and the
// table the page puts beside it; all its texts are in the display language.
import * as l10n from '@vscode/l10n';
import { escapeXml } from '../usage/usageChart';
import { requestsText } from '../usage/usageText';
import { bucketText, formatCount } from './healthFormat';
import type { TimeBucket } from './healthStats';

const fmt = (x: number) => (Math.round(x * 100) / 100).toString();
const periods = (n: number) => (n === 1 ? l10n.t('1 period') : l10n.t('{0} periods', formatCount(n)));
const errors = (n: number) => (n === 1 ? l10n.t('1 error') : l10n.t('{0} errors', formatCount(n)));
const hits = (n: number) => (n === 1 ? l10n.t('1 cache hit') : l10n.t('{0} cache hits', formatCount(n)));
const answered = (n: number) =>
  n === 1 ? l10n.t('1 answered request') : l10n.t('{0} answered requests', formatCount(n));
const all = (b: TimeBucket) => b.ok + b.errors + b.cacheHits;

/** One sentence summing up the buckets (the chart's <desc>, also read by screen readers). */
export function overTimeDescription(buckets: readonly TimeBucket[]): string {
  const total = buckets.reduce((n, b) => n + all(b), 0);
  if (total === 0) return l10n.t('{0}, no requests.', periods(buckets.length));
  const errorCount = buckets.reduce((n, b) => n + b.errors, 0);
  const hitCount = buckets.reduce((n, b) => n + b.cacheHits, 0);
  const peak = buckets.reduce((p, b) => (all(b) > all(p) ? b : p));
  return l10n.t(
    '{0} in {1}: {2}, {3}. Busiest: {4} with {5}.',
    requestsText(total),
    periods(buckets.length),
    errors(errorCount),
    hits(hitCount),
    bucketText(peak),
    requestsText(all(peak)),
  );
}

export function overTimeChartSvg(buckets: readonly TimeBucket[], width = 720, height = 200): string {
  const left = 40;
  const right = 8;
  const top = 12;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = buckets.reduce((m, b) => Math.max(m, b.ok + b.errors + b.cacheHits), 0);
  const slot = buckets.length > 0 ? plotW / buckets.length : plotW;
  const barW = Math.max(1, slot * 0.8);
  const first = buckets.length ? bucketText(buckets[0]) : '';
  const last = buckets.length ? bucketText(buckets[buckets.length - 1]) : '';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
      `role="img" aria-labelledby="over-time-title over-time-desc" font-size="11" font-family="sans-serif">`,
    `<title id="over-time-title">${escapeXml(first ? l10n.t('Requests over time from {0} to {1}', first, last) : l10n.t('Requests over time'))}</title>`,
    `<desc id="over-time-desc">${escapeXml(overTimeDescription(buckets))}</desc>`,
    `<line class="axis" x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="currentColor" stroke-opacity="0.4"/>`,
    `<text class="label" x="${left - 4}" y="${top + 8}" text-anchor="end" fill="currentColor">${formatCount(max)}</text>`,
    `<text class="label" x="${left - 4}" y="${top + plotH}" text-anchor="end" fill="currentColor">0</text>`,
  ];
  buckets.forEach((b, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = top + plotH;
    const tip = l10n.t('{0}: {1}, {2}, {3}', bucketText(b), answered(b.ok), errors(b.errors), hits(b.cacheHits));
    const segs: string[] = [];
    for (const [cls, n] of [
      ['ok', b.ok],
      ['err', b.errors],
      ['hit', b.cacheHits],
    ] as const) {
      if (n === 0 || max === 0) continue;
      const h = (n / max) * plotH;
      y -= h;
      segs.push(
        `<rect class="${cls}" x="${fmt(x)}" y="${fmt(y)}" width="${fmt(barW)}" height="${fmt(h)}" fill="currentColor"/>`,
      );
    }
    if (segs.length) parts.push(`<g class="bucket"><title>${escapeXml(tip)}</title>${segs.join('')}</g>`);
  });
  if (first) {
    parts.push(`<text class="label" x="${left}" y="${height - 6}" fill="currentColor">${escapeXml(first)}</text>`);
    if (last !== first)
      parts.push(
        `<text class="label" x="${width - right}" y="${height - 6}" text-anchor="end" fill="currentColor">${escapeXml(last)}</text>`,
      );
  }
  parts.push('</svg>');
  return parts.join('');
}
