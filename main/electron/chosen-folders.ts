/**
 * Folders the user chose in the desktop app's folder dialog (DESIGN.md §2: file access only to paths the user chose).
 * The router asks it before a call reads a dataset folder: the path must be a chosen folder or lie inside one.
 */
import path from 'node:path';

export class ChosenFolders {
  private readonly folders = new Set<string>();

  add(folder: string): void {
    this.folders.add(path.resolve(folder));
  }

  allows(p: string): boolean {
    const full = path.resolve(p);
    return [...this.folders].some((f) => {
      const rel = path.relative(f, full);
      return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
    });
  }
}
