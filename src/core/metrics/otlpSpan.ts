// One request metric as an OpenTelemetry span, per the GenAI semantic conventions: named `chat {model}`, kind
// client, from the request's start to its end, status error when it failed, one event per attempt. Its attributes are
// the record's own fields only (model, endpoint host and port, tokens, error type, HTTP status, cost, cache hit):
// a record never holds message text, a key or a URL path, so none can reach a collector. Pure: the host's exporter
// (otlpExporter.ts) hands the result to the OpenTelemetry SDK.
import type { RequestMetric } from './requestMetric';

export type SpanAttributeValue = string | number | boolean;
export type SpanAttributes = Record<string, SpanAttributeValue>;

export interface SpanEventData {
  name: string;
  /** Epoch ms. */
  time: number;
  attributes: SpanAttributes;
}

export interface SpanData {
  name: string;
  /** Epoch ms. */
  startTime: number;
  endTime: number;
  /** 'error' when the request failed or was interrupted by an error; else unset (OpenTelemetry's default). */
  status: 'error' | 'unset';
  /** The error type, as the status description of an error span. */
  statusMessage?: string;
  attributes: SpanAttributes;
  events: SpanEventData[];
}

/** The event of one API attempt (retries are attempts after the first). */
export const ATTEMPT_EVENT = 'tally.attempt';

const put = (into: SpanAttributes, key: string, value: SpanAttributeValue | undefined) => {
  if (value !== undefined) into[key] = value;
};

export function spanOfMetric(r: RequestMetric): SpanData {
  const model = r['gen_ai.request.model'];
  const attributes: SpanAttributes = {
    'gen_ai.operation.name': r['gen_ai.operation.name'],
    'gen_ai.request.model': model,
    'server.address': r['server.address'],
    'url.scheme': r['url.scheme'],
    'gen_ai.usage.input_tokens': r['gen_ai.usage.input_tokens'],
    'gen_ai.usage.output_tokens': r['gen_ai.usage.output_tokens'],
    'gen_ai.usage.cache_read.input_tokens': r['gen_ai.usage.cache_read.input_tokens'],
    'tally.outcome': r.outcome,
    'tally.retries': r.retries,
    'tally.wait_ms': r.waitMs,
    'tally.rate_limit_wait_ms': r.rateLimitWaitMs,
    'tally.usage_estimated': r.usageEstimated,
    'tally.cache_hit': r.cacheHit,
  };
  put(attributes, 'server.port', r['server.port']);
  put(attributes, 'error.type', r['error.type']);
  put(attributes, 'http.response.status_code', r['http.response.status_code']);
  put(attributes, 'gen_ai.client.operation.time_to_first_chunk', r.ttftMs === undefined ? undefined : r.ttftMs / 1000);
  put(attributes, 'tally.output_tokens_per_s', r.outputTokensPerS);
  put(attributes, 'tally.cost_usd', r.costUsd);
  put(attributes, 'tally.saved_usd', r.savedUsd);

  const events: SpanEventData[] = [];
  let t = r.time;
  r.attempts.forEach((a, i) => {
    t += a.waitMs;
    const e: SpanAttributes = { 'tally.attempt': i + 1, 'tally.wait_ms': a.waitMs, 'tally.duration_ms': a.durationMs };
    put(e, 'http.response.status_code', a['http.response.status_code']);
    put(e, 'error.type', a['error.type']);
    put(e, 'tally.ttft_ms', a.ttftMs);
    events.push({ name: ATTEMPT_EVENT, time: t, attributes: e });
    t += a.durationMs;
  });

  const failed = r.outcome === 'failed' || (r.outcome === 'interrupted' && r['error.type'] !== undefined);
  return {
    name: `chat ${model}`,
    startTime: r.time,
    endTime: r.time + r.durationMs,
    status: failed ? 'error' : 'unset',
    ...(failed ? { statusMessage: r['error.type'] ?? r.outcome } : {}),
    attributes,
    events,
  };
}
