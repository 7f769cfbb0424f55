// Coalesces the `chat/delta` messages that arrive between two frames into one, so the reducer (which copies the
// message list) runs once per frame instead of once per 4-character piece. The pieces are kept in an array and joined
// once when the frame takes them: O(new text) per frame, whatever the reply's length. DOM-free, unit-tested.
import type { HostToWebview } from '../shared/protocol';

export type ChatDelta = Extract<HostToWebview, { type: 'chat/delta' }>;

export class DeltaBatch {
  private requestId: string | undefined;
  private parts: string[] = [];

  /** Queues `delta`. Deltas of another request queued before it are returned, to be applied first. */
  add(delta: ChatDelta): ChatDelta | undefined {
    const earlier = delta.requestId !== this.requestId ? this.take() : undefined;
    this.requestId = delta.requestId;
    this.parts.push(delta.text);
    return earlier;
  }

  /** Whether a delta is queued. */
  get pending(): boolean {
    return this.requestId !== undefined;
  }

  /** The queued deltas as one (their texts joined in order), or undefined when none is queued. */
  take(): ChatDelta | undefined {
    if (this.requestId === undefined) return undefined;
    const delta: ChatDelta = { type: 'chat/delta', requestId: this.requestId, text: this.parts.join('') };
    this.requestId = undefined;
    this.parts = [];
    return delta;
  }
}
