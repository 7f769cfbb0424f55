// Small helpers shared by the benchmarks: median and spread of repeated runs, and number formatting.
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const f = (n: number, d = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** "median (min–max)" of repeated measurements. */
export function spread(xs: readonly number[], d = 0): string {
  return `${f(median(xs), d)} (${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)})`;
}

/** Runs `tasks` `runs` times, interleaved (a different one goes first each run), and returns each task's results in
 *  run order: a machine that slows down mid-bench slows every task alike instead of the one that ran last. */
export async function interleaved<K extends string, R>(
  runs: number,
  tasks: Record<K, (run: number) => Promise<R>>,
): Promise<Record<K, R[]>> {
  const keys = Object.keys(tasks) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as R[]])) as Record<K, R[]>;
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[(i + run) % keys.length];
      out[k].push(await tasks[k](run));
    }
  }
  return out;
}
