// Which conversation was on screen when a workspace's window last closed, kept in a small file beside that
// workspace's conversations. A file rather than workspaceState: under a remote or web workbench (code-server)
// workspaceState lives in the browser and may not be flushed when the window goes away, while this folder is the
// same one the conversations are in. Two windows on one workspace: the last one to open a conversation wins.
// The file is private and size-checked like the conversations: one that is too large, a link or not JSON is set
// aside with one warning (it only names an id, so nothing else is lost).
import * as path from 'node:path';
import { errorMessage } from '../errorMessage';
import { readBounded } from '../files/boundedRead';
import { isNotFound, isRefusedFile } from '../files/fileErrors';
import { moveAside } from '../files/leftovers';
import { writeAtomic } from '../files/privateWrite';
import { silentLogger, type Logger } from '../ports';
import { isConversationId } from './codec';

// A dot name: never taken for a conversation file (<id>.json) by the store.
const FILE = '.last-open.json';
/** `{"version":1,"id":"…"}` is a few dozen bytes; anything past this is not ours. */
export const MAX_LAST_OPENED_BYTES = 4096;

export class LastOpened {
  private readonly file: string;
  private written: string | undefined;

  constructor(
    root: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.file = path.join(root, 'conversations', FILE);
  }

  async get(): Promise<string | undefined> {
    let raw: unknown;
    try {
      const got = await readBounded(this.file, MAX_LAST_OPENED_BYTES);
      if (!got) return undefined; // none yet: nothing to reopen
      raw = JSON.parse(got.text);
    } catch (e) {
      // Too large, a link, not a file or not JSON: set aside. An I/O error (EACCES…) leaves it: nothing to reopen.
      if (isRefusedFile(e) || e instanceof SyntaxError) await this.setAside(errorMessage(e));
      return undefined;
    }
    const id = (raw as { id?: unknown } | null)?.id;
    return isConversationId(id) ? id : undefined;
  }

  async set(id: string): Promise<void> {
    if (this.written === id) return;
    await writeAtomic(this.file, JSON.stringify({ version: 1, id }));
    this.written = id;
  }

  private async setAside(reason: string): Promise<void> {
    try {
      const target = await moveAside(this.file, 'unreadable');
      this.logger.warn(`Set aside ${target}, which should name the last open conversation (${reason})`);
    } catch (e) {
      if (!isNotFound(e)) this.logger.warn(`Cannot read ${this.file} (${reason}) nor set it aside: ${errorMessage(e)}`);
    }
  }
}
