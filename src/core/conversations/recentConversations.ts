// The conversation objects the host is editing (created, loaded, saved), the most recent few, so that rename()
// changes the very copy that will be saved next.
import type { Conversation } from './codec';

export class RecentConversations {
  private readonly byId = new Map<string, Conversation>();

  constructor(private readonly limit = 16) {}

  get(id: string): Conversation | undefined {
    return this.byId.get(id);
  }

  /** Keeps `c` as the most recent; the least recent one beyond the limit is forgotten. */
  remember(c: Conversation): void {
    this.byId.delete(c.id);
    this.byId.set(c.id, c);
    if (this.byId.size > this.limit) this.byId.delete(this.byId.keys().next().value as string);
  }

  forget(id: string): void {
    this.byId.delete(id);
  }
}
