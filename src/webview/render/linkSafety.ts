// Pure link checks for model output (no DOM, so they run in plain Node tests): which URLs may be opened, the host a
// link really goes to, the host its text appears to show, and the characters that can make text lie about either.
// A link whose text shows one host while it goes to another gets a visible "→ real.host" marker (see markdownLinks).

/** Schemes a link in the panel may open; everything else (javascript:, data:, vbscript:, command:, file:, …) is text. */
export const OPENABLE_SCHEMES: readonly string[] = ['http:', 'https:', 'mailto:'];

/** Bidi controls (embeddings, overrides, isolates, marks, Arabic letter mark) and zero-width characters. */
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF]/g;

/** Dots that URL parsers (IDNA) treat as '.', which NFKC alone does not map. */
const DOT_LOOKALIKES = /[\u3002\uFF61]/g;

/** Removes bidi controls and zero-width characters. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** The URL, parsed, when it is absolute and its scheme is one the panel opens; otherwise undefined. */
export function openableUrl(href: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (!OPENABLE_SCHEMES.includes(url.protocol)) return undefined;
  // A web link names its host after "//" (URL parsers accept "https:host" and "https:\\host"; VS Code's Uri does not).
  if (url.protocol !== 'mailto:' && (!url.hostname || !/^https?:\/\//i.test(href))) return undefined;
  return url;
}

export function isOpenableUrl(href: string): boolean {
  return openableUrl(href) !== undefined;
}

/** The host a URL really goes to, in ASCII (punycode for IDN): the hostname, or a mailto address's domain. */
export function realHost(href: string): string | undefined {
  const url = openableUrl(href);
  if (!url) return undefined;
  if (url.protocol !== 'mailto:') return url.hostname.toLowerCase();
  const address = decodeURIComponent(url.pathname.split(',')[0] ?? '');
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : asciiHost(address.slice(at + 1));
}

/** A host as a URL parser sees it (lower case, punycode), or undefined when it is not a valid host. */
function asciiHost(host: string): string | undefined {
  try {
    const h = new URL(`http://${host}/`).hostname.toLowerCase();
    return h || undefined;
  } catch {
    return undefined;
  }
}

// A domain: labels of letters, digits, marks and hyphens, separated by dots, ending in a label of 2+ letters.
const LABEL = '[\\p{L}\\p{N}\\p{M}](?:[\\p{L}\\p{N}\\p{M}-]*[\\p{L}\\p{N}\\p{M}])?';
const DOMAIN = new RegExp(
  `(^|[^\\p{L}\\p{N}\\p{M}./\\\\-])((?:[a-z][a-z0-9+.-]*:/{0,3})?(?:[^\\s/@]+@)?(?:www\\.)?)((?:${LABEL}\\.)+\\p{L}[\\p{L}\\p{M}]+)(?![\\p{L}\\p{N}\\p{M}-])`,
  'giu',
);
/** Source-file extensions that are also TLDs: a bare "README.md" is a file name, "https://README.md" a host. */
const FILE_EXTENSIONS = new Set([
  'md',
  'ts',
  'tsx',
  'js',
  'jsx',
  'mjs',
  'cjs',
  'json',
  'py',
  'rs',
  'go',
  'sh',
  'cs',
  'rb',
  'pl',
  'kt',
  'java',
  'cpp',
  'hpp',
  'html',
  'css',
  'scss',
  'vue',
  'php',
  'swift',
  'txt',
  'yml',
  'yaml',
  'toml',
  'lock',
  'xml',
  'sql',
]);

/**
 * The host the link text appears to show, in ASCII (so "gіthub.com" with a Cyrillic і becomes its punycode), or
 * undefined when the text shows no host. Look-alike dots (full-width, ideographic, one-dot leader) count as dots.
 */
export function shownHost(text: string): string | undefined {
  const normal = stripInvisible(text).normalize('NFKC').replace(DOT_LOOKALIKES, '.');
  for (const m of normal.matchAll(DOMAIN)) {
    const [, , prefix = '', domain = ''] = m;
    const tld = domain.slice(domain.lastIndexOf('.') + 1).toLowerCase();
    const bare = prefix === '' && domain.split('.').length === 2;
    if (bare && FILE_EXTENSIONS.has(tld)) continue;
    const host = asciiHost(domain);
    if (host) return host;
  }
  return undefined;
}

const withoutWww = (host: string): string => host.replace(/^www\./, '');

/** True when `real` is `shown` or a subdomain of it (ignoring a leading www.). */
function sameSite(shown: string, real: string): boolean {
  const s = withoutWww(shown);
  const r = withoutWww(real);
  return r === s || r.endsWith(`.${s}`);
}

export interface LinkCheck {
  /** The URL the link opens, for its title. */
  url: string;
  /** The real host, shown next to the link when the text shows another host or the real host is IDN. */
  warnHost?: string;
}

/**
 * What the panel shows about a link: always its real URL (for the title), and the real host when the text shows a
 * different host, or when the real host is an internationalized (punycode) name that can imitate another.
 * Undefined when the link must not be clickable at all.
 */
export function checkLink(text: string, href: string): LinkCheck | undefined {
  const url = openableUrl(href);
  if (!url) return undefined;
  const real = realHost(href);
  const shown = shownHost(text);
  if (!real || !shown) return { url: url.href };
  const idn = real.split('.').some((label) => label.startsWith('xn--'));
  return sameSite(shown, real) && !idn ? { url: url.href } : { url: url.href, warnHost: real };
}
