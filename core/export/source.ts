/**
 * What an export writes from: one structure with its shells and H and S blocks (a HamiltonianSample, wiki order,
 * in its own energy unit), whether it is a molecule or a crystal, what basis the shells belong to, whether H is a
 * prediction, and its provenance. Sources are a `hamstudio predict` folder (molecule), a legacy DeepH folder
 * (crystal; formats §3.1), or built in memory (`moleculeSource`, e.g. by the SCF benchmark).
 */
import path from 'node:path';
import type { OrbitalConvention } from '../basis/conventions.ts';
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import { isDeephLegacyFolder, readDeephLegacyFolder } from '../datasets/deeph-legacy.ts';
import { optionalFile } from '../datasets/files.ts';
import { moleculeBlocks, type HamiltonianSample } from '../datasets/sample.ts';
import type { Structure } from '../structure/structure.ts';
import { readPredictionFolder } from './prediction-folder.ts';

export type StructureKind = 'molecule' | 'crystal';

export interface ExportSource {
  /** The folder it was read from, or a label for in-memory sources. */
  origin: string;
  kind: StructureKind;
  /** Structure, shells and the H and S blocks, wiki order; S is always present. */
  sample: HamiltonianSample;
  /** Basis-set name: a Gaussian basis for molecules (e.g. def2-SVP), the code's basis for crystals (e.g. dzp). */
  basis?: string;
  /** True for a model's prediction, false for reference (DFT) matrices. */
  predicted: boolean;
  /** Orbital order of the source files: the default of formats whose order the user may choose. */
  order: OrbitalConvention;
  /** Where the matrices came from (model, code, …), copied into the export's metadata. */
  provenance: Record<string, unknown>;
}

export interface MoleculeMatrices {
  structure: Structure;
  atomShells: number[][];
  unit: EnergyUnit;
  /** Dense n × n, row-major, wiki order. */
  H: Float64Array;
  S: Float64Array;
  basis: string;
  predicted: boolean;
  origin: string;
  order?: OrbitalConvention;
  provenance?: Record<string, unknown>;
}

export function moleculeSource(m: MoleculeMatrices): ExportSource {
  return {
    origin: m.origin,
    kind: 'molecule',
    sample: {
      id: path.basename(m.origin), structure: m.structure, atomShells: m.atomShells, unit: m.unit, convention: 'wiki',
      blocks: moleculeBlocks(m.atomShells, m.H, m.S), references: {},
    },
    basis: m.basis,
    predicted: m.predicted,
    order: m.order ?? 'wiki',
    provenance: m.provenance ?? {},
  };
}

/** A prediction folder (meta.json + H.npy + S.npy) or a legacy DeepH folder; anything else is refused by name. */
export async function readExportSource(dir: string): Promise<ExportSource> {
  if (isDeephLegacyFolder(dir)) {
    const { sample, orbitalOrder, info, predicted } = await readDeephLegacyFolder(dir);
    if (!sample.blocks.S) {
      throw new HamError('E_INPUT', 'no overlaps.h5: exports need S beside H', { file: dir });
    }
    const { code, xc, basis } = info;
    return {
      origin: dir, kind: 'crystal', sample, basis: typeof basis === 'string' ? basis : undefined, predicted,
      order: orbitalOrder, provenance: { source: path.resolve(dir), code, xc },
    };
  }
  if (optionalFile(dir, 'meta.json')) return moleculeSource(readPredictionFolder(dir));
  throw new HamError('E_INPUT',
    'not an export source: expected a prediction folder (meta.json, H.npy, S.npy from hamstudio predict) or a legacy DeepH folder (hamiltonians.h5, orbital_types.dat)',
    { file: dir });
}
