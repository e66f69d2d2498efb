/**
 * `deeph-new` export: the new DeepH layout (DeepH-dock's unified format; read by core/datasets/deeph-new.ts, whose
 * header lists the sources) — POSCAR, info.json, hamiltonian.h5 and overlap.h5 with atom_pairs (N × 5: R1, R2, R3,
 * i, j, 0-based atoms), chunk_boundaries (N + 1), chunk_shapes (N × 2) and the blocks' entries concatenated
 * row-major, H in eV, in DeepH-dock's orbital order (the Wikipedia real harmonics = our internal order). Molecules
 * go in the same cubic box as the legacy export.
 */
import { orbitalsOfShells } from '../basis/orbital-layout.ts';
import { HamError } from '../contracts/errors.ts';
import { energyFactor } from '../contracts/units.ts';
import { blockData } from '../datasets/sample.ts';
import { writeH5 } from '../io/hdf5.ts';
import { softwareVersion } from '../runtime/version.ts';
import { elementSymbol } from '../structure/elements.ts';
import { writePoscar } from '../structure/formats/poscar.ts';
import { fermiLevelEV, moleculeBox } from './deeph.ts';
import { ExportFiles, type ExportFormat } from './format.ts';
import type { ExportSource } from './source.ts';

async function write(source: ExportSource, dir: string): Promise<string[]> {
  const { sample } = source;
  const { structure, atomShells, blocks } = sample;
  const cell = source.kind === 'crystal' ? structure.cell : moleculeBox(sample);
  if (!cell) throw new HamError('E_INPUT', 'the crystal has no cell', { file: source.origin });
  const files = new ExportFiles(dir);
  files.text('POSCAR', writePoscar({ ...structure, cell, pbc: [true, true, true], info: undefined }));
  const map: Record<string, number[]> = {};
  structure.numbers.forEach((z, a) => { map[elementSymbol(z)] = atomShells[a]; });
  const fermi = fermiLevelEV(source);
  files.json('info.json', {
    atoms_quantity: structure.numbers.length,
    orbits_quantity: orbitalsOfShells(atomShells.flat()),
    orthogonal_basis: false,
    spinful: false,
    ...(fermi === undefined ? {} : { fermi_energy_eV: fermi }),
    elements_orbital_map: map,
    units: { H: 'eV', S: 'dimensionless', positions: 'angstrom' },
    predicted: source.predicted,
    basis: source.basis,
    exported_by: `Hamiltonian Studio ${softwareVersion()}`,
    ...source.provenance,
  });
  const n = blocks.i.length;
  const pairs = new BigInt64Array(5 * n);
  const bounds = new BigInt64Array(n + 1);
  const shapes = new BigInt64Array(2 * n);
  for (let b = 0; b < n; b++) {
    pairs.set([BigInt(blocks.R[3 * b]), BigInt(blocks.R[3 * b + 1]), BigInt(blocks.R[3 * b + 2]), BigInt(blocks.i[b]), BigInt(blocks.j[b])], 5 * b);
    bounds[b + 1] = BigInt(blocks.offsets[b + 1]);
    shapes.set([BigInt(orbitalsOfShells(atomShells[blocks.i[b]])), BigInt(orbitalsOfShells(atomShells[blocks.j[b]]))], 2 * b);
  }
  const entries = (which: 'H' | 'S', scale: number) => {
    const out = new Float64Array(blocks.offsets[n]);
    for (let b = 0; b < n; b++) out.set(blockData(blocks, which, b).map((v) => v * scale), blocks.offsets[b]);
    return out;
  };
  const tables = [
    { name: 'atom_pairs', shape: [n, 5], data: pairs }, { name: 'chunk_boundaries', shape: [n + 1], data: bounds },
    { name: 'chunk_shapes', shape: [n, 2], data: shapes },
  ];
  await writeH5(files.path('hamiltonian.h5'), [...tables, { name: 'entries', shape: [blocks.offsets[n]], data: entries('H', energyFactor(sample.unit, 'eV')) }]);
  await writeH5(files.path('overlap.h5'), [...tables, { name: 'entries', shape: [blocks.offsets[n]], data: entries('S', 1) }]);
  return files.names;
}

export const deephNewFormat: ExportFormat = {
  name: 'deeph-new',
  summary: 'new DeepH (DeepH-dock) folder: POSCAR, info.json, hamiltonian.h5, overlap.h5 (wiki order, eV)',
  kinds: ['molecule', 'crystal'],
  order: { fixed: 'deeph' },
  write,
};
