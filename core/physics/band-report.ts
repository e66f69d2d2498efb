/**
 * A band-structure report (DESIGN.md §4): bands of a crystal's H(R), S(R) along a k-path with the Fermi level —
 * from the DFT data's own value or from an electron count on a Γ-centred mesh — in eV, absolute and relative to
 * E_F. `hamstudio bands` writes it as JSON and CSV; the app's bands call returns it.
 */
import { HamError } from '../contracts/errors.ts';
import { energyFactor } from '../contracts/units.ts';
import { orbitalCount, type HamiltonianSample } from '../datasets/sample.ts';
import { bandStructure, type KEigenvalues } from './bands.ts';
import { sparseBands, type SparseBandsOptions } from './sparse-bands.ts';
import { fermiLevel } from './fermi.ts';
import { automaticMesh, gammaCentredMesh, type KPath } from './kpath.ts';

/** How the Fermi level is found: the electron count on a Γ-centred mesh, or the dataset's own value. */
export type FermiSpec =
  | { electrons: number; mesh: [number, number, number]; smearing: number; why: string; meshBands?: KEigenvalues }
  | { dataset: true };

export interface BandsResult {
  format: 'hamstudio-bands';
  version: 1;
  id: string;
  unit: 'eV';
  n_orbitals: number;
  n_bands: number;
  lattice: string | null;
  kpath: string;
  kpoints_frac: number[][];
  /** Cumulative path length, 1/Å (reciprocal vectors with 2π). */
  distance: number[];
  labels: { index: number; label: string; distance: number }[];
  fermi_level: number;
  fermi_level_source: string;
  dropped_overlap_eigenvalues: number[];
  /** nK × nBands, eV (for a window, the eigenvalues in it at each k-point: rows may differ in length). */
  energies: number[][];
  energies_minus_fermi: number[][];
  /** Present when the sparse solver computed a window of bands instead of all of them. */
  window?: { solver: string; center: number; half_width: number; spurious_dropped: number[]; seconds: number };
}

export const SPARSE_SOLVER = 'shift-and-invert Krylov-Schur (SLEPc) with a sparse LU (MUMPS)';

/** Bands of a sample along `path`; the Fermi level per `fermi` (energies converted to eV). */
export function bandsOfSample(sample: HamiltonianSample, path: KPath, fermi: FermiSpec, threshold?: number): BandsResult {
  const toEV = energyFactor(sample.unit, 'eV');
  const bands = bandStructure(sample, path.frac, threshold);
  let eF: number;
  let source: string;
  if ('electrons' in fermi) {
    // The caller may pass the mesh's bands when it needs them anyway (the app's DOS).
    const mesh = fermi.meshBands ?? bandStructure(sample, gammaCentredMesh(fermi.mesh), threshold);
    eF = fermiLevel(mesh, fermi.electrons, { width: fermi.smearing / toEV }) * toEV;
    source = `${fermi.electrons} electrons (${fermi.why}), Γ-centred ${fermi.mesh.join('×')} mesh, Fermi–Dirac ${fermi.smearing} eV`;
  } else {
    if (sample.references.fermiLevel === undefined) {
      throw new HamError('E_INPUT', `${sample.id}: the data give no Fermi level; pass --electrons N (valence electrons per cell)`);
    }
    eF = sample.references.fermiLevel * toEV;
    source = 'info.json fermi_level';
  }
  const rows = Array.from({ length: path.frac.length / 3 }, (_, q) => Array.from(bands.eigenvalues.subarray(q * bands.nBands, (q + 1) * bands.nBands), (e) => e * toEV));
  return report(sample, path, rows, eF, source, Array.from(bands.dropped));
}

/** The report of energies (eV, per k-point) with their Fermi level or window centre. */
function report(sample: HamiltonianSample, path: KPath, energies: number[][], eF: number, source: string, dropped: number[]): BandsResult {
  const nK = path.frac.length / 3;
  return {
    format: 'hamstudio-bands',
    version: 1,
    id: sample.id,
    unit: 'eV',
    n_orbitals: orbitalCount(sample),
    n_bands: Math.max(...energies.map((r) => r.length)),
    lattice: path.lattice ?? null,
    kpath: path.spec,
    kpoints_frac: Array.from({ length: nK }, (_, q) => Array.from(path.frac.subarray(3 * q, 3 * q + 3))),
    distance: Array.from(path.distance),
    labels: path.labels.map((l) => ({ ...l, distance: path.distance[l.index] })),
    fermi_level: eF,
    fermi_level_source: source,
    dropped_overlap_eigenvalues: dropped,
    energies,
    energies_minus_fermi: energies.map((row) => row.map((e) => e - eF)),
  };
}

/**
 * A window of bands around `center` (eV) from the sparse solver, as a report: energies relative to the centre,
 * which stands in for E_F (the solver cannot count electrons).
 */
export async function windowBandsOfSample(sample: HamiltonianSample, path: KPath, center: number, centerSource: string, opts: Omit<SparseBandsOptions, 'center'>): Promise<BandsResult> {
  const toEV = energyFactor(sample.unit, 'eV');
  const w = await sparseBands(sample, path.frac, { ...opts, center: center / toEV });
  const r = report(sample, path, w.eigenvalues.map((row) => row.map((e) => e * toEV)), center, centerSource, w.spurious.map(() => 0));
  return { ...r, window: { solver: SPARSE_SOLVER, center, half_width: w.halfWidth * toEV, spurious_dropped: w.spurious, seconds: w.seconds } };
}

/** The absolute energies (eV) of a report as eigenvalues, e.g. for the band error against another report. */
export const asEigenvalues = (r: BandsResult): KEigenvalues => ({ eigenvalues: Float64Array.from(r.energies.flat()), nBands: r.n_bands });

/** One row per (k-point, band): plotting tools read this long form directly. */
export function bandsCsv(r: BandsResult): string {
  const label = new Map(r.labels.map((l) => [l.index, l.label]));
  const lines = ['k_index,distance_inv_angstrom,label,band,energy_eV,energy_minus_fermi_eV'];
  r.energies.forEach((row, q) => row.forEach((e, b) => {
    lines.push(`${q},${r.distance[q]},${label.get(q) ?? ''},${b + 1},${e},${r.energies_minus_fermi[q][b]}`);
  }));
  return `${lines.join('\n')}\n`;
}

/**
 * The mesh for an electron count: the data's own SCF mesh when known, else about 0.25 1/Å spacing on the axes the
 * blocks couple across (one k-point across vacuum).
 */
export function electronCountMesh(sample: HamiltonianSample, kmesh?: [number, number, number]): [number, number, number] {
  if (kmesh) return kmesh;
  const { R } = sample.blocks;
  const coupled = [0, 1, 2].map((k) => R.some((_, q) => q % 3 === k && R[q] !== 0)) as [boolean, boolean, boolean];
  return automaticMesh(sample.structure.cell!, coupled);
}
