// Which conversation was on screen when a workspace's window last closed, kept in a small file beside that
// workspace's conversations. A file rather than workspaceState: under a remote or web workbench (code-server)
// workspaceState lives in the browser and may not be flushed when the window goes away, while this folder is the
// same one the conversations are in. Two windows on one workspace: the last one to open a conversation wins.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../atomicFile';
import { isConversationId } from './codec';

// A dot name: never taken for a conversation file (<id>.json) by the store.
const FILE = '.last-open.json';

export class LastOpened {
  private readonly file: string;
  private written: string | undefined;

  constructor(root: string) {
    this.file = path.join(root, 'conversations', FILE);
  }

  async get(): Promise<string | undefined> {
    try {
      const raw = JSON.parse(await fs.readFile(this.file, 'utf8')) as { id?: unknown };
      return isConversationId(raw.id) ? raw.id : undefined;
    } catch {
      return undefined;   // none yet, or unreadable: nothing to reopen
    }
  }

  async set(id: string): Promise<void> {
    if (this.written === id) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeAtomic(this.file, JSON.stringify({ version: 1, id }));
    this.written = id;
  }
}
