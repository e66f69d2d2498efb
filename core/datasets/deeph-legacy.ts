/**
 * The legacy DeepH "processed" layout (DeepH-pack, DeepH-E3; formats §3.1), one folder per structure:
 *
 *   lat.dat              3×3 Å, lattice vectors as COLUMNS (transposed here to the rows of Structure.cell)
 *   site_positions.dat   3×N Cartesian Å, one column per atom
 *   element.dat          atomic numbers, one per line
 *   orbital_types.dat    one line per atom: the l of each radial function, in the code's order
 *   info.json            isspinful, fermi_level (eV), optional orbital_order (default "openmx", DeepH-pack's own
 *                        order, since DeepH-pack's preprocessing writes OpenMX's m order)
 *   hamiltonians.h5      one dataset per block, key "[R1, R2, R3, i, j]" (i, j 1-based), n_i × n_j in eV;
 *                        hamiltonians_pred.h5 instead in a folder of predictions (as DeepH-pack's inference writes)
 *   overlaps.h5          the same keys, dimensionless (optional; when present its keys must equal H's)
 *   eigenvalues_kmesh.npy + kpoints_frac.npy   (our datasets) reference eigenvalues on the SCF k-mesh
 *
 * A dataset is either one such folder or a root folder whose sub-folders are such folders.
 */
import path from 'node:path';
import { isOrbitalConvention, type OrbitalConvention, type OrbitalMap } from '../basis/conventions.ts';
import { orbitalsOfShells } from '../basis/orbital-layout.ts';
import { HamError } from '../contracts/errors.ts';
import { withH5, type H5File } from '../io/hdf5.ts';
import { npyToFloat64, readNpy } from '../io/npy.ts';
import type { Mat3, Vec3 } from '../structure/structure.ts';
import { BlockListBuilder } from './block-builder.ts';
import { optionalFile, readJsonObject, readNumberTable, requireFile } from './files.ts';
import { atomOrbitalMaps, blockToWiki } from './orbital-maps.ts';
import { blockKey, type HamiltonianSample, type KpointReference, type SampleBlocks } from './sample.ts';
import { assertBlockHermiticity, assertFinite } from './validate.ts';

const LAYOUT = 'legacy DeepH';
/** The Hamiltonian file of a folder of predictions. */
export const PREDICTED_H = 'hamiltonians_pred.h5';
export const DEEPH_LEGACY_DEFAULT_ORDER: OrbitalConvention = 'openmx';

/** What a legacy folder holds besides the blocks. */
export interface DeephLegacyStructure {
  sample: HamiltonianSample;
  orbitalOrder: OrbitalConvention;
  info: Record<string, unknown>;
  /** The folder holds a model's prediction (hamiltonians_pred.h5), not reference data. */
  predicted: boolean;
}

const KEY = /^\[\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\]$/;

/** Parse a block key "[R1, R2, R3, i, j]" (1-based atoms) to 0-based atoms; E_FORMAT naming the key. */
export function parseLegacyKey(key: string, nAtoms: number, file: string): { R: [number, number, number]; i: number; j: number } {
  const m = KEY.exec(key);
  if (!m) throw new HamError('E_FORMAT', 'dataset name is not a block key "[R1, R2, R3, i, j]"', { file, key });
  const i = Number(m[4]) - 1;
  const j = Number(m[5]) - 1;
  if (i < 0 || j < 0 || i >= nAtoms || j >= nAtoms) {
    throw new HamError('E_FORMAT', `atom index out of range 1…${nAtoms} (indices are 1-based)`, { file, key });
  }
  return { R: [Number(m[1]), Number(m[2]), Number(m[3])], i, j };
}

