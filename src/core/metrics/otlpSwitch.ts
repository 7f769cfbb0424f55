// Which OTLP exporter is in use, following tally.telemetry.*: none while the endpoint is empty (the default: nothing
// is created, loaded or sent); a new one when the endpoint or headers change, the previous one first sending what it
// has queued; on shutdown, what is queued is sent and the exporter stops. The host feeds it settings changes.
import { OtlpExporter, type OtlpExporterOptions } from './otlpExporter';
import type { OtlpSettings } from './otlpSettings';
import type { RequestMetric } from './requestMetric';

export class OtlpSwitch {
  private exporter: OtlpExporter | undefined;
  private configured = '';
  private readonly stopping: Promise<void>[] = [];

  constructor(
    private readonly options: Pick<OtlpExporterOptions, 'serviceVersion' | 'logger' | 'load' | 'exportTimeoutMs'>,
  ) {}

  /** Applies the settings (a no-op when the endpoint and headers are unchanged). */
  configure({ endpoint, headers }: OtlpSettings): void {
    const key = endpoint ? JSON.stringify([endpoint, headers]) : '';
    if (key === this.configured) return;
    this.configured = key;
    if (this.exporter) {
      this.stopping.push(this.exporter.shutdown());
      this.options.logger.info('telemetry: the OTLP settings changed; the previous collector got what was queued');
    }
    this.exporter = endpoint ? new OtlpExporter({ ...this.options, endpoint, headers }) : undefined;
  }

  /** Hands the record to the exporter in use, if any. */
  record(r: RequestMetric): void {
    this.exporter?.export(r);
  }

  /** The exporter in use (undefined while the endpoint is empty). */
  current(): OtlpExporter | undefined {
    return this.exporter;
  }

  /**
   * Sends what is queued and stops (deactivation). Waits at most `limitMs`: a collector that does not answer must not
   * hold up closing VS Code (the exporter's own timeout is 10 s, retries included). Never rejects.
   */
  async shutdown(limitMs = 2000): Promise<void> {
    const last = this.exporter;
    this.exporter = undefined;
    this.configured = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.stopping, last?.shutdown()]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs))),
    ]);
    clearTimeout(timer);
  }
}
