// Unit tests that read Tally's sentences in Simplified Chinese: `useChinese()` loads the zh-cn bundle exactly as the
// build merges it from i18n/zh-cn/*.json (scripts/l10nBundle.mjs) and sets the display locale, as activation does in a
// Chinese VS Code; `englishAfterEach()` puts English back after every test of the file (no bundle, en-US), so a test
// that forgets cannot leak Chinese into the next one.
import * as path from 'node:path';
import { afterEach } from 'node:test';
import * as l10n from '@vscode/l10n';
import { mergeFragments, readFragments, REPO } from '../../scripts/l10nBundle.mjs';
import { setDisplayLocale } from '../../src/shared/displayLocale';

let zhCn: Record<string, string> | undefined;

/** The merged zh-cn bundle, as shipped in l10n/bundle.l10n.zh-cn.json. */
export function zhCnBundle(): Record<string, string> {
  zhCn ??= mergeFragments(readFragments(path.join(REPO, 'i18n', 'zh-cn')));
  return zhCn;
}

export function useChinese(): void {
  l10n.config({ contents: zhCnBundle() });
  setDisplayLocale('zh-cn');
}

export function englishAfterEach(): void {
  afterEach(() => {
    l10n.config({ contents: {} });
    setDisplayLocale('en');
  });
}
