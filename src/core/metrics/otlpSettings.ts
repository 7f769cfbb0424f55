// `tally.telemetry.otlpEndpoint` and `tally.telemetry.otlpHeaders`, validated: where a team's collector receives
// the request metrics as spans. Empty (the default) is off. The endpoint follows the API endpoint's rule
// (endpointPolicy.ts): https anywhere, plain http only to this machine, since the headers may carry a collector's
// API key. A header value is never repeated in a problem (it may be a secret).
import { isLoopbackHost } from '../api/endpointPolicy';

export interface OtlpSettings {
  /** The collector's traces URL ('' = export off). */
  endpoint: string;
  headers: Record<string, string>;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const MAX_HEADERS = 32;
const MAX_VALUE = 8192;

/** Why `url` may not receive the metrics, or undefined when it may. */
export function otlpEndpointRefusal(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (u.username || u.password) return 'a URL with a user name or password (use tally.telemetry.otlpHeaders)';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:')
    return isLoopbackHost(u.hostname) ? undefined : 'plain http is allowed only to this machine: use https://';
  return `it must start with https:// (or http:// to this machine), not ${u.protocol}`;
}

export function parseOtlpSettings(
  endpointRaw: unknown,
  headersRaw: unknown,
): { otlp: OtlpSettings; problems: string[] } {
  const problems: string[] = [];
  let endpoint = typeof endpointRaw === 'string' ? endpointRaw.trim() : '';
  if (endpointRaw !== undefined && endpointRaw !== null && typeof endpointRaw !== 'string')
    problems.push('tally.telemetry.otlpEndpoint: expected a URL; export is off');
  if (endpoint) {
    const refusal = otlpEndpointRefusal(endpoint);
    if (refusal) {
      problems.push(`tally.telemetry.otlpEndpoint: ${refusal}; export is off`);
      endpoint = '';
    }
  }
  const headers: Record<string, string> = {};
  if (headersRaw !== undefined && headersRaw !== null) {
    if (typeof headersRaw !== 'object' || Array.isArray(headersRaw)) {
      problems.push('tally.telemetry.otlpHeaders: expected an object of header names to text values; none sent');
    } else {
      for (const [name, value] of Object.entries(headersRaw as Record<string, unknown>)) {
        const ok =
          HEADER_NAME.test(name) &&
          typeof value === 'string' &&
          value.length <= MAX_VALUE &&
          !/[\r\n\0]/.test(value) &&
          Object.keys(headers).length < MAX_HEADERS;
        if (ok) headers[name] = value;
        else
          problems.push(
            `tally.telemetry.otlpHeaders: header ${JSON.stringify(name.slice(0, 64))} is not valid; not sent`,
          );
      }
    }
  }
  return { otlp: { endpoint, headers }, problems };
}
