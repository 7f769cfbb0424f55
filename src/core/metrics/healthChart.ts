// The health report's chart: requests over time as stacked bars (answered, failed, from the cache), a static SVG with
// no scripts, no handlers and no external references; every text escaped. Bars use `currentColor` with classes
// `ok`, `err` and `hit`, so the webview's CSS gives them theme colours. Its text alternative is the <desc> and the
// table the page puts beside it.
import { escapeXml } from '../usage/usageChart';
import type { TimeBucket } from './healthStats';

const fmt = (x: number) => (Math.round(x * 100) / 100).toString();
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One sentence summing up the buckets (the chart's <desc>, also read by screen readers). */
export function overTimeDescription(buckets: readonly TimeBucket[]): string {
  const total = buckets.reduce((n, b) => n + b.ok + b.errors + b.cacheHits, 0);
  if (total === 0) return `${plural(buckets.length, 'period')}, no requests.`;
  const errors = buckets.reduce((n, b) => n + b.errors, 0);
  const hits = buckets.reduce((n, b) => n + b.cacheHits, 0);
  const peak = buckets.reduce((p, b) => (b.ok + b.errors + b.cacheHits > p.ok + p.errors + p.cacheHits ? b : p));
  return (
    `${plural(total, 'request')} in ${plural(buckets.length, 'period')}: ${plural(errors, 'error')}, ` +
    `${plural(hits, 'cache hit')}. Busiest: ${peak.label} with ${plural(peak.ok + peak.errors + peak.cacheHits, 'request')}.`
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
  const first = buckets[0]?.label ?? '';
  const last = buckets[buckets.length - 1]?.label ?? '';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
      `role="img" aria-labelledby="over-time-title over-time-desc" font-size="11" font-family="sans-serif">`,
    `<title id="over-time-title">${escapeXml(`Requests over time${first ? `, ${first} to ${last}` : ''}`)}</title>`,
    `<desc id="over-time-desc">${escapeXml(overTimeDescription(buckets))}</desc>`,
    `<line class="axis" x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="currentColor" stroke-opacity="0.4"/>`,
    `<text class="label" x="${left - 4}" y="${top + 8}" text-anchor="end" fill="currentColor">${max}</text>`,
    `<text class="label" x="${left - 4}" y="${top + plotH}" text-anchor="end" fill="currentColor">0</text>`,
  ];
  buckets.forEach((b, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = top + plotH;
    const tip = `${b.label}: ${plural(b.ok, 'answered request')}, ${plural(b.errors, 'error')}, ${plural(b.cacheHits, 'cache hit')}`;
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
