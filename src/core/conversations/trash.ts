// The trash of deleted conversations: `conversations/.trash/<id>.<deletedAt>.json`, restorable (undo) until purged.
// File naming, the check that a path is a trashed file of a given conversation, and the purge of old entries.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface DeletedConversation {
  id: string;
  title: string;
  deletedAt: number;
  trashFile: string;
}

const TRASH_FILE = /^([A-Za-z0-9_-]+)\.(\d+)\.json$/;

/** Where conversation `id`, deleted at `deletedAt`, goes in `trashDir`. */
export const trashFileFor = (trashDir: string, id: string, deletedAt: number): string =>
  path.join(trashDir, `${id}.${deletedAt}.json`);

/** True when `file` is a trashed copy of conversation `id` directly in `trashDir`. */
export const isTrashFileOf = (trashDir: string, file: string, id: string): boolean =>
  path.dirname(file) === trashDir && TRASH_FILE.exec(path.basename(file))?.[1] === id;

/** Deletes the trashed files deleted before `oldest` (ms); a file that cannot be deleted is left for next time. */
export async function purgeTrash(trashDir: string, oldest: number): Promise<void> {
  for (const name of await fs.readdir(trashDir)) {
    const m = TRASH_FILE.exec(name);
    if (m && Number(m[2]) < oldest) await fs.unlink(path.join(trashDir, name)).catch(() => undefined);
  }
}
