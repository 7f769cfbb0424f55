// What is done ahead of a streaming reply's paint, in tasks of its own (panel.ts layOutAhead): the views whose newly
// finished blocks were cut out (MessageList.prepare) render them a slice at a time and hold them (renderAhead), then
// insert them (insertHeld), so no one task renders or lays out all that a paint adds.
import type { MessageView } from './messageView';

export class WorkAhead {
  private views: MessageView[] = [];

  /** `shown`: whether a view is still in the list's window (one that left it is dropped with what it had). */
  constructor(private readonly shown: (view: MessageView) => boolean) {}

  /** `view` was given blocks to render ahead (MessageView.prepare). */
  add(view: MessageView): void {
    if (!this.views.includes(view)) this.views.push(view);
  }

  /** Renders about `maxChars` characters of the blocks cut out, and holds them; the characters rendered. */
  renderAhead(maxChars: number): number {
    const view = this.withWork().find((v) => v.ahead.more);
    return view?.renderAhead(maxChars) ?? 0;
  }

  /** The characters rendered ahead and held, and whether blocks are left to render. */
  ahead(): { held: number; more: boolean } {
    let held = 0;
    let more = false;
    for (const v of this.withWork()) {
      const a = v.ahead;
      held += a.held;
      more ||= a.more;
    }
    return { held, more };
  }

  /** Inserts the blocks renderAhead holds; the characters inserted. */
  insertHeld(): number {
    let chars = 0;
    for (const v of this.withWork()) chars += v.insertHeld();
    return chars;
  }

  /** The views given blocks that still hold or wait for some, oldest first: the last reply, and a reply that was
   *  still being sliced when another message came after it (its paint waits for the slices: messageView.ts). */
  private withWork(): MessageView[] {
    this.views = this.views.filter((v) => {
      const a = v.ahead;
      return (a.more || a.held > 0) && this.shown(v);
    });
    return this.views;
  }
}