function readStructureFiles(dir: string) {
  const latFile = requireFile(dir, 'lat.dat', LAYOUT);
  const lat = readNumberTable(latFile, { rows: 3, cols: 3 });
  const cell = [0, 1, 2].map((k) => [lat[0][k], lat[1][k], lat[2][k]] as Vec3) as Mat3;

  const elemFile = requireFile(dir, 'element.dat', LAYOUT);
  const numbers = readNumberTable(elemFile, { cols: 1 }).map(([z], a) => {
    if (!Number.isInteger(z) || z < 1 || z > 118) throw new HamError('E_FORMAT', `atom ${a + 1}: ${z} is not an atomic number`, { file: elemFile, line: a + 1 });
    return z;
  });
  const nAtoms = numbers.length;

  const posFile = requireFile(dir, 'site_positions.dat', LAYOUT);
  const cols = readNumberTable(posFile, { rows: 3 });
  if (cols.some((row) => row.length !== nAtoms)) {
    throw new HamError('E_FORMAT', `expected 3 lines of ${nAtoms} columns (one per atom of element.dat)`, { file: posFile });
  }
  const positions = numbers.map((_, a) => [cols[0][a], cols[1][a], cols[2][a]] as Vec3);

  const orbFile = requireFile(dir, 'orbital_types.dat', LAYOUT);
  const atomShells = readNumberTable(orbFile).map((ls, a) => {
    if (!ls.every((l) => Number.isInteger(l) && l >= 0)) throw new HamError('E_FORMAT', 'orbital types must be integers l ≥ 0', { file: orbFile, line: a + 1 });
    return ls;
  });
  if (atomShells.length !== nAtoms) {
    throw new HamError('E_FORMAT', `${atomShells.length} lines but element.dat lists ${nAtoms} atoms`, { file: orbFile });
  }
  return { cell, numbers, positions, atomShells };
}

function readInfo(dir: string): { info: Record<string, unknown>; order: OrbitalConvention; fermi?: number } {
  const file = requireFile(dir, 'info.json', LAYOUT);
  const info = readJsonObject(file);
  if (info.isspinful === true) throw new HamError('E_FORMAT', 'spinful (spin–orbit) Hamiltonians are not supported', { file, key: 'isspinful' });
  const order = info.orbital_order ?? DEEPH_LEGACY_DEFAULT_ORDER;
  if (typeof order !== 'string' || !isOrbitalConvention(order)) {
    throw new HamError('E_FORMAT', `unknown orbital_order ${JSON.stringify(order)}`, { file, key: 'orbital_order' });
  }
  const fermi = typeof info.fermi_level === 'number' ? info.fermi_level : undefined;
  return { info, order, fermi };
}

function readKpoints(dir: string): KpointReference | undefined {
  const eigFile = optionalFile(dir, 'eigenvalues_kmesh.npy');
  const kFile = optionalFile(dir, 'kpoints_frac.npy');
  if (!eigFile || !kFile) return undefined;
  const eig = readNpy(eigFile);
  const k = readNpy(kFile);
  if (eig.shape.length !== 2 || k.shape.length !== 2 || k.shape[1] !== 3 || k.shape[0] !== eig.shape[0]) {
    throw new HamError('E_FORMAT', `shape (${eig.shape.join(', ')}) does not match kpoints_frac.npy (${k.shape.join(', ')}); expected (nK, nBands) and (nK, 3)`, { file: eigFile });
  }
  return { frac: npyToFloat64(k, kFile), eigenvalues: npyToFloat64(eig, eigFile), nBands: eig.shape[1] };
}

interface FileBlock {
  key: string;
  i: number;
  j: number;
  R: [number, number, number];
  data: Float64Array;
}

/**
 * Every block of one file, converted to wiki and checked against the atoms' orbital counts, by normalised key
 * (blockKey), so that files spelling keys with different spacing still match.
 */
