// How long request metrics are kept: `tally.metrics.retentionDays` whole local days, today included. Older day files
// are deleted (metricsStore.ts prune) and ignored by queries meanwhile.
import { dayKey } from '../usage/periods';

export const DEFAULT_RETENTION_DAYS = 30;
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;

/** The first local day kept (`YYYY-MM-DD`) at `now` with `retentionDays` days kept (clamped to the bounds). */
export function firstKeptDay(now: number, retentionDays: number): string {
  const days = Number.isFinite(retentionDays)
    ? Math.min(MAX_RETENTION_DAYS, Math.max(MIN_RETENTION_DAYS, Math.floor(retentionDays)))
    : DEFAULT_RETENTION_DAYS;
  const d = new Date(now);
  return dayKey(new Date(d.getFullYear(), d.getMonth(), d.getDate() - (days - 1)).getTime());
}
