// Where a request came from (issue #16): Tally's panel, a code action, VS Code's Chat view (Ask or @tally) or its
// Agent mode. Every ledger record and bucket carries one, so the report can show and filter costs by surface. Old
// ledger lines and summaries have none: they all came from the panel.

export const USAGE_SURFACES = ['panel', 'action', 'chatView', 'agent'] as const;

export type UsageSurface = (typeof USAGE_SURFACES)[number];

/** What a record or bucket without a surface counts as (everything recorded before surfaces existed). */
export const DEFAULT_SURFACE: UsageSurface = 'panel';

const LABELS: Record<UsageSurface, string> = {
  panel: 'Panel',
  action: 'Code action',
  chatView: 'Chat view',
  agent: 'Agent',
};

export function isUsageSurface(x: unknown): x is UsageSurface {
  return typeof x === 'string' && (USAGE_SURFACES as readonly string[]).includes(x);
}

/** The surface a stored value names; anything else (absent, unknown) reads as the default. */
export function surfaceOf(x: unknown): UsageSurface {
  return isUsageSurface(x) ? x : DEFAULT_SURFACE;
}

/** How the report and the CSV's readers see a surface. */
export function surfaceLabel(s: UsageSurface): string {
  return LABELS[s];
}
