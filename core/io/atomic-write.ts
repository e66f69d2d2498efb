/**
 * Crash-safe writes (DESIGN.md §9: "writers write to a temporary name and rename"). A reader never sees a half
 * file: data go to a temporary name in the same directory (so the rename stays on one file system and is atomic
 * on POSIX), are fsync'ed, then renamed over the target, and the directory entry itself is fsync'ed.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { HamError } from '../contracts/errors.ts';

/** A fresh sibling name for `target`: hidden, unique per process and call, recognisable as ours. */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** What the user can act on, for the errors a full or protected disk gives; the errno code stays in brackets. */
const IO_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

export function ioError(e: unknown, file: string, what: string): HamError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reason = code ? (IO_REASONS[code] ? `${IO_REASONS[code]} (${code})` : code) : ((e as Error)?.message ?? String(e));
  return new HamError('E_IO', `cannot ${what}: ${reason}`, { file });
}

/** Best-effort removal of a temporary file or folder; failing to clean up must not mask the real error. */
function removeQuietly(p: string): void {
  try {
    rmSync(p, { recursive: true, force: true });
  } catch {
    // nothing to do: the original error is reported
  }
}

/** fsync a file or directory by path; directories cannot be fsync'ed on every platform, which is not an error. */
function fsyncPath(p: string, isDir: boolean): void {
  let fd: number | undefined;
  try {
    fd = openSync(p, isDir ? 'r' : 'r+');
    fsyncSync(fd);
  } catch (e) {
    if (!isDir) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Move an already written temporary file or directory onto `target`: fsync it, rename, fsync the parent directory.
 * For directories, an existing target is replaced only when `replace` is set (old copy removed after the swap).
 */
export function commitAtomic(tempPath: string, target: string, opts: { directory?: boolean; replace?: boolean } = {}): void {
  const isDir = opts.directory ?? false;
  try {
    fsyncPath(tempPath, isDir);
    if (isDir && existsSync(target)) {
      if (!opts.replace) throw new HamError('E_IO', 'target folder exists (not replaced)', { file: target });
      const old = tempPathFor(target);
      renameSync(target, old);
      try {
        renameSync(tempPath, target);
      } catch (e) {
        renameSync(old, target); // put the previous folder back
        throw e;
      }
      removeQuietly(old);
    } else {
      renameSync(tempPath, target);
    }
    fsyncPath(path.dirname(target), true);
  } catch (e) {
    removeQuietly(tempPath);
    if (e instanceof HamError) throw e;
    throw ioError(e, target, 'write');
  }
}

/** Write `data` to `target` atomically (temporary sibling + fsync + rename). Creates the parent directory. */
export function writeFileAtomic(target: string, data: Uint8Array | string): void {
  const tmp = tempPathFor(target);
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    removeQuietly(tmp);
    throw ioError(e, target, 'write');
  }
  commitAtomic(tmp, target);
}

/**
 * Build a whole folder under a temporary sibling name and publish it in one rename: `fill(tempDir)` writes the
 * files (with writeFileAtomic, so each is fsync'ed), then the folder is fsync'ed and renamed to `target`. If `fill`
 * throws, the temporary folder is removed and `target` is untouched.
 */
export async function writeDirectoryAtomic(
  target: string, fill: (tempDir: string) => void | Promise<void>, opts: { replace?: boolean } = {},
): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    mkdirSync(tmp, { recursive: true });
    await fill(tmp);
  } catch (e) {
    removeQuietly(tmp);
    if (e instanceof HamError) throw e;
    throw ioError(e, target, 'write folder');
  }
  commitAtomic(tmp, target, { directory: true, replace: opts.replace });
}
