// How long Tally's own code takes to start, on the extension host's clock (performance.now(), milliseconds since the
// host process started). extension.ts imports this module first, so `bundleStartedAt` is stamped before any other
// module of dist/extension.js runs. What it cannot see: the host reading and compiling the bundle file before the
// first line runs, and the background work activate() starts without awaiting (ledger load, last conversation).
export const bundleStartedAt = performance.now();

export interface ActivationTiming {
  /** First line of the bundle ran. */
  bundleStartedAt: number;
  /** Every module of the bundle has run (extension.ts's own top level). */
  bundleEvaluatedAt: number;
  activateStartedAt: number;
  /** activate() returned (its synchronous part: everything it does before the first paint can start). */
  activateEndedAt: number;
  /** Tally's own time: bundle evaluation + activate(). */
  ownMs: number;
  /** Where activate()'s time went: milliseconds per step, in the order they ran (see `ActivationSteps`). */
  steps: Record<string, number>;
}

/**
 * Splits activate() into named steps, so the record of a real extension host says which step to make lazier:
 * `step('settings')` closes the step that ran since the previous stamp (or since activate() started).
 */
export class ActivationSteps {
  readonly steps: Record<string, number> = {};
  private last: number;

  constructor(startedAt: number) {
    this.last = startedAt;
  }

  step(name: string): void {
    const now = performance.now();
    this.steps[name] = (this.steps[name] ?? 0) + (now - this.last);
    this.last = now;
  }
}

export function activationTiming(
  bundleEvaluatedAt: number,
  activateStartedAt: number,
  steps: ActivationSteps,
): ActivationTiming {
  steps.step('rest');
  const activateEndedAt = performance.now();
  return {
    bundleStartedAt,
    bundleEvaluatedAt,
    activateStartedAt,
    activateEndedAt,
    ownMs: bundleEvaluatedAt - bundleStartedAt + (activateEndedAt - activateStartedAt),
    steps: steps.steps,
  };
}
