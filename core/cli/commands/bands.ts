/**
 * `hamstudio bands`: the band structure of a crystal along a high-symmetry path (DESIGN.md §4) from H(R), S(R),
 * with energies absolute and relative to the Fermi level, as text, JSON and CSV. The computation takes any sample
 * with blocks (`bandsOfSample`), so a model's crystal prediction wrapped as a HamiltonianSample goes the same way;
 * for now the blocks come from a DeepH folder.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../../contracts/errors.ts';
import { energyFactor } from '../../contracts/units.ts';
import { detectLayout } from '../../datasets/detect.ts';
import { loadDataset } from '../../datasets/load.ts';
import { orbitalCount, type HamiltonianSample } from '../../datasets/sample.ts';
import { writeFileAtomic } from '../../io/atomic-write.ts';
import { bandStructure } from '../../physics/bands.ts';
import { fermiLevel } from '../../physics/fermi.ts';
import { bandPath, gammaCentredMesh, type KPath } from '../../physics/kpath.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const DEFAULT_POINTS = 100;
const DEFAULT_SMEARING = 0.02;
const NEAR_FERMI = 2;

/** How the Fermi level is found: the electron count on a Γ-centred mesh, or the dataset's own value. */
export type FermiSpec =
  | { electrons: number; mesh: [number, number, number]; smearing: number }
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
  /** nK × nBands, eV. */
  energies: number[][];
  energies_minus_fermi: number[][];
}

/** Bands of a sample along `path`; the Fermi level per `fermi` (energies converted to eV). */
export function bandsOfSample(sample: HamiltonianSample, path: KPath, fermi: FermiSpec): BandsResult {
  const toEV = energyFactor(sample.unit, 'eV');
  const bands = bandStructure(sample, path.frac);
  let eF: number;
  let source: string;
  if ('electrons' in fermi) {
    const mesh = bandStructure(sample, gammaCentredMesh(fermi.mesh));
    eF = fermiLevel(mesh, fermi.electrons, { width: fermi.smearing / toEV }) * toEV;
    source = `${fermi.electrons} electrons, Γ-centred ${fermi.mesh.join('×')} mesh, Fermi–Dirac ${fermi.smearing} eV`;
  } else {
    if (sample.references.fermiLevel === undefined) {
      throw new HamError('E_INPUT', `${sample.id}: the data give no Fermi level; pass --electrons N (valence electrons per cell)`);
    }
    eF = sample.references.fermiLevel * toEV;
    source = 'info.json fermi_level';
  }
  const nK = path.frac.length / 3;
  const rows = (f: (e: number) => number) => Array.from({ length: nK }, (_, q) => Array.from(bands.eigenvalues.subarray(q * bands.nBands, (q + 1) * bands.nBands), f));
  return {
    format: 'hamstudio-bands',
    version: 1,
    id: sample.id,
    unit: 'eV',
    n_orbitals: orbitalCount(sample),
    n_bands: bands.nBands,
    lattice: path.lattice ?? null,
    kpath: path.spec,
    kpoints_frac: Array.from({ length: nK }, (_, q) => Array.from(path.frac.subarray(3 * q, 3 * q + 3))),
    distance: Array.from(path.distance),
    labels: path.labels.map((l) => ({ ...l, distance: path.distance[l.index] })),
    fermi_level: eF,
    fermi_level_source: source,
    dropped_overlap_eigenvalues: Array.from(bands.dropped),
    energies: rows((e) => e * toEV),
    energies_minus_fermi: rows((e) => e * toEV - eF),
  };
}

/** One row per (k-point, band): plotting tools read this long form directly. */
export function bandsCsv(r: BandsResult): string {
  const label = new Map(r.labels.map((l) => [l.index, l.label]));
  const lines = ['k_index,distance_inv_angstrom,label,band,energy_eV,energy_minus_fermi_eV'];
  r.energies.forEach((row, q) => row.forEach((e, b) => {
    lines.push(`${q},${r.distance[q]},${label.get(q) ?? ''},${b + 1},${e},${r.energies_minus_fermi[q][b]}`);
  }));
  return `${lines.join('\n')}\n`;
}

function parseMesh(text: string): [number, number, number] {
  const m = text.split(/[,x×]/).map(Number);
  if (m.length !== 3 || !m.every((v) => Number.isInteger(v) && v >= 1)) throw new HamError('E_INPUT', `bands: --mesh must be three positive integers like 6,6,1 (got '${text}')`);
  return m as [number, number, number];
}

async function loadCrystal(input: string): Promise<{ sample: HamiltonianSample; kmesh?: unknown }> {
  let isFile = false;
  try {
    isFile = statSync(input).isFile();
  } catch {
    throw new HamError('E_NOT_FOUND', 'no such file or folder', { file: input });
  }
  if (isFile) throw new HamError('E_INPUT', 'bands from a structure file need a crystal model, which is not available yet; give a DeepH folder with H(R) and S(R)', { file: input });
  const layout = detectLayout(input);
  if (layout.format === 'matrix-stack') throw new HamError('E_INPUT', 'a matrix stack holds molecules; bands need a crystal (a DeepH folder)', { file: input });
  if (layout.folders.length > 0) {
    throw new HamError('E_INPUT', `a dataset root of ${layout.folders.length} structures; give one structure folder, e.g. ${path.join(input, layout.folders[0])}`, { file: input });
  }
  const ds = await loadDataset(input);
  const sample = ds.samples[0];
  if (!sample.structure.cell) throw new HamError('E_INPUT', 'the structure has no cell', { file: input });
  return { sample, kmesh: ds.metadata?.kmesh };
}

