// The panel's one live region: visually hidden, polite and atomic, so a screen reader reads each announcement whole
// when the user pauses (webview/announcer.ts decides what is said and when). The text is cleared first and written a
// moment later, so the same words said twice in a row are read twice; words said within that moment are read together.
import { el } from './dom';

const WRITE_DELAY_MS = 50;

export class LiveRegion {
  readonly el = el('div', { id: 'announcer', className: 'visually-hidden' });
  private pending: string[] = [];
  private timer = 0;

  constructor() {
    this.el.setAttribute('aria-live', 'polite');
    this.el.setAttribute('aria-atomic', 'true');
  }

  say(text: string): void {
    this.pending.push(text);
    if (this.timer) return;
    this.el.textContent = '';
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      this.el.textContent = this.pending.join(' ');
      this.pending = [];
      this.el.dataset.count = String(Number(this.el.dataset.count ?? 0) + 1);
    }, WRITE_DELAY_MS);
  }
}
