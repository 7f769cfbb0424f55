// The API health export: CSV (RFC 4180, one line per request, the stored attribute names as the header) or JSON (the
// report's figures and every request of the period). Both hold exactly what the store holds: no message text, no key.
// Not translated, on purpose (issue #15): field names, outcome and error-kind ids, ISO times and plain numbers are
// the same in every display language: the files are data for tools (and match the OpenTelemetry attribute names).
import { plainNumber } from '../../shared/format';
import { csvField } from '../usage/usageCsv';
import type { HealthReport } from './healthStats';
import type { RequestMetric } from './requestMetric';

const COLUMNS = [
  'time',
  'id',
  'gen_ai.request.model',
  'url.scheme',
  'server.address',
  'server.port',
  'outcome',
  'error.type',
  'http.response.status_code',
  'retries',
  'waitMs',
  'rateLimitWaitMs',
  'durationMs',
  'ttftMs',
  'outputTokensPerS',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'usageEstimated',
  'costUsd',
  'cacheHit',
  'savedUsd',
] as const satisfies readonly (keyof RequestMetric)[];

function field(r: RequestMetric, key: (typeof COLUMNS)[number]): string {
  if (key === 'time') return new Date(r.time).toISOString();
  const v = r[key];
  if (v === undefined) return '';
  if (typeof v === 'number') return plainNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvField(String(v));
}

/** The requests as CSV: a header line, CRLF line ends, ISO times (UTC), plain numbers, formula-safe text. */
export function healthCsv(records: readonly RequestMetric[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of records) lines.push(COLUMNS.map((k) => field(r, k)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The report (without its copy of the slowest requests) and every request of the period, as JSON. */
export function healthJson(report: HealthReport, records: readonly RequestMetric[]): string {
  const { slowest, ...figures } = report;
  return `${JSON.stringify(
    {
      period: { from: new Date(report.filter.fromMs).toISOString(), to: new Date(report.filter.toMs).toISOString() },
      figures,
      slowestIds: slowest.map((r) => r.id),
      requests: records,
    },
    null,
    2,
  )}\n`;
}
