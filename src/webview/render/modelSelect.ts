// The panel's model picker: a native select (keyboard and screen-reader friendly as it is) of the models the host
// offers, `Auto` first. Choosing posts `model/choose`; the host confirms with `models/listed` (the select follows
// the host, never its own guess). The first focus asks the host to list the endpoint's models too.
import * as l10n from '@vscode/l10n';
import type { ModelOptionView, WebviewToHost } from '../../shared/protocol';
import { el } from './dom';

export class ModelSelect {
  readonly el = el('select', { id: 'model-picker', title: l10n.t('Model for this workspace') });
  private options: ModelOptionView[] | undefined;
  private asked = false;

  constructor(post: (msg: WebviewToHost) => void) {
    this.el.setAttribute('aria-label', l10n.t('Model'));
    this.el.addEventListener('focus', () => {
      if (this.asked) return;
      this.asked = true;
      post({ type: 'models/list', refresh: true });
    });
    this.el.addEventListener('change', () => post({ type: 'model/choose', model: this.el.value }));
    this.el.hidden = true;
  }

  /** Shows `models` (rebuilds the options only when the host sent a new list). */
  paint(models: { selected: string; options: ModelOptionView[] } | undefined): void {
    this.el.hidden = !models;
    if (!models) return;
    if (models.options !== this.options) {
      this.options = models.options;
      this.el.replaceChildren(
        ...models.options.map((o) => el('option', { value: o.id, textContent: o.label, title: o.detail })),
      );
    }
    if (this.el.value !== models.selected) this.el.value = models.selected;
    const current = models.options.find((o) => o.id === models.selected);
    this.el.title = current
      ? l10n.t('Model for this workspace: {0} ({1})', current.label, current.detail)
      : l10n.t('Model');
  }
}
