// The OpenTelemetry pieces the OTLP export uses, in one module: esbuild bundles it alone as dist/lazy/otlp.js
// (see esbuild.js), which otlpExporter.ts imports only once tally.telemetry.otlpEndpoint is set. Nothing else may
// import it: it would pull the SDK into the extension's bundle and its activation.
export { SpanKind, SpanStatusCode } from '@opentelemetry/api';
export { resourceFromAttributes } from '@opentelemetry/resources';
export { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
export { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
