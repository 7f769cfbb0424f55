// What the panel needs to show a failure: a kind, a sentence for people, and the actions that help.

export type ErrorKind =
  | 'auth'
  | 'quota'
  | 'rateLimited'
  | 'contextTooLong'
  | 'modelNotFound'
  | 'badRequest'
  | 'server'
  | 'network'
  | 'timeout'
  | 'replyTooLarge'
  | 'cancelled'
  | 'noApiKey'
  | 'endpointRefused'
  | 'budget'
  | 'unknown';

export type ErrorAction =
  | 'setApiKey'
  | 'openBilling'
  | 'retry'
  | 'newChat'
  | 'chooseModel'
  | 'showLog'
  | 'openSettings'
  | 'raiseBudget'
  | 'sendAnyway';

export interface ErrorView {
  kind: ErrorKind;
  /** One or two sentences for the user; never a stack trace, never the API key. */
  message: string;
  /** The API's own words and request id, for the details fold and the log. */
  detail?: string;
  requestId?: string;
  actions: ErrorAction[];
}
