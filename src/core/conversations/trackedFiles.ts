// Per conversation, what this window knows of its file: the state its queued writes lead to (savedState.ts), and
// the file as the last write (or load) left it. Kept for the most recent few conversations; a conversation
// forgotten here simply gets a whole snapshot at its next save.
import type { SavedState } from './savedState';

export interface TrackedFile {
  /** What the file holds once the queued writes land. */
  state: SavedState;
  /** Saves queued so far; `writtenGen`: the latest whose state is in the file (a snapshot may hold several). */
  gen: number;
  writtenGen: number;
  /** The file as the last write or load left it: its fingerprint (size:mtime:inode) and size. */
  fingerprint?: string;
  size: number;
  /** False when the next write must be a whole snapshot: new file, old format, torn tail, failed write. */
  appendable: boolean;
}

/** One save's write: a record to append, or (first save) the snapshot taken when the save was made. */
export interface LogJob {
  gen: number;
  record?: string;
  snapshot?: string;
}

export class TrackedFiles {
  private readonly byId = new Map<string, TrackedFile>();

  constructor(private readonly limit = 32) {}

  get(id: string): TrackedFile | undefined {
    return this.byId.get(id);
  }

  /** Keeps `file` as the most recent; the least recent beyond the limit is forgotten (its writes keep their copy). */
  remember(id: string, file: TrackedFile): void {
    this.byId.delete(id);
    this.byId.set(id, file);
    if (this.byId.size > this.limit) this.byId.delete(this.byId.keys().next().value as string);
  }

  forget(id: string): void {
    this.byId.delete(id);
  }
}
