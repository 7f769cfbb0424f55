// The one redaction routine: keeps secrets out of anything shown or logged. It removes the known secrets verbatim
// (the API key, a Redis password: servers sometimes quote them back in error messages) and anything shaped like a
// credential: provider API keys, JWTs, `Bearer`/`Basic` tokens, the user:password part of URLs and secret-named URL
// parameters. A shape only matches where it starts a token (not preceded by a letter or digit), so `task-id` or
// `risky` are left alone, while `foo_sk-…` (a key glued to an identifier by `_`) is still caught.
// Every pattern is linear: no nested quantifiers, and no pattern can start twice inside one run of the characters it
// scans (or its scan is bounded), so a hostile 1 MB message costs one pass per pattern.
import type { ErrorView } from '../../shared/errors';

export const REDACTED = '[redacted]';
/** Known secrets shorter than this are not replaced verbatim: they would blank out ordinary words. */
const MIN_KNOWN_SECRET = 8;

/** Not preceded by a letter or digit (an `_` or `-` before is fine: `foo_sk-…`). */
const START = '(?<![A-Za-z0-9])';
const TOKEN_CHARS = '[A-Za-z0-9_-]';

interface Shape {
  /** What it is, for the tests and for reading this list. */
  name: string;
  pattern: RegExp;
  /** The replacement: keeps the kind of secret (its public prefix) so a log still says which key was meant. */
  replace: string;
}

const SHAPES: readonly Shape[] = [
  // Anthropic before OpenAI: both start `sk-`.
  {
    name: 'Anthropic key',
    pattern: new RegExp(`${START}sk-ant-${TOKEN_CHARS}{8,}`, 'gi'),
    replace: `sk-ant-…${REDACTED}`,
  },
  {
    name: 'OpenAI project key',
    pattern: new RegExp(`${START}sk-proj-${TOKEN_CHARS}{8,}`, 'gi'),
    replace: `sk-proj-…${REDACTED}`,
  },
  { name: 'OpenAI-style key', pattern: new RegExp(`${START}sk-${TOKEN_CHARS}{12,}`, 'gi'), replace: `sk-…${REDACTED}` },
  { name: 'Groq key', pattern: new RegExp(`${START}gsk_[A-Za-z0-9]{16,}`, 'gi'), replace: `gsk_…${REDACTED}` },
  { name: 'Google API key', pattern: new RegExp(`${START}AIza${TOKEN_CHARS}{30,}`, 'g'), replace: `AIza…${REDACTED}` },
  { name: 'xAI key', pattern: new RegExp(`${START}xai-[A-Za-z0-9]{16,}`, 'gi'), replace: `xai-…${REDACTED}` },
  // header.payload.signature, base64url; both JSON parts start `{"` = `eyJ`. The signature may be empty (alg none).
  // It starts only where a token run starts (not after `_` or `-` either): then no two attempts scan the same run.
  {
    name: 'JWT',
    pattern: new RegExp(`(?<![A-Za-z0-9_-])eyJ${TOKEN_CHARS}{6,}\\.eyJ${TOKEN_CHARS}{6,}\\.${TOKEN_CHARS}*`, 'g'),
    replace: `[redacted JWT]`,
  },
  // A token after Bearer/Basic: at least 8 characters with a digit or `=` (so "Bearer authentication" stays).
  {
    name: 'Authorization token',
    pattern: /\b(Bearer|Basic)(\s+)(?=[A-Za-z._~+/-]*[0-9=])[A-Za-z0-9._~+/=-]{8,}/gi,
    replace: `$1$2${REDACTED}`,
  },
  // scheme://userinfo@ — the whole userinfo goes: a token is often given as the user name alone.
  { name: 'URL credentials', pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@]+@/gi, replace: `$1${REDACTED}@` },
  // ?api_key=…, &token=…: parameters whose name says they carry a secret.
  {
    name: 'secret URL parameter',
    pattern: /([?&](?:api[-_]?key|key|access[-_]?token|token|auth|password|secret|sig|signature)=)[^&#\s]+/gi,
    replace: `$1${REDACTED}`,
  },
];

/** `text` without `secrets` (verbatim, and URL-encoded) and without anything shaped like a credential. */
export function redact(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of knownSecrets(secrets)) out = out.split(secret).join(`[redacted key]`);
  for (const { pattern, replace } of SHAPES) out = out.replace(pattern, replace);
  return out;
}

/** The names of the shapes `redact` removes (for the tests' corpus). */
export const REDACTED_SHAPES: readonly string[] = SHAPES.map((s) => s.name);

export function redactErrorView(view: ErrorView, secret?: string): ErrorView {
  return {
    ...view,
    message: redact(view.message, secret),
    ...(view.detail !== undefined ? { detail: redact(view.detail, secret) } : {}),
  };
}

/**
 * A URL for display and logs: scheme, host, port and path only. User, password (a token given as the user name
 * too), query and fragment are dropped; a trailing slash goes. Undefined when it is not a URL.
 */
export function displayUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
}

/** Each secret long enough to replace, raw and URL-encoded (it may appear in a URL), longest first. */
function knownSecrets(secrets: (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < MIN_KNOWN_SECRET) continue;
    out.add(s);
    out.add(encodeURIComponent(s));
  }
  return [...out].sort((a, b) => b.length - a.length);
}
