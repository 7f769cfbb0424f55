// Error classification: any failure of a chat request becomes an ErrorView (kind, message, actions) for the panel,
// and a `retryable` verdict for the retry policy. Works on the SDK's error shapes by duck typing (status, code,
// headers, name), so classifying never loads the SDK.
import * as l10n from '@vscode/l10n';
import type { ErrorKind, ErrorView } from '../../shared/errors';

export interface Classified {
  view: ErrorView;
  retryable: boolean;
  /** HTTP status when the server answered. */
  status?: number;
  /** Wait the server asked for (Retry-After / retry-after-ms), in milliseconds. */
  retryAfterMs?: number;
}

interface ApiErrorShape {
  status?: number;
  code?: string | null;
  type?: string;
  error?: { message?: string; code?: string | null; type?: string } | null;
  headers?: Headers | Record<string, string> | null;
  requestID?: string | null;
  message?: string;
  name?: string;
  cause?: unknown;
}

/** Thrown by Tally itself (timeouts, stalls, bad stream data), with its kind decided where it happens. */
export class TallyError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'TallyError';
  }
}

function header(headers: ApiErrorShape['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string>;
  return rec[name] ?? rec[name.toLowerCase()];
}

/** Milliseconds the server asked to wait: `retry-after-ms`, else `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(headers: ApiErrorShape['headers'], now: number): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (header(headers, 'retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = header(headers, 'retry-after');
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The request got no HTTP answer, or lost it (also used where the SDK's connection errors are translated). */
export function networkMessage(): string {
  return l10n.t('Could not reach the API. Check your connection and the base URL (tally.baseUrl).');
}

function isAbort(e: ApiErrorShape): boolean {
  return e.name === 'AbortError' || e.name === 'APIUserAbortError';
}

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504]);

function view(kind: ErrorKind, message: string, extra: Partial<ErrorView> = {}): ErrorView {
  const actions: ErrorView['actions'] = {
    auth: ['setApiKey', 'showLog'],
    noApiKey: ['setApiKey'],
    quota: ['openBilling', 'showLog'],
    rateLimited: ['retry', 'showLog'],
    contextTooLong: ['newChat', 'retry'],
    modelNotFound: ['chooseModel', 'showLog'],
    badRequest: ['showLog'],
    server: ['retry', 'showLog'],
    network: ['retry', 'openSettings', 'showLog'],
    timeout: ['retry', 'showLog'],
    cancelled: [],
    unknown: ['retry', 'showLog'],
    budget: ['raiseBudget', 'sendAnyway'],
    replyTooLarge: ['openSettings', 'showLog'],
    endpointRefused: ['openSettings', 'showLog'],
  }[kind] as ErrorView['actions'];
  return { kind, message, actions, ...extra };
}

/** Classifies anything thrown while requesting or streaming a reply. `now` is for HTTP-date Retry-After. */
export function classifyError(err: unknown, now = Date.now()): Classified {
  if (err instanceof TallyError) {
    return { view: view(err.kind, err.message, err.detail ? { detail: err.detail } : {}), retryable: err.retryable };
  }
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ApiErrorShape;
  if (isAbort(e)) return { view: view('cancelled', l10n.t('Stopped.')), retryable: false };
  const apiMessage = e.error?.message ?? e.message;
  const code = e.code ?? e.error?.code ?? undefined;
  const requestId = e.requestID ?? header(e.headers, 'x-request-id') ?? undefined;
  const extra: Partial<ErrorView> = {
    ...(apiMessage ? { detail: apiMessage } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const status = typeof e.status === 'number' ? e.status : undefined;

  if (status === undefined) {
    // The SDK parses each SSE event as JSON: a SyntaxError means the server sent data that is not a chunk.
    if (e.name === 'SyntaxError' || /Could not parse message into JSON/.test(e.message ?? '')) {
      return { view: view('server', l10n.t('The API sent malformed stream data.'), extra), retryable: true };
    }
    // Socket and fetch errors that reached us untranslated: the request never got an HTTP answer, or lost it.
    if (
      e.name === 'TypeError' ||
      /ECONN|ENOTFOUND|EAI_AGAIN|socket|network|terminated|fetch failed/i.test(e.message ?? '')
    ) {
      return {
        view: view('network', networkMessage(), extra),
        retryable: true,
      };
    }
    return { view: view('unknown', l10n.t('The request failed unexpectedly.'), extra), retryable: false };
  }
  const retryAfterMs = parseRetryAfter(e.headers, now);
  const base = { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status === 401 || status === 403) {
    return {
      ...base,
      view: view(
        'auth',
        status === 401
          ? l10n.t('The API rejected the API key.')
          : l10n.t('The API key is not allowed to use this model or endpoint.'),
        extra,
      ),
      retryable: false,
    };
  }
  if (status === 429 && (code === 'insufficient_quota' || e.error?.type === 'insufficient_quota')) {
    return {
      ...base,
      view: view(
        'quota',
        l10n.t('Your API quota is used up. Add credit or raise the limit in your billing settings.'),
        extra,
      ),
      retryable: false,
    };
  }
  if (status === 429)
    return { ...base, view: view('rateLimited', l10n.t('Rate limited by the API.'), extra), retryable: true };
  if (code === 'context_length_exceeded') {
    return {
      ...base,
      view: view(
        'contextTooLong',
        l10n.t('The conversation is too long for this model. Start a new chat or shorten the input.'),
        extra,
      ),
      retryable: false,
    };
  }
  if (status === 404) {
    return {
      ...base,
      view: view(
        'modelNotFound',
        l10n.t('The model was not found at this endpoint. Choose another model (tally.model).'),
        extra,
      ),
      retryable: false,
    };
  }
  if (status === 400 || status === 422) {
    return {
      ...base,
      view: view(
        'badRequest',
        apiMessage ? l10n.t('The API refused the request: {0}', apiMessage) : l10n.t('The API refused the request.'),
        extra,
      ),
      retryable: false,
    };
  }
  if (status === 408) return { ...base, view: view('timeout', l10n.t('The API timed out.'), extra), retryable: true };
  if (RETRYABLE_STATUS.has(status)) {
    return {
      ...base,
      view: view('server', l10n.t('The API had a server error ({0}).', status), extra),
      retryable: true,
    };
  }
  return {
    ...base,
    view: view('unknown', l10n.t('The API answered with status {0}.', status), extra),
    retryable: false,
  };
}
