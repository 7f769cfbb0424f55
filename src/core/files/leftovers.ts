// Files that are moved, not deleted: a damaged file is set aside (renamed beside itself) so nothing is lost silently,
// and temp files left by a killed writer are removed, but only old ones (another window may be writing right now).
import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isNotFound } from './fileErrors';
import { TEMP_FILE } from './privateWrite';

/** A temp file older than this (wall-clock mtime) is left over from a killed write. */
export const STALE_TEMP_MS = 10 * 60_000;

/** Renames `from` to `to`; false when `from` does not exist. */
export async function renameIfExists(from: string, to: string): Promise<boolean> {
  try {
    await fs.rename(from, to);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Renames `file` to `<file>.<tag>` (or `<file>.<tag>-<n>` if that is taken) and returns the new path. */
export async function moveAside(file: string, tag: string): Promise<string> {
  for (let n = 0; n < 100; n++) {
    const target = `${file}.${tag}${n ? `-${n}` : ''}`;
    try {
      await fs.lstat(target);
      continue; // taken: never overwrite an earlier damaged copy
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await fs.rename(file, target);
    return target;
  }
  throw new Error(l10n.t('No free name to set {0} aside', file));
}

/** Deletes temp files in `dir` whose mtime is older than `maxAgeMs`; returns how many went. */
export async function removeStaleTempFiles(dir: string, maxAgeMs = STALE_TEMP_MS, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if (isNotFound(e)) return 0;
    throw e;
  }
  for (const name of names.filter((n) => TEMP_FILE.test(n))) {
    const file = path.join(dir, name);
    try {
      if (now - (await fs.lstat(file)).mtimeMs < maxAgeMs) continue;
      await fs.unlink(file);
      removed++;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return removed;
}
