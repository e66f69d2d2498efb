/**
 * Labelling crystals with GPAW (issue 6, crystals): one LCAO SCF per periodic structure with
 * resources/labelers/gpaw_lcao.py as a child process (job-pool.ts: one thread each, several at once, resumable,
 * failures recorded and skipped, cancellable). Each finished job is a legacy DeepH folder in the conventions of the
 * shared graphene set — H(R) in eV, GPAW's orbital order, eigenvalues on the SCF mesh — read back with the
 * deeph-legacy reader. The parameters follow the model's training data (gpawSettingsFor).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { readDeephLegacyFolder } from '../datasets/deeph-legacy.ts';
import type { HamiltonianSample } from '../datasets/sample.ts';
import { readNumberTable } from '../datasets/files.ts';
import type { ModelInfo } from '../model/model-file.ts';
import { automaticMesh, reciprocalRows } from '../physics/kpath.ts';
import { norm, perpendicularHeights } from '../structure/cell.ts';
import { neighborList } from '../structure/neighbors.ts';
import { isPeriodic, type Mat3, type Structure, type Vec3 } from '../structure/structure.ts';
import { resourcesDir } from '../runtime/paths.ts';
import { pythonProbe } from '../runtime/python.ts';
import { runLabelJobs, type LabelProgress, type PoolResult } from './job-pool.ts';

export interface GpawSettings {
  basis: string;
  xc: string;
  /** Γ-centred Monkhorst–Pack mesh, the same for every structure of one labelling (they share the cell up to strain). */
  kmesh: [number, number, number];
  /** Fermi–Dirac width, eV. */
  width: number;
  /** Grid spacing (Å; GPAW fits the grid to each cell), or a fixed grid. */
  grid: { h: number } | { gpts: [number, number, number] };
  /** SCF iterations before GPAW gives up (GPAW's default when absent). */
  maxiter?: number;
  /** SCF processes at once (each on one thread). */
  jobs: number;
}

/** Structure index → labelled sample (eV, wiki order), failures and SCF seconds. */
export type CrystalLabels = PoolResult<HamiltonianSample>;

/** GPAW's version, or E_EXTERNAL_TOOL saying how to install it (the driver also needs h5py). */
export function gpawVersion(): string {
  return pythonProbe('import h5py, gpaw; print(gpaw.__version__)', 'GPAW (with h5py)', 'install it with: apt-get install gpaw gpaw-data python3-h5py (Debian/Ubuntu)');
}

/** The parameters of the graphene set (meta.json of graphene-3x3-pbe-dzp), used when a model's data cannot be found. */
const GRAPHENE_SET = { xc: 'PBE', width: 0.02, kSpacing: 0.3277, h: 0.25 };

/** Along which lattice vectors atoms within `range` Å couple to images (else: vacuum, one k-point). */
export function coupledAxes(structure: Structure, range: number): [boolean, boolean, boolean] {
  const nl = neighborList(structure, range);
  return [0, 1, 2].map((c) => nl.R.some((r, q) => q % 3 === c && r !== 0)) as [boolean, boolean, boolean];
}

/**
 * A Γ-centred mesh with k-points about `spacing` apart (1/Å, with 2π) along the coupled reciprocal vectors. The 5 %
 * slack keeps the mesh of a cell strained by a few per cent equal to the unstrained cell's (the graphene set used
 * 3×3×1 for every strained 3×3 cell).
 */
export function kmeshFor(structure: Structure, spacing: number, range: number): [number, number, number] {
  return automaticMesh(structure.cell!, coupledAxes(structure, range), spacing * 1.05);
}

interface DatasetParameters { xc: string; width: number; kSpacing: number; h: number; source: string }

/**
 * The DFT parameters of a dataset folder: xc and k-mesh from its structures' info.json, the Fermi–Dirac width and the
 * grid from meta.json when present. The k-spacing is |b_c|/n_c on the finest periodic axis of the mesh, and the grid
 * spacing h = min_c L_c/N_c over the planes' spacings L_c — GPAW's h2gpts then gives the dataset's own grid for its
 * cell (h = 0.25 Å → 24 × 24 × 48 for the 3×3 graphene cell).
 */
