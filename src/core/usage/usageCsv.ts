// The usage report as CSV (RFC 4180): one line per day × model × surface, plain numbers, formula-safe text.
// Not translated, on purpose (issue #15): the column names, surface ids, ISO dates and plain numbers stay the same
// in every display language, because the file is data for spreadsheets and scripts, not UI; a Chinese header
// would break every script that reads it.
import { plainNumber } from '../../shared/format';
import type { ReportRow } from './report';

const CSV_HEADER = [
  'date',
  'model',
  'surface',
  'requests',
  'prompt_tokens',
  'cached_prompt_tokens',
  'completion_tokens',
  'cost_usd',
  'unknown_price_requests',
  'estimated_requests',
  'cache_hits',
  'saved_usd',
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. Text that a spreadsheet
 * would run as a formula (starting with = + - @ tab or CR) gets a leading apostrophe.
 */
export function csvField(value: string, text = true): string {
  const v = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The report's rows as CSV: a header line, CRLF line ends, ISO dates, unformatted numbers, the surface as its id
 * (`panel`, `action`, `chatView`, `agent`). `cost_usd` is the sum
 * of known prices (empty when every request of the row had an unknown price); those are counted in
 * `unknown_price_requests`.
 */
export function toCsv(rows: readonly ReportRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const { day, model, surface, totals: t } of rows) {
    const allUnknown = t.unknownCostRequests > 0 && t.unknownCostRequests === t.requests;
    lines.push(
      [
        csvField(day),
        csvField(model),
        csvField(surface),
        ...[t.requests, t.tokensIn, t.cachedTokensIn, t.tokensOut].map(plainNumber),
        allUnknown ? '' : plainNumber(t.costUsd),
        ...[t.unknownCostRequests, t.estimatedRequests, t.cacheHits, t.savedUsd].map(plainNumber),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