function readBlockFile(h5: H5File, atomOrbitals: number[], maps: OrbitalMap[], nAtoms: number): Map<string, FileBlock> {
  const out = new Map<string, FileBlock>();
  for (const key of h5.keys()) {
    const { R, i, j } = parseLegacyKey(key, nAtoms, h5.file);
    const { shape, data } = h5.read(key);
    const nr = atomOrbitals[i];
    const nc = atomOrbitals[j];
    if (shape.length !== 2 || shape[0] !== nr || shape[1] !== nc) {
      throw new HamError('E_BASIS_MISMATCH',
        `block shape (${shape.join(', ')}) but orbital_types.dat gives ${nr} × ${nc} (atom ${i + 1}: ${nr} orbitals, atom ${j + 1}: ${nc})`,
        { file: h5.file, key });
    }
    assertFinite(data, { file: h5.file, key }, (k) => `entry (${Math.floor(k / nc)}, ${k % nc})`);
    out.set(blockKey(i, j, R), { key, i, j, R, data: blockToWiki(data, maps[i], maps[j]) });
  }
  return out;
}

/** Read one legacy DeepH folder as a sample; `id` defaults to the folder name. */
export async function readDeephLegacyFolder(dir: string, id = path.basename(path.resolve(dir))): Promise<DeephLegacyStructure> {
  const { cell, numbers, positions, atomShells } = readStructureFiles(dir);
  const { info, order, fermi } = readInfo(dir);
  const nAtoms = numbers.length;
  const atomOrbitals = atomShells.map(orbitalsOfShells);
  const maps = atomOrbitalMaps(atomShells, order);

  const hFile = optionalFile(dir, PREDICTED_H) ?? requireFile(dir, 'hamiltonians.h5', LAYOUT);
  const sFile = optionalFile(dir, 'overlaps.h5');
  const hBlocks = await withH5(hFile, (f) => readBlockFile(f, atomOrbitals, maps, nAtoms));
  const sBlocks = sFile ? await withH5(sFile, (f) => readBlockFile(f, atomOrbitals, maps, nAtoms)) : undefined;
  if (sBlocks) {
    for (const [k, b] of hBlocks) if (!sBlocks.has(k)) throw new HamError('E_FORMAT', 'block of hamiltonians.h5 missing from overlaps.h5', { file: sFile, key: b.key });
    for (const [k, b] of sBlocks) if (!hBlocks.has(k)) throw new HamError('E_FORMAT', 'block of overlaps.h5 missing from hamiltonians.h5', { file: hFile, key: b.key });
  }
  const builder = new BlockListBuilder();
  for (const [k, b] of hBlocks) builder.add(b.i, b.j, b.R, b.data, sBlocks?.get(k)?.data);
  const blocks = builder.build();
  const keyOf = (b: number) => legacyKey(blocks, b);
  assertBlockHermiticity(blocks, 'H', atomOrbitals, hFile, keyOf);
  if (sFile) assertBlockHermiticity(blocks, 'S', atomOrbitals, sFile, keyOf);

  const sample: HamiltonianSample = {
    id,
    structure: { numbers, positions, cell, pbc: [true, true, true] },
    atomShells,
    unit: 'eV',
    convention: 'wiki',
    blocks,
    references: { fermiLevel: fermi, kpoints: readKpoints(dir) },
  };
  return { sample, orbitalOrder: order, info, predicted: path.basename(hFile) === PREDICTED_H };
}

/** The key of block b in the legacy spelling "[R1, R2, R3, i, j]" (1-based atoms). */
export function legacyKey(blocks: SampleBlocks, b: number): string {
  const R = blocks.R;
  return `[${R[3 * b]}, ${R[3 * b + 1]}, ${R[3 * b + 2]}, ${blocks.i[b] + 1}, ${blocks.j[b] + 1}]`;
}

/** True when `dir` looks like one legacy DeepH folder (the two files only this layout has). */
export function isDeephLegacyFolder(dir: string): boolean {
  return (optionalFile(dir, 'hamiltonians.h5') ?? optionalFile(dir, PREDICTED_H)) !== undefined && optionalFile(dir, 'orbital_types.dat') !== undefined;
}
