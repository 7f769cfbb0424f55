// Bounded concurrency for reading many conversation files: a few dozen reads in flight, never thousands of handles.
const BATCH = 32;

/** Runs `f` over `items`, `batch` at a time (each batch waits for the previous one). */
export async function inBatches<T>(items: readonly T[], f: (item: T) => Promise<void>, batch = BATCH): Promise<void> {
  for (let i = 0; i < items.length; i += batch) await Promise.all(items.slice(i, i + batch).map(f));
}
