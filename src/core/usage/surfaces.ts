// Where a request came from (issue #16): Tally's panel, a code action, VS Code's Chat view (Ask or @tally) or its
// Agent mode. Every ledger record and bucket carries one, so the report can show and filter costs by surface. Old
// ledger lines and summaries have none: they all came from the panel.
import * as l10n from '@vscode/l10n';

export const USAGE_SURFACES = ['panel', 'action', 'chatView', 'agent'] as const;

export type UsageSurface = (typeof USAGE_SURFACES)[number];

/** What a record or bucket without a surface counts as (everything recorded before surfaces existed). */
export const DEFAULT_SURFACE: UsageSurface = 'panel';

export function isUsageSurface(x: unknown): x is UsageSurface {
  return typeof x === 'string' && (USAGE_SURFACES as readonly string[]).includes(x);
}

/** The surface a stored value names; anything else (absent, unknown) reads as the default. */
export function surfaceOf(x: unknown): UsageSurface {
  return isUsageSurface(x) ? x : DEFAULT_SURFACE;
}

/** How the report shows a surface, in the display language (the CSV keeps the id). */
export function surfaceLabel(s: UsageSurface): string {
  switch (s) {
    case 'panel':
      return l10n.t({ message: 'Panel', comment: ["Where a request came from: Tally's own chat panel."] });
    case 'action':
      return l10n.t('Code action');
    case 'chatView':
      return l10n.t({ message: 'Chat view', comment: ["VS Code's Chat view (Ask mode and @tally)."] });
    case 'agent':
      return l10n.t({ message: 'Agent', comment: ["VS Code Chat's Agent mode."] });
  }
}
