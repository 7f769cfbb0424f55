// The panel's language, loaded before its first render: the JSON data block the host put in the HTML (see
// shared/panelL10n.ts) configures @vscode/l10n's t() and the display locale for Intl. A missing or malformed block
// leaves the panel in English.
import * as l10n from '@vscode/l10n';
import { setDisplayLocale } from '../shared/displayLocale';
import { PANEL_L10N_ID, parsePanelL10n, type PanelL10n } from '../shared/panelL10n';

export function loadPanelL10n(doc: Document): PanelL10n {
  const payload = parsePanelL10n(doc.getElementById(PANEL_L10N_ID)?.textContent);
  l10n.config({ contents: payload.bundle });
  setDisplayLocale(payload.language);
  return payload;
}