function datasetParameters(dir: string): DatasetParameters | undefined {
  const metaFile = path.join(dir, 'meta.json');
  const m = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) as { folders?: string[]; gpts?: number[]; occupations?: string } : {};
  const folder = [dir, ...(m.folders ?? []).map((f) => path.join(dir, f))].find((d) => existsSync(path.join(d, 'info.json')) && existsSync(path.join(d, 'lat.dat')));
  if (!folder) return undefined;
  const info = JSON.parse(readFileSync(path.join(folder, 'info.json'), 'utf8')) as { xc?: string; kmesh?: number[] };
  const lat = readNumberTable(path.join(folder, 'lat.dat'), { rows: 3, cols: 3 });
  const cell = [0, 1, 2].map((k) => [lat[0][k], lat[1][k], lat[2][k]] as Vec3) as Mat3;
  if (!info.kmesh || !info.xc) return undefined;
  const B = reciprocalRows(cell);
  const kSpacing = Math.min(...[0, 1, 2].filter((c) => info.kmesh![c] > 1).map((c) => norm(B[c]) / info.kmesh![c]));
  const width = Number(/Fermi-Dirac ([\d.]+) eV/.exec(m.occupations ?? '')?.[1] ?? GRAPHENE_SET.width);
  const heights = perpendicularHeights(cell);
  const h = m.gpts ? Number(Math.min(...heights.map((L, c) => L / m.gpts![c])).toPrecision(6)) : GRAPHENE_SET.h;
  return { xc: info.xc, width, kSpacing: Number.isFinite(kSpacing) ? kSpacing : GRAPHENE_SET.kSpacing, h, source: folder };
}

/**
 * GPAW parameters for fine-tuning a model: its basis, and the xc, Fermi–Dirac width, k-point density and grid spacing of
 * its training data (the first dataset of model.json found beside the project or in HAMSTUDIO_DATASETS), else the
 * graphene set's values. `overrides` (the user's --kmesh / --h) win.
 */
export function gpawSettingsFor(
  basis: string, info: ModelInfo, structure: Structure, range: number, jobs: number,
  overrides: { kmesh?: [number, number, number]; h?: number } = {},
): { settings: GpawSettings; source: string } {
  const recorded = ((info.training as { data?: { datasets?: { path: string }[] } } | undefined)?.data?.datasets ?? []).map((d) => d.path);
  const candidates = recorded.flatMap((p) => [
    path.resolve(resourcesDir(), '..', p), path.resolve(p),
    ...(process.env.HAMSTUDIO_DATASETS ? [path.join(process.env.HAMSTUDIO_DATASETS, path.basename(p))] : []),
  ]);
  const found = candidates.map(datasetParameters).find(Boolean);
  const p = found ?? { ...GRAPHENE_SET, source: 'the graphene set’s defaults (training data not found)' };
  return {
    settings: {
      basis, xc: p.xc, width: p.width, jobs,
      kmesh: overrides.kmesh ?? kmeshFor(structure, p.kSpacing, range),
      grid: { h: overrides.h ?? p.h },
    },
    source: p.source,
  };
}

/** Label periodic `structures` in `workDir` (see job-pool.ts for resume, failures and cancelling). */
export async function labelCrystals(
  structures: readonly Structure[], workDir: string, settings: GpawSettings,
  opts: { signal?: AbortSignal; onProgress?: (p: LabelProgress) => void } = {},
): Promise<CrystalLabels> {
  const molecule = structures.findIndex((s) => !isPeriodic(s));
  if (molecule >= 0) throw new HamError('E_INPUT', `structure ${molecule} has no cell: GPAW labelling is for periodic structures (molecules are labelled with psi4)`);
  gpawVersion();
  return runLabelJobs({
    count: structures.length, workDir, jobs: settings.jobs, script: 'gpaw_lcao.py', marker: 'checks.json',
    job: (k, dir) => ({
      numbers: structures[k].numbers, positions: structures[k].positions, cell: structures[k].cell, pbc: structures[k].pbc,
      basis: settings.basis, xc: settings.xc, kmesh: settings.kmesh, width: settings.width, ...settings.grid,
      ...(settings.maxiter ? { maxiter: settings.maxiter } : {}), log: path.join(dir, 'gpaw.txt'),
    }),
    read: async (k, out) => ({
      sample: (await readDeephLegacyFolder(out, `label/${k}`)).sample,
      seconds: (JSON.parse(readFileSync(path.join(out, 'checks.json'), 'utf8')) as { time_scf_s: number }).time_scf_s,
    }),
  }, opts);
}
