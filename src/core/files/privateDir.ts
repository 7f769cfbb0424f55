// Folders that hold the user's content are private (0700 on POSIX; Windows ignores modes) and are never reached
// through a symbolic link: a link planted in a shared or synced folder must not redirect Tally's writes elsewhere.
import * as l10n from '@vscode/l10n';
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { isNotFound, SymlinkRefusedError } from './fileErrors';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const POSIX = process.platform !== 'win32';

/**
 * Creates `dir` (and missing parents) 0700 and checks every folder from `top` down to `dir`: none may be a symbolic
 * link (SymlinkRefusedError) and each must be a folder. The existing ones are checked before anything is created, so
 * no folder is ever made through a link. Folders made before this rule (0755) are tightened to 0700. `top` defaults
 * to `dir`; it is the store's own folder (say `<storage>/cache`): the folders above it belong to VS Code and the
 * user, who may link them wherever they like.
 */
export async function ensurePrivateDir(dir: string, top: string = dir): Promise<void> {
  const folders = foldersFrom(top, dir);
  if (await checkFolders(folders)) return;
  try {
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (e) {
    // EEXIST/ENOTDIR: a file or a link appeared in the way; the check below says which.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw e;
  }
  if (!(await checkFolders(folders))) throw new Error(l10n.t('Could not create the folder {0}', dir));
}

/** Checks (and tightens) `folders` in order; false at the first one missing. */
async function checkFolders(folders: string[]): Promise<boolean> {
  for (const folder of folders) {
    let st: Stats;
    try {
      st = await fs.lstat(folder);
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    if (st.isSymbolicLink()) throw new SymlinkRefusedError(folder);
    if (!st.isDirectory()) throw new Error(l10n.t('{0} is not a folder', folder));
    if (POSIX && (st.mode & 0o077) !== 0) await fs.chmod(folder, PRIVATE_DIR_MODE).catch(() => undefined); // not ours: leave it
  }
  return true;
}

/** Throws SymlinkRefusedError when `file` is a symbolic link; nothing there, or a plain file, is fine. */
export async function refuseSymlink(file: string): Promise<void> {
  try {
    if ((await fs.lstat(file)).isSymbolicLink()) throw new SymlinkRefusedError(file);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** `top`, then each folder below it down to `dir`; just `dir` when `dir` is not inside `top`. */
function foldersFrom(top: string, dir: string): string[] {
  const relative = path.relative(top, dir);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return [dir];
  const out = [top];
  let current = top;
  for (const part of relative.split(path.sep).filter(Boolean)) out.push((current = path.join(current, part)));
  return out;
}
