// Counts file work instead of timing it: which files are opened and how many bytes are read and written through
// `fs.promises` (open + FileHandle read/write, and the path-based readFile/writeFile/appendFile). Tests assert a
// store's cost per operation with it, so a loaded machine cannot make them fail. Patches the shared `fs.promises`
// object and the FileHandle prototype until `restore()`; only for tests that run one store at a time.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FileWork {
  /** Paths opened (by path), in order, with whether the open could write. */
  opened: Array<{ file: string; write: boolean }>;
  bytesRead: number;
  bytesWritten: number;
}

export interface FsMeter {
  /** The work counted since the last `take()` (or since the meter started), and a fresh count from now on. */
  take(): FileWork;
  restore(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wraps fs functions of every signature
type AnyFunction = (this: unknown, ...args: any[]) => any;

const WRITE_FLAGS = /[wa+]/;
const byteLength = (data: unknown): number =>
  typeof data === 'string' ? Buffer.byteLength(data) : ArrayBuffer.isView(data) ? data.byteLength : 0;

export async function meterFs(): Promise<FsMeter> {
  const probe = await fs.open(path.join(os.tmpdir(), `fs-meter-probe-${process.pid}`), 'w');
  const handleProto = Object.getPrototypeOf(probe) as Record<string, unknown>;
  await probe.close();
  await fs.unlink(path.join(os.tmpdir(), `fs-meter-probe-${process.pid}`));

  let work: FileWork = { opened: [], bytesRead: 0, bytesWritten: 0 };
  const undo: Array<() => void> = [];
  const patch = <T extends object>(target: T, name: string, wrap: (original: AnyFunction) => AnyFunction): void => {
    const rec = target as Record<string, unknown>;
    const original = rec[name] as AnyFunction;
    rec[name] = wrap(original);
    undo.push(() => (rec[name] = original));
  };

  patch(
    fs,
    'open',
    (original) =>
      function (this: unknown, file: unknown, flags: unknown = 'r', ...rest: unknown[]) {
        const write =
          typeof flags === 'number'
            ? (flags & 3) !== 0 // O_WRONLY or O_RDWR
            : WRITE_FLAGS.test(String(flags));
        work.opened.push({ file: String(file), write });
        return original.call(this, file, flags, ...rest);
      },
  );
  patch(
    handleProto,
    'read',
    (original) =>
      async function (this: unknown, ...args: unknown[]) {
        const r = (await original.apply(this, args)) as { bytesRead: number };
        work.bytesRead += r.bytesRead;
        return r;
      },
  );
  patch(
    handleProto,
    'write',
    (original) =>
      async function (this: unknown, ...args: unknown[]) {
        const r = (await original.apply(this, args)) as { bytesWritten: number };
        work.bytesWritten += r.bytesWritten;
        return r;
      },
  );
  for (const name of ['writeFile', 'appendFile']) {
    patch(
      handleProto,
      name,
      (original) =>
        function (this: unknown, data: unknown, ...rest: unknown[]) {
          work.bytesWritten += byteLength(data);
          return original.call(this, data, ...rest);
        },
    );
    patch(
      fs,
      name,
      (original) =>
        function (this: unknown, file: unknown, data: unknown, ...rest: unknown[]) {
          work.opened.push({ file: String(file), write: true });
          work.bytesWritten += byteLength(data);
          return original.call(this, file, data, ...rest);
        },
    );
  }
  patch(
    handleProto,
    'readFile',
    (original) =>
      async function (this: unknown, ...args: unknown[]) {
        const r = (await original.apply(this, args)) as string | Buffer;
        work.bytesRead += byteLength(r);
        return r;
      },
  );
  patch(
    fs,
    'readFile',
    (original) =>
      async function (this: unknown, file: unknown, ...rest: unknown[]) {
        work.opened.push({ file: String(file), write: false });
        const r = (await original.call(this, file, ...rest)) as string | Buffer;
        work.bytesRead += byteLength(r);
        return r;
      },
  );

  return {
    take() {
      const taken = work;
      work = { opened: [], bytesRead: 0, bytesWritten: 0 };
      return taken;
    },
    restore() {
      for (const u of undo.reverse()) u();
    },
  };
}
