// Which endpoints Tally sends the API key and the user's content to. Plain http would hand both to anyone on the
// path, so it is refused except to this machine (a local model server such as Ollama or LM Studio); only http and
// https are accepted at all.
import * as l10n from '@vscode/l10n';
import type { ErrorView } from '../../shared/errors';
import { displayEndpoint } from './endpoint';

/** Loopback names: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Why `baseUrl` is refused, or undefined when requests may go there. */
export function endpointRefusal(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return l10n.t(
      'The API base URL is not a valid URL. Set tally.baseUrl in your user settings to an https:// address.',
    );
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return undefined;
    return l10n.t(
      'Tally does not send your API key over plain http to {0}: use https://, or http only to this machine (localhost, 127.0.0.1, ::1).',
      displayEndpoint(baseUrl),
    );
  }
  return l10n.t('The API base URL must start with https:// (or http:// to this machine), not {0}', url.protocol);
}

/** Thrown by an endpoint resolver when the configured endpoint may not be used; carries what the panel shows. */
export class EndpointRefusedError extends Error {
  readonly view: ErrorView;

  constructor(message: string) {
    super(message);
    this.name = 'EndpointRefusedError';
    this.view = { kind: 'endpointRefused', message, actions: ['openSettings', 'showLog'] };
  }
}
