// A logger that passes every line through `redact` before it reaches the real one, so no code path can log a key by
// forgetting to redact. The host wraps its output channel with it once; everything else logs through the wrapper.
// It returns the same type it is given (a Proxy): the channel's other members (show, dispose, …) work unchanged.
import type { Logger } from '../ports';
import { redact } from './redact';

/** The logging methods whose text is redacted; `append`/`appendLine`/`replace` are an output channel's raw writers. */
const TEXT_METHODS = new Set<PropertyKey>([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'append',
  'appendLine',
  'replace',
]);

/**
 * `logger`, with every message and argument redacted. `secrets` is asked at each line, so a key set or changed later
 * (SecretStorage) is covered without re-wrapping; return the API key, Redis password and the like.
 */
export function redactingLogger<T extends Logger>(
  logger: T,
  secrets: () => readonly (string | undefined)[] = () => [],
): T {
  const clean = (x: unknown): unknown => redactValue(x, secrets());
  return new Proxy(logger, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!TEXT_METHODS.has(prop)) return value.bind(target);
      return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args.map(clean));
    },
  });
}

/**
 * A log argument as something safe to print: strings redacted, an Error as its redacted stack (or message), other
 * objects as redacted JSON. Numbers, booleans and the like pass as they are.
 */
export function redactValue(x: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof x === 'string') return redact(x, ...secrets);
  if (x instanceof Error) return redact(x.stack ?? `${x.name}: ${x.message}`, ...secrets);
  if (typeof x === 'object' && x !== null) {
    try {
      return redact(JSON.stringify(x) ?? String(x), ...secrets);
    } catch {
      return redact(String(x), ...secrets); // a cycle
    }
  }
  return x;
}
