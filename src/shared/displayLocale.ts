// The display language for numbers, money and dates (issue #15). VS Code gives the extension its display language
// as a lower-case tag ("en", "zh-cn"); Intl wants BCP 47 ("en-US", "zh-CN"). The host sets it once at activation
// from `vscode.env.language`, the panel from the bundle payload in its HTML; everything that formats with Intl asks
// `displayLocale()` instead of hard-coding a locale. Plain data: no vscode, no Node, no DOM.

let current = 'en-US';

/** The BCP 47 tag Intl should use for `language` (VS Code's `env.language`); English when unknown or malformed. */
export function intlLocaleFor(language: string | undefined): string {
  const tag = (language ?? '').trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return 'en-US';
  const [lang, ...rest] = tag.split('-');
  if (lang.toLowerCase() === 'en' && rest.length === 0) return 'en-US';
  const canonical = [lang.toLowerCase(), ...rest.map((p) => (p.length === 2 ? p.toUpperCase() : p))].join('-');
  try {
    return Intl.getCanonicalLocales(canonical)[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

/** Sets the display language from VS Code's `env.language` (e.g. "zh-cn"). */
export function setDisplayLocale(language: string | undefined): void {
  current = intlLocaleFor(language);
}

/** The BCP 47 locale for Intl formatting, e.g. "en-US" or "zh-CN". */
export function displayLocale(): string {
  return current;
}
