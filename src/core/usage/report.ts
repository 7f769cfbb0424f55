// Data of the usage report: totals per local day × model over the last N days, per model and per day (every day
// of the range, empty ones included, for the chart), CSV export, and a small static SVG bar chart. The SVG has no
// scripts, no event handlers and no external references, and every text in it is escaped: the webview can show
// it under a strict CSP. Bars use `currentColor` and the class `bar`, so the webview's CSS can theme them.
import { formatTokensShort, formatUsd, plainNumber } from '../../shared/format';
import { dayKey } from './periods';
import type { UsageRecord } from './records';
import { addTotals, emptyTotals, totalsByModel, type UsageBucket, UsageBuckets, type UsageTotals } from './totals';
import { formatTotalCost } from './usageText';

export interface ReportRow {
  /** Local date `YYYY-MM-DD`. */
  day: string;
  model: string;
  totals: UsageTotals;
}

export interface DayTotals {
  day: string;
  totals: UsageTotals;
}

export interface ReportData {
  fromDay: string;
  toDay: string;
  /** Rows with at least one request, by day then model. */
  rows: ReportRow[];
  /** Every day of the range, oldest first, zeros included. */
  perDay: DayTotals[];
  /** Most expensive first. */
  perModel: { model: string; totals: UsageTotals }[];
  total: UsageTotals;
}

export interface ReportOptions {
  /** Days up to and including today; default 30, at most 3660. */
  days?: number;
  /** Epoch ms of "today" (the clock's now). */
  now: number;
  /** Only this workspace; default all. */
  workspace?: string;
}

/** Builds the report from ledger buckets (detail and compacted months alike) or from records. */
export function reportData(input: Iterable<UsageBucket | UsageRecord>, options: ReportOptions): ReportData {
  const n = Math.min(3660, Math.max(1, Math.floor(Number.isFinite(options.days) ? options.days ?? 30 : 30)));
  const today = new Date(options.now);
  const days: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    days.push(dayKey(new Date(today.getFullYear(), today.getMonth(), today.getDate() - i).getTime()));
  }
  const fromDay = days[0];
  const toDay = days[days.length - 1];
  const merged = new UsageBuckets();
  for (const x of input) {
    const b = 'totals' in x ? x : undefined;
    const ws = b ? b.workspace : (x as UsageRecord).workspace;
    if (options.workspace !== undefined && ws !== options.workspace) continue;
    // Workspaces are summed: the report's rows are day × model.
    if (b) merged.addBucket({ ...b, workspace: '' });
    else merged.addRecord({ ...(x as UsageRecord), workspace: '' });
  }
  const inRange = merged.list({ fromDay, toDay });
  const rows = inRange.map(({ day, model, totals }) => ({ day, model, totals }));
  const byDay = new Map(days.map((day) => [day, emptyTotals()]));
  const total = emptyTotals();
  for (const r of rows) {
    const t = byDay.get(r.day);
    if (t) addTotals(t, r.totals);
    addTotals(total, r.totals);
  }
  return { fromDay, toDay, rows, perDay: days.map((day) => ({ day, totals: byDay.get(day) ?? emptyTotals() })),
    perModel: totalsByModel(inRange), total };
}

const CSV_HEADER = ['date', 'model', 'requests', 'prompt_tokens', 'cached_prompt_tokens', 'completion_tokens',
  'cost_usd', 'unknown_price_requests', 'estimated_requests', 'cache_hits', 'saved_usd'];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. Text that a spreadsheet
 * would run as a formula (starting with = + - @ tab or CR) gets a leading apostrophe.
 */
export function csvField(value: string, text = true): string {
  const v = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The report's rows as CSV: a header line, CRLF line ends, ISO dates, unformatted numbers. `cost_usd` is the sum
 * of known prices (empty when every request of the row had an unknown price); those are counted in
 * `unknown_price_requests`.
 */
export function toCsv(rows: readonly ReportRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const { day, model, totals: t } of rows) {
    const allUnknown = t.unknownCostRequests > 0 && t.unknownCostRequests === t.requests;
    lines.push([csvField(day), csvField(model), ...[t.requests, t.tokensIn, t.cachedTokensIn, t.tokensOut]
      .map(plainNumber), allUnknown ? '' : plainNumber(t.costUsd), ...[t.unknownCostRequests, t.estimatedRequests,
      t.cacheHits, t.savedUsd].map(plainNumber)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for SVG/XML content and attribute values (control characters XML forbids are dropped). */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
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
  const label = (t: UsageTotals) => (metric === 'cost' ? formatTotalCost(t) : `${formatTokensShort(value(t))} tok`);
  const axis = (v: number) => (metric === 'cost' ? formatUsd(v) : `${formatTokensShort(v)} tok`);
  const first = perDay[0]?.day ?? '';
  const last = perDay[perDay.length - 1]?.day ?? '';
  const range = first === last ? first : `${first} to ${last}`;
  const title = options.title ?? `${metric === 'cost' ? 'Cost' : 'Tokens'} per day${range ? `, ${range}` : ''}`;
  const max = perDay.reduce((m, d) => Math.max(m, value(d.totals)), 0);
  const total = emptyTotals();
  for (const d of perDay) addTotals(total, d.totals);
  const peak = perDay.find((d) => max > 0 && value(d.totals) === max);
  const desc = `${perDay.length} days. Total ${label(total)}, ${total.requests} requests.`
    + (peak ? ` Highest: ${label(peak.totals)} on ${peak.day}.` : ' No usage in this period.');

  const left = 64;
  const right = 8;
  const top = 12;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const slot = perDay.length > 0 ? plotW / perDay.length : plotW;
  const barW = Math.max(1, slot * 0.8);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" `
      + `role="img" aria-labelledby="${id}-title ${id}-desc" font-size="11" font-family="sans-serif">`,
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
    const tip = `${d.day}: ${label(d.totals)}, ${d.totals.requests} request${d.totals.requests === 1 ? '' : 's'}`;
    parts.push(`<rect class="bar" x="${fmt(x)}" y="${fmt(top + plotH - h)}" width="${fmt(barW)}" height="${fmt(h)}" `
      + `fill="currentColor"><title>${escapeXml(tip)}</title></rect>`);
  });
  if (first) {
    parts.push(`<text class="label" x="${left}" y="${height - 6}" fill="currentColor">${escapeXml(first)}</text>`);
    if (last !== first) {
      parts.push(`<text class="label" x="${width - right}" y="${height - 6}" text-anchor="end" fill="currentColor">`
        + `${escapeXml(last)}</text>`);
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

function clampSize(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(4000, Math.max(120, Math.round(x))) : fallback;
}
