// Token counting in a worker thread: both ends of one small protocol.
//
// Why a worker at all, when slicing.ts can count in slices on the host thread: slicing bounds the counting, but
// not the one-off load of an encoding (js-tiktoken parses its ranks synchronously: ~0.5-1 s and ~130 MB for
// o200k_base). In a worker, the load, the memory and the counting all stay off the extension host's thread.
//
// Client: `createWorkerCounter({ workerPath, encoding })` returns an AsyncTokenCounter. The worker script's
// location is injected because it differs by build: in the bundled extension it is a file next to
// dist/extension.js (e.g. dist/lazy/tokenCountWorker.js, an esbuild entry built from this file); under tsx in
// tests it is this .ts file, loaded with `preload: 'tsx/cjs'`. The worker is started on first use, kept
// unreferenced while idle (it never holds the process open), and reused; `dispose()` stops it.
// Worker: the script only has to call `runTokenCountWorker()`, which this module exports; the bootstrap does that.
// node:worker_threads is loaded on first use, not when the extension bundle loads (the extension host has not loaded
// it: loading it would add to activation).
import type { Worker } from 'node:worker_threads';
import type { Encoding } from './models';
import { runSteps, truncateSteps } from './slicing';
import type { AsyncTokenCounter, Truncation } from './tokenCounter';
import { Tokenizers } from './tokenizers';
import { errorMessage } from '../errorMessage';

type RequestBody = { op: 'count'; text: string } | { op: 'truncate'; text: string; maxTokens: number; suffix: string };
type Request = RequestBody & { id: number };

type Response =
  | { id: number; ok: true; count: number }
  | { id: number; ok: true; truncation: Truncation }
  | { id: number; ok: false; error: string };

interface WorkerInit {
  tallyTokenCountWorker: true;
  encoding: Encoding;
}

function isWorkerInit(v: unknown): v is WorkerInit {
  const w = v as Partial<WorkerInit> | null;
  return !!w && w.tallyTokenCountWorker === true && (w.encoding === 'o200k_base' || w.encoding === 'cl100k_base');
}

/** Worker side: answers count/truncate requests for the encoding given in workerData. Requests are handled in
 *  order, one at a time (each is synchronous once the encoding is loaded). */
export function runTokenCountWorker(): void {
  const { parentPort: port, workerData } = process.getBuiltinModule('node:worker_threads');
  if (!port || !isWorkerInit(workerData)) throw new Error('runTokenCountWorker: not started by createWorkerCounter');
  const { encoding } = workerData;
  const tokenizers = new Tokenizers();
  port.on('message', (req: Request) => {
    tokenizers
      .get(encoding)
      .then((counter) => {
        const res: Response =
          req.op === 'count'
            ? { id: req.id, ok: true, count: counter.count(req.text) }
            : {
                id: req.id,
                ok: true,
                truncation: runSteps(truncateSteps(req.text, req.maxTokens, req.suffix, counter)),
              };
        port.postMessage(res);
      })
      .catch((e: unknown) => {
        port.postMessage({ id: req.id, ok: false, error: errorMessage(e) } satisfies Response);
      });
  });
}

export interface WorkerCounterOptions {
  /** Absolute path of a script exporting `runTokenCountWorker` (this module, bundled or as source). */
  workerPath: string;
  encoding: Encoding;
  /** A module required in the worker before the script, e.g. 'tsx/cjs' to run the .ts source in tests. */
  preload?: string;
}

export interface WorkerTokenCounter extends AsyncTokenCounter {
  /** Stops the worker; pending requests fail. A later request starts a new worker. */
  dispose(): Promise<void>;
}

interface Pending {
  resolve: (r: Response) => void;
  reject: (e: unknown) => void;
}

/**
 * An AsyncTokenCounter backed by a worker thread. An aborted request rejects at once with the signal's reason;
 * the worker finishes it anyway and its answer is dropped (restarting the worker would cost a reload).
 */
export function createWorkerCounter(options: WorkerCounterOptions): WorkerTokenCounter {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const settleRef = (): void => {
    if (pending.size > 0) worker?.ref();
    else worker?.unref();
  };
  const failAll = (error: unknown): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  function start(): Worker {
    if (worker) return worker;
    const bootstrap =
      `${options.preload ? `require(${JSON.stringify(options.preload)});` : ''}` +
      `require(${JSON.stringify(options.workerPath)}).runTokenCountWorker();`;
    const w = new (process.getBuiltinModule('node:worker_threads').Worker)(bootstrap, {
      eval: true,
      workerData: { tallyTokenCountWorker: true, encoding: options.encoding } satisfies WorkerInit,
    });
    w.on('message', (res: Response) => {
      const p = pending.get(res.id);
      if (!p) return; // aborted meanwhile
      pending.delete(res.id);
      settleRef();
      p.resolve(res);
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`token count worker exited (code ${code})`));
    });
    worker = w;
    return w;
  }

  function call(req: RequestBody, signal?: AbortSignal): Promise<Response> {
    signal?.throwIfAborted();
    const w = start();
    const id = nextId++;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void => {
        pending.delete(id);
        settleRef();
        reject(signal?.reason);
      };
      pending.set(id, {
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      settleRef();
      w.postMessage({ ...req, id });
    });
  }

  return {
    encoding: options.encoding,
    async count(text, signal) {
      const res = await call({ op: 'count', text }, signal);
      if (!res.ok) throw new Error(res.error);
      if (!('count' in res)) throw new Error('token count worker: unexpected answer');
      return res.count;
    },
    async truncate(text, maxTokens, suffix = '', signal) {
      const res = await call({ op: 'truncate', text, maxTokens, suffix }, signal);
      if (!res.ok) throw new Error(res.error);
      if (!('truncation' in res)) throw new Error('token count worker: unexpected answer');
      return res.truncation;
    },
    async dispose() {
      const w = worker;
      worker = undefined;
      failAll(new Error('token count worker disposed'));
      if (w) await w.terminate();
    },
  };
}