/** Band energies − E_F within ±2 eV at each labelled point, for the text report. */
function nearFermiLines(r: BandsResult): string[] {
  return r.labels.map(({ index, label }) => {
    const near = r.energies_minus_fermi[index].filter((e) => Math.abs(e) <= NEAR_FERMI).map((e) => e.toFixed(3).padStart(7));
    return `  ${label.padEnd(4)} ${r.distance[index].toFixed(3).padStart(6)}  ${near.join(' ') || '(none)'}`;
  });
}

export const bandsCommand: Command = {
  name: 'bands',
  summary: 'band structure of a crystal along a high-symmetry k-path (JSON, CSV)',
  usage: `Usage: hamstudio bands <deeph-folder> [--kpath auto|"G-M-K-G"|"G=0,0,0-X=0.5,0,0"] [--points N]
                       [--out bands.json] [--csv bands.csv] [--electrons N [--mesh n1,n2,n3] [--smearing eV]]

Solves H(k) C = S(k) C E with the Bloch sums of the folder's H(R), S(R) along a k-path. --kpath auto (default)
recognises sc, fcc, bcc, tetragonal and hexagonal cells and square, rectangular and hexagonal slabs (Setyawan–
Curtarolo points); a custom path joins labels of that table with '-' (G is Γ; '|' breaks the path) or gives
coordinates, LABEL=f1,f2,f3, fractional in the reciprocal basis. --points (default ${DEFAULT_POINTS}) are spread
over the segments in proportion to their length.

The Fermi level is the folder's (info.json) unless --electrons gives the valence electrons per cell: then it is
found on a Γ-centred mesh (--mesh, default info.json's kmesh) with Fermi–Dirac smearing (--smearing, default
${DEFAULT_SMEARING} eV). --out writes JSON (k-points, distances in 1/Å, labels, E_F, energies absolute and − E_F, eV);
--csv one row per k-point and band.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('bands', args, {
      kpath: { type: 'string' }, points: { type: 'string' }, out: { type: 'string' }, csv: { type: 'string' },
      electrons: { type: 'string' }, mesh: { type: 'string' }, smearing: { type: 'string' },
    });
    if (positionals.length !== 1) throw new HamError('E_INPUT', 'bands: give exactly one DeepH structure folder');
    const points = numberOption('bands', 'points', values.points, DEFAULT_POINTS);
    const { sample, kmesh } = await loadCrystal(positionals[0]);
    const t0 = performance.now();
    const kpath = bandPath(sample.structure, values.kpath ?? 'auto', points);
    let fermi: FermiSpec = { dataset: true };
    if (values.electrons !== undefined) {
      const electrons = numberOption('bands', 'electrons', values.electrons, 0);
      const mesh = values.mesh ?? (Array.isArray(kmesh) ? kmesh.join(',') : undefined);
      if (!mesh) throw new HamError('E_INPUT', 'bands: --electrons needs --mesh n1,n2,n3 (the folder gives no kmesh)');
      fermi = { electrons, mesh: parseMesh(mesh), smearing: numberOption('bands', 'smearing', values.smearing, DEFAULT_SMEARING) };
    } else if (values.mesh !== undefined || values.smearing !== undefined) {
      throw new HamError('E_INPUT', 'bands: --mesh and --smearing apply only with --electrons');
    }
    const r = bandsOfSample(sample, kpath, fermi);
    const seconds = (performance.now() - t0) / 1000;
    if (values.out) writeFileAtomic(path.resolve(values.out), `${JSON.stringify(r)}\n`);
    if (values.csv) writeFileAtomic(path.resolve(values.csv), bandsCsv(r));
    const dropped = Math.max(...r.dropped_overlap_eigenvalues);
    io.out([
      `structure    ${r.id} (${sample.structure.numbers.length} atoms, ${r.n_orbitals} orbitals)`,
      `k-path       ${r.kpath} (${r.lattice ?? 'custom'}), ${r.distance.length} k-points, length ${r.distance[r.distance.length - 1].toFixed(4)} 1/Å`,
      `Fermi level  ${r.fermi_level.toFixed(6)} eV (${r.fermi_level_source})`,
      `overlap      ${dropped === 0 ? 'no near-dependent directions dropped' : `up to ${dropped} near-dependent directions dropped per k-point; ${r.n_bands} bands kept`}`,
      `ε − E_F within ±${NEAR_FERMI} eV at the labelled points (eV):`,
      ...nearFermiLines(r),
      `time         ${seconds.toFixed(1)} s`,
      ...[values.out, values.csv].filter(Boolean).map((f) => `written      ${f}`),
    ].join('\n'));
    return 0;
  },
};
