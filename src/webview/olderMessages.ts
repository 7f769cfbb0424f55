// The older messages of a long conversation that the host has not sent the panel yet (it sends the newest:
// core/conversations/messagePages.ts), and the asks for them (`conversation/more`): at most one per first message
// loaded, so a paint, a scroll and a position being put back that all want them ask once. No DOM here: unit-tested in
// plain Node; render/messageList.ts decides when they are wanted (messageWindow.ts wantsOlder).

export class OlderMessages {
  /** Messages before the first loaded one that the host has not sent. */
  count = 0;
  /** Asks made (a work counter for the UI tests). */
  asks = 0;
  private conversationId: string | undefined;
  private firstId: string | undefined;
  /** The first loaded message whose older ones were asked for, until they come. */
  private asked: string | undefined;

  /** `ask` posts the ask for the messages before `beforeId` of conversation `conversationId`. */
  constructor(private readonly ask: (conversationId: string, beforeId: string) => void) {}

  /** At each paint: the conversation shown, the id of the first message loaded and how many are older. Whether older
   *  messages came since the last ask (the list then goes on loading if its top is still in view). */
  update(conversationId: string | undefined, firstId: string | undefined, count: number): boolean {
    const changed = conversationId !== this.conversationId;
    const came = !changed && this.asked !== undefined && firstId !== this.firstId;
    if (changed || came) this.asked = undefined;
    this.conversationId = conversationId;
    this.firstId = firstId;
    this.count = count;
    return came;
  }

  /** Asks for the messages before the first loaded one, unless all are loaded or they were asked for already. */
  want(): void {
    if (this.count === 0 || !this.firstId || !this.conversationId || this.asked === this.firstId) return;
    this.asked = this.firstId;
    this.asks++;
    this.ask(this.conversationId, this.firstId);
  }
}
