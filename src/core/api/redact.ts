// Keeps API keys out of anything shown or logged: the known key verbatim, and anything shaped like an OpenAI-style
// secret key (servers sometimes quote the key back in their error messages).
import type { ErrorView } from '../../shared/errors';

const KEY_LIKE = /\b(sk-[A-Za-z0-9_-]{2})[A-Za-z0-9_*-]{6,}/g;

export function redact(text: string, secret?: string): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('[redacted key]');
  return out.replace(KEY_LIKE, '$1…[redacted]');
}

export function redactErrorView(view: ErrorView, secret?: string): ErrorView {
  return {
    ...view,
    message: redact(view.message, secret),
    ...(view.detail !== undefined ? { detail: redact(view.detail, secret) } : {}),
  };
}
