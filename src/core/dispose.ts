// Disposables, one way: `disposable(f)` makes a release function idempotent (the second call returns the first
// call's result and runs nothing), and a `DisposableBag` releases what it holds in reverse order of adding (the last
// acquired first, as with nested resources), each once. Nothing here swallows or logs a failure: a failed dispose
// reaches the caller (the bag still disposes the rest first).

export interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * A Disposable that runs `release` on its first dispose() only (even if that throws: the error reaches that caller);
 * later calls return the first call's result (its promise, for an async release).
 */
export function disposable<R extends void | Promise<void>>(
  release: () => R,
): { dispose(): R; readonly disposed: boolean } {
  let called = false;
  let result: R | undefined;
  return {
    dispose: () => {
      if (!called) {
        called = true;
        result = release();
      }
      return result as R;
    },
    get disposed() {
      return called;
    },
  };
}

/** Holds disposables and disposes them, last added first, on its (idempotent) dispose(). */
export class DisposableBag implements Disposable {
  private readonly items: Disposable[] = [];
  private done: Promise<void> | undefined;

  /** Adds `item` (returned, for `const x = bag.add(make())`); throws once the bag is disposed. */
  add<T extends Disposable>(item: T): T {
    if (this.done) throw new Error('This DisposableBag is disposed: dispose the item yourself');
    this.items.push(item);
    return item;
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Disposes every item, last added first, each awaited before the next. Rejects after all were tried: with the
   * failure when one failed, with an AggregateError when several did. Later calls return the same promise.
   */
  dispose(): Promise<void> {
    this.done ??= (async () => {
      const failures: unknown[] = [];
      for (const item of this.items.splice(0).reverse()) {
        try {
          await item.dispose();
        } catch (e) {
          failures.push(e);
        }
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, `${failures.length} disposables failed`);
    })();
    return this.done;
  }
}
