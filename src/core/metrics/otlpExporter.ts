// Sends request metrics to a team's OpenTelemetry collector as spans over OTLP/HTTP (JSON), with the maintained
// exporter and the SDK's batch processor (batching, retries, timeouts are theirs). The SDK is imported on the first
// metric, never before (dist/lazy/otlp.js in the bundle). Each record becomes one span (otlpSpan.ts: the record's own
// fields only). A failure to load or send is logged once per kind, never shown per request; the headers (they may
// hold a collector's key) are never logged.
import type { Logger } from '../ports';
import { errorMessage } from '../errorMessage';
import type { RequestMetric } from './requestMetric';
import { spanOfMetric } from './otlpSpan';
import type { OtlpSettings } from './otlpSettings';
import type { SpanExporter } from './otlpSdk';

type Sdk = typeof import('./otlpSdk');
type Provider = InstanceType<Sdk['TracerProvider']>;
type Tracer = ReturnType<Provider['getTracer']>;

export interface OtlpExporterOptions extends OtlpSettings {
  serviceVersion: string;
  logger: Logger;
  /** Loads the SDK; replaced in tests that count loads. */
  load?: () => Promise<Sdk>;
  /** The batch processor's delay between exports (the SDK's default: 5 s). */
  scheduledDelayMs?: number;
  /** How long one export may take, its retries included (default 10 s). */
  exportTimeoutMs?: number;
}

const originOfUrl = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
};

export class OtlpExporter {
  private started: Promise<{ provider: Provider; tracer: Tracer; sdk: Sdk } | undefined> | undefined;
  private readonly logged = new Set<string>();
  private closed = false;
  /** The last record's way into the SDK (a flush waits for it). */
  private pending: Promise<void> = Promise.resolve();
  /** Spans handed to the SDK (tests count them). */
  exported = 0;

  constructor(private readonly options: OtlpExporterOptions) {}

  /** Hands one record to the batch processor (loads the SDK the first time). Never throws. */
  export(r: RequestMetric): void {
    if (this.closed) return;
    this.pending = this.start().then((t) => {
      if (!t || this.closed) return;
      try {
        const d = spanOfMetric(r);
        const span = t.tracer.startSpan(d.name, {
          kind: t.sdk.SpanKind.CLIENT,
          startTime: new Date(d.startTime),
          attributes: d.attributes,
        });
        for (const e of d.events) span.addEvent(e.name, e.attributes, new Date(e.time));
        if (d.status === 'error') span.setStatus({ code: t.sdk.SpanStatusCode.ERROR, message: d.statusMessage });
        span.end(new Date(d.endTime));
        this.exported++;
      } catch (e) {
        this.logOnce('span', `could not make the span of a request: ${errorMessage(e)}`);
      }
    });
  }

  /** Sends what is queued now. Never rejects: a failed send was logged by the exporter's wrapper. */
  async flush(): Promise<void> {
    await this.pending;
    const t = await this.started;
    await t?.provider.forceFlush().catch(() => undefined);
  }

  /** Sends what is queued and stops; later records are dropped. Never rejects. */
  async shutdown(): Promise<void> {
    await this.pending;
    const t = await this.started;
    this.closed = true;
    await t?.provider.shutdown().catch(() => undefined);
  }

  private start() {
    this.started ??= this.load();
    return this.started;
  }

  private async load() {
    const { endpoint, headers, logger, scheduledDelayMs } = this.options;
    let sdk: Sdk;
    try {
      sdk = await (this.options.load ?? (() => import('./otlpSdk')))();
    } catch (e) {
      this.logOnce('load', `could not load the OpenTelemetry exporter: ${errorMessage(e)}; metrics are not exported`);
      return undefined;
    }
    const inner = new sdk.OTLPTraceExporter({
      url: endpoint,
      headers: { ...headers },
      timeoutMillis: this.options.exportTimeoutMs ?? 10_000,
    });
    const where = originOfUrl(endpoint);
    // The exporter's results pass through here: a failed export is logged once per kind (HTTP status or error).
    const exporter: SpanExporter = {
      export: (spans, done) =>
        inner.export(spans, (result) => {
          if (result.code !== 0) {
            const err = result.error as (Error & { code?: number }) | undefined;
            const kind = typeof err?.code === 'number' ? `HTTP ${err.code}` : (err?.name ?? 'error');
            this.logOnce(`send:${kind}`, `sending metrics to ${where} failed (${kind}): ${err?.message ?? 'unknown'}`);
          }
          done(result);
        }),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush(),
    };
    const provider = new sdk.TracerProvider({
      resource: sdk.resourceFromAttributes({ 'service.name': 'tally', 'service.version': this.options.serviceVersion }),
      spanProcessors: [
        new sdk.BatchSpanProcessor({
          exporter,
          ...(scheduledDelayMs !== undefined ? { scheduledDelayMillis: scheduledDelayMs } : {}),
        }),
      ],
    });
    logger.info(`telemetry: exporting request metrics as spans to ${where}`);
    return { provider, tracer: provider.getTracer('tally', this.options.serviceVersion), sdk };
  }

  private logOnce(kind: string, message: string): void {
    if (this.logged.has(kind)) return;
    this.logged.add(kind);
    this.options.logger.warn(`telemetry: ${message}`);
  }
}
