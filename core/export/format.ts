/**
 * One export format (the registry in registry.ts lists them, in the manner of ASE's `ase.io.formats`): its name,
 * what structures it can describe, which orbital order it writes, and the writer. Writers fill an empty temporary
 * folder that the caller renames into place, so an export appears complete or not at all.
 */
import path from 'node:path';
import type { OrbitalConvention } from '../basis/conventions.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { encodeNpy, type NpyData } from '../io/npy.ts';
import type { ExportSource, StructureKind } from './source.ts';

export type OrderRule =
  /** The format defines the order (a DFT code's AO order); --order may only repeat it. */
  | { fixed: OrbitalConvention }
  /** The user chooses with --order; without it, this default. */
  | { choose: (source: ExportSource) => OrbitalConvention };

export interface ExportFormat {
  name: string;
  summary: string;
  kinds: readonly StructureKind[];
  order: OrderRule;
  /** Write into the empty folder `dir`; returns the names of the files written. */
  write(source: ExportSource, dir: string, order: OrbitalConvention): Promise<string[]>;
}

/** The files of one export, each written atomically into the (temporary) export folder. */
export class ExportFiles {
  readonly names: string[] = [];

  constructor(private readonly dir: string) {}

  /** Full path of a file of the export, recorded as written (for writers that create the file themselves). */
  path(name: string): string {
    this.names.push(name);
    return path.join(this.dir, name);
  }

  text(name: string, text: string): void {
    writeFileAtomic(this.path(name), text);
  }

  json(name: string, value: unknown): void {
    this.text(name, `${JSON.stringify(value, null, 1)}\n`);
  }

  npy(name: string, shape: number[], data: NpyData): void {
    writeFileAtomic(this.path(name), encodeNpy(shape, data));
  }
}
