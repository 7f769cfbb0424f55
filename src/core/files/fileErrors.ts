// The file toolkit's errors: each says what was refused and why, in words fit for a log and a user warning (in the
// display language: they reach the user through "Tally could not …" and the stores' warnings).
import * as l10n from '@vscode/l10n';

export const isNotFound = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** A write (or read) refused because the path, or a folder on the way to it, is a symbolic link. */
export class SymlinkRefusedError extends Error {
  readonly code = 'ESYMLINK';
  constructor(readonly path: string) {
    super(
      l10n.t('Refusing to use {0}: it is a symbolic link, and Tally never writes or reads its files through one', path),
    );
    this.name = 'SymlinkRefusedError';
  }
}

/** A file larger than the bound for its kind: it is not read (nor parsed) at all. */
export class FileTooLargeError extends Error {
  readonly code = 'ETOOLARGE';
  constructor(
    readonly path: string,
    readonly size: number,
    readonly maxBytes: number,
    readonly fingerprint?: string,
  ) {
    super(l10n.t('{0} is {1} bytes, more than the {2} bytes such a file may have', path, size, maxBytes));
    this.name = 'FileTooLargeError';
  }
}

/** Something other than a regular file (a folder, a FIFO, a device) where a file was expected. */
export class NotAFileError extends Error {
  readonly code = 'ENOTFILE';
  constructor(readonly path: string) {
    super(l10n.t('{0} is not a regular file', path));
    this.name = 'NotAFileError';
  }
}

/** The file was refused for what it is (too large, a link, not a file), not for an I/O error: it may be set aside. */
export const isRefusedFile = (e: unknown): boolean =>
  e instanceof FileTooLargeError || e instanceof SymlinkRefusedError || e instanceof NotAFileError;
