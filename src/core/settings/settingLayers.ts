// Whose word counts for each `tally.*` setting. A repository the user opens is untrusted input: its
// `.vscode/settings.json` must never decide where the key or the user's content goes, what a price is, or which
// cache answers. So a setting is read from the layers VS Code keeps (default, user, workspace, folder) by a rule:
//   user      where requests, prices and the cache are decided: the user's own value, else the default; a workspace
//             value is ignored (and reported, so the user knows why it had no effect)
//   stricter  a limit a workspace may only tighten: the lowest value any layer sets
//   any       everything else: VS Code's usual order (folder, workspace, user, default)
// Pure: the host passes what `WorkspaceConfiguration.inspect()` returns.

/** One setting's values by layer, as `inspect()` reports them (undefined: not set there). */
export interface SettingLayers {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type LayerRule = 'user' | 'stricter' | 'any';

/** Settings (without the `tally.` prefix) that only the user's own settings decide. */
export const USER_ONLY_SETTINGS = [
  'baseUrl',
  'cache.redisUrl',
  'cache.mode',
  'models',
  'routing',
  'budget.dailyUsd',
  'budget.monthlyUsd',
  // One metrics store serves every workspace: a workspace must not shorten what is kept for all of them.
  'metrics.retentionDays',
  // Where the request metrics are sent, and the headers (a collector's key) sent with them.
  'telemetry.otlpEndpoint',
  'telemetry.otlpHeaders',
] as const;

/** Limits a workspace may only make stricter than the user's. */
export const STRICTER_ONLY_SETTINGS = [
  'budget.workspaceDailyUsd',
  'budget.workspaceMonthlyUsd',
  'budget.warnAtPercent',
] as const;

export function ruleFor(key: string): LayerRule {
  if ((USER_ONLY_SETTINGS as readonly string[]).includes(key)) return 'user';
  if ((STRICTER_ONLY_SETTINGS as readonly string[]).includes(key)) return 'stricter';
  return 'any';
}

export interface EffectiveValue {
  value: unknown;
  /** A workspace or folder value that was not used because of the rule (reported once to the user). */
  ignoredWorkspaceValue: boolean;
}

const isSet = (v: unknown) => v !== undefined;

/** The value that counts for `key` under its rule. */
export function effectiveValue(key: string, layers: SettingLayers | undefined): EffectiveValue {
  if (!layers) return { value: undefined, ignoredWorkspaceValue: false };
  const { defaultValue, globalValue, workspaceValue, workspaceFolderValue } = layers;
  const fromWorkspace = isSet(workspaceValue) || isSet(workspaceFolderValue);
  switch (ruleFor(key)) {
    case 'user':
      return { value: isSet(globalValue) ? globalValue : defaultValue, ignoredWorkspaceValue: fromWorkspace };
    case 'stricter': {
      // The user's value (else the default) is the base; a workspace number may lower it, never raise it. null
      // means "no limit" (the loosest possible), so a workspace null never replaces a number.
      const base = isSet(globalValue) ? globalValue : defaultValue;
      let value = base;
      let loosened = false;
      for (const v of [workspaceValue, workspaceFolderValue]) {
        if (!isSet(v)) continue;
        const tighter = typeof v === 'number' && Number.isFinite(v) && (typeof value !== 'number' || v <= value);
        if (tighter) value = v;
        else loosened = true;
      }
      return { value, ignoredWorkspaceValue: loosened };
    }
    default:
      return {
        value: isSet(workspaceFolderValue)
          ? workspaceFolderValue
          : isSet(workspaceValue)
            ? workspaceValue
            : isSet(globalValue)
              ? globalValue
              : defaultValue,
        ignoredWorkspaceValue: false,
      };
  }
}
