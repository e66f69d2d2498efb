/**
 * `deeph` export (formats §3.1, §4.7): a legacy DeepH "processed" folder as DeepH-pack's inference reads it.
 *
 *   lat.dat, rlat.dat      lattice vectors (Å) and reciprocal vectors (2π inv(cell rows), 1/Å) as COLUMNS
 *   site_positions.dat     3 × N Cartesian Å, one column per atom;   element.dat   atomic numbers
 *   orbital_types.dat      per atom the l of each shell (the shell order is the same in every convention)
 *   info.json              isspinful, fermi_level (eV, when known), nsites, norbits, isorthogonal, orbital_order,
 *                          units, basis and provenance
 *   hamiltonians_pred.h5   predicted H, or hamiltonians.h5 for reference H (so the file name keeps saying which),
 *   overlaps.h5            S; one float64 dataset per block, key "[R1, R2, R3, i, j]" (1-based atoms), value the
 *                          n_i × n_j block ⟨φ_i(0)|H|φ_j(R)⟩ in eV in the chosen orbital order
 *
 * Numbers are written as numpy.savetxt does by default (%.18e), which round-trips float64 exactly. The order is the
 * user's choice, by default the source's ('openmx' is DeepH-pack's own, 'gpaw' our graphene data's). Molecules
 * become one folder with only R = 0 blocks in a cubic box with 20 Å of vacuum beyond the atoms' extent, and
 * fermi_level is the middle of the HOMO–LUMO gap of H.
 */
import { convertBlock, type OrbitalConvention } from '../basis/conventions.ts';
import { orbitalsOfShells } from '../basis/orbital-layout.ts';
import { HamError } from '../contracts/errors.ts';
import { energyFactor } from '../contracts/units.ts';
import { legacyKey, PREDICTED_H } from '../datasets/deeph-legacy.ts';
import { blockData, denseMatrix, type HamiltonianSample } from '../datasets/sample.ts';
import { writeH5 } from '../io/hdf5.ts';
import { frontierOrbitals } from '../physics/density.ts';
import { generalizedEigen } from '../physics/generalized-eigen.ts';
import { occupiedOrbitals } from '../physics/molecular-metrics.ts';
import { softwareVersion } from '../runtime/version.ts';
import { invert3 } from '../structure/cell.ts';
import type { Mat3 } from '../structure/structure.ts';
import { ExportFiles, type ExportFormat } from './format.ts';
import type { ExportSource } from './source.ts';

const VACUUM = 20;

const savetxt = (rows: number[][], fmt: (x: number) => string) => `${rows.map((r) => r.map(fmt).join(' ')).join('\n')}\n`;
/** numpy.savetxt's default '%.18e': 19 significant digits (exact for float64), exponent of at least two digits. */
const e18 = (x: number) => x.toExponential(18).replace(/e([+-])(\d+)$/, (_, sign: string, d: string) => `e${sign}${d.padStart(2, '0')}`);

/** A cubic box around a molecule, large enough that no basis function reaches a periodic image. */
export function moleculeBox(sample: HamiltonianSample): Mat3 {
  const extent = Math.max(...[0, 1, 2].map((c) => {
    const xs = sample.structure.positions.map((p) => p[c]);
    return Math.max(...xs) - Math.min(...xs);
  }));
  const a = Math.ceil(extent + VACUUM);
  return [[a, 0, 0], [0, a, 0], [0, 0, a]];
}

/** Middle of the HOMO–LUMO gap in eV: DeepH's band tools need a Fermi level, a molecule's lies in the gap. */
function midGap(sample: HamiltonianSample): number | undefined {
  const n = orbitalsOfShells(sample.atomShells.flat());
  const eig = generalizedEigen(denseMatrix(sample, 'H'), denseMatrix(sample, 'S'), n);
  const { homo, lumo } = frontierOrbitals(eig, occupiedOrbitals(sample.structure.numbers));
  return lumo === undefined ? undefined : 0.5 * (homo + lumo) * energyFactor(sample.unit, 'eV');
}

/** The Fermi level DeepH's tools need, in eV: the crystal's own when known, a molecule's mid-gap. */
export function fermiLevelEV(source: ExportSource): number | undefined {
  const { sample } = source;
  if (source.kind !== 'crystal') return midGap(sample);
  return sample.references.fermiLevel === undefined ? undefined : sample.references.fermiLevel * energyFactor(sample.unit, 'eV');
}

async function write(source: ExportSource, dir: string, order: OrbitalConvention): Promise<string[]> {
  const { sample } = source;
  const { structure, atomShells, blocks } = sample;
  const cell = source.kind === 'crystal' ? structure.cell : moleculeBox(sample);
  const inv = cell && invert3(cell);
  if (!cell || !inv) throw new HamError('E_INPUT', 'the crystal has no invertible cell', { file: source.origin });
  const files = new ExportFiles(dir);
  const columns = (m: number[][]) => [0, 1, 2].map((r) => m.map((v) => v[r]));
  files.text('lat.dat', savetxt(columns(cell), e18));
  // Columns b_j with a_i · b_j = 2π δ_ij: the matrix 2π inv(A) for A with the a_i as rows.
  files.text('rlat.dat', savetxt(inv.map((row) => row.map((x) => 2 * Math.PI * x)), e18));
  files.text('site_positions.dat', savetxt(columns(structure.positions), e18));
  files.text('element.dat', savetxt(structure.numbers.map((z) => [z]), String));
  files.text('orbital_types.dat', savetxt(atomShells, String));
  const fermi = fermiLevelEV(source);
  const hName = source.predicted ? PREDICTED_H : 'hamiltonians.h5';
  files.json('info.json', {
    isspinful: false,
    ...(fermi === undefined ? {} : { fermi_level: fermi }),
    nsites: structure.numbers.length,
    norbits: orbitalsOfShells(atomShells.flat()),
    isorthogonal: false,
    orbital_order: order,
    units: { H: 'eV', S: 'dimensionless', positions: 'angstrom', fermi_level: 'eV' },
    basis: source.basis,
    kind: source.kind,
    exported_by: `Hamiltonian Studio ${softwareVersion()}`,
    ...source.provenance,
  });
  const toEV = energyFactor(sample.unit, 'eV');
  const datasets = (which: 'H' | 'S', scale: number) => Array.from(blocks.i, (i, b) => {
    const j = blocks.j[b];
    const data = convertBlock(blockData(blocks, which, b), atomShells[i], atomShells[j], 'wiki', order);
    if (scale !== 1) data.forEach((v, k) => { data[k] = v * scale; });
    return { name: legacyKey(blocks, b), shape: [orbitalsOfShells(atomShells[i]), orbitalsOfShells(atomShells[j])], data };
  });
  await writeH5(files.path(hName), datasets('H', toEV));
  await writeH5(files.path('overlaps.h5'), datasets('S', 1));
  return files.names;
}

export const deephFormat: ExportFormat = {
  name: 'deeph',
  summary: 'legacy DeepH processed folder (hamiltonians_pred.h5, overlaps.h5, …); order openmx for DeepH-pack, default the source\'s',
  kinds: ['molecule', 'crystal'],
  order: { choose: (source) => source.order },
  write,
};
