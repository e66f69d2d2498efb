/**
 * One point of the linear-scaling sweep (run by bench/run.ts in a fresh process per size, so VmHWM is this size's
 * own peak): predict H(R) and S(R) of an n1 × n2 graphene supercell (2 atoms per primitive cell, 12 Å along z) with
 * the shipped crystal model, or an untrained network of the same architecture when none is shipped (timing does not
 * depend on the weights). Up to 2,000 atoms it then solves for the 24 bands nearest the pristine cell's E_F at the
 * supercell's K point with the sparse solver (its own process). Prints one JSON line: atoms, blocks, seconds per
 * stage, peak RSS of the prediction and of the solver.
 */
import { readFileSync } from 'node:fs';
import { sparseBands } from '../core/physics/sparse-bands.ts';
import { PREDICTED_OVERLAP_THRESHOLD } from '../core/model/two-center-overlap.ts';
import path from 'node:path';
import { loadDataset } from '../core/datasets/load.ts';
import { DEFAULT_ARCHITECTURE } from '../core/model/architecture.ts';
import { HamiltonianModel } from '../core/model/hamiltonian-model.ts';
import { loadModel } from '../core/model/model-file.ts';
import { listModels } from '../core/model/model-registry.ts';
import { computeNormalization } from '../core/model/normalization.ts';
import { predictCrystal } from '../core/model/predict-crystal.ts';
import { fitTwoCenterOverlap } from '../core/model/two-center-overlap.ts';
import { initBackend } from '../core/runtime/backend.ts';
import type { Structure } from '../core/structure/structure.ts';
import { supercell } from '../core/structure/supercell.ts';
import { dataFields, resolveArchitecture } from '../core/training/training-data.ts';

const DATASETS = process.env.HAMSTUDIO_DATASETS ?? path.resolve(import.meta.dirname, '../../shared/datasets');
const [n1, n2] = process.argv.slice(2).map(Number);
const a = 2.46;
const primitive: Structure = {
  numbers: [6, 6],
  positions: [[0, 0, 6], [a / 2, a / (2 * Math.sqrt(3)), 6]],
  cell: [[a, 0, 0], [a / 2, (a * Math.sqrt(3)) / 2, 0], [0, 0, 12]],
  pbc: [true, true, true],
};

async function crystalModel(): Promise<{ model: HamiltonianModel; name: string }> {
  const shipped = listModels().find((m) => m.crystal && m.elements.includes(6));
  if (shipped) return { model: loadModel(shipped.dir).model, name: shipped.name };
  const ds = await loadDataset(path.join(DATASETS, 'graphene-3x3-pbe-dzp'), { limit: 3 });
  const arch = resolveArchitecture({ ...DEFAULT_ARCHITECTURE, cutoff: 7.1, layers: 2, radialBasis: 16 }, dataFields([ds]), ds.samples);
  const model = new HamiltonianModel(arch, computeNormalization(ds.samples, new HamiltonianModel(arch, new Map()).types));
  model.overlap = fitTwoCenterOverlap(ds.samples, arch.shells);
  return { model, name: 'untrained (graphene architecture)' };
}

await initBackend();
const { model, name } = await crystalModel();
const structure = supercell(primitive, [n1, n2, 1]);
const t0 = performance.now();
const p = predictCrystal(model, structure, `graphene ${n1}×${n2}`);
const seconds = (performance.now() - t0) / 1000;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const SPARSE_MAX_ATOMS = 2000;
const eF = (JSON.parse(readFileSync(path.join(DATASETS, 'graphene-3x3-pbe-dzp/pristine/info.json'), 'utf8')) as { fermi_level: number }).fermi_level;
const window = structure.numbers.length <= SPARSE_MAX_ATOMS
  ? await sparseBands(p.sample, Float64Array.from([1 / 3, 1 / 3, 0]), { center: eF, count: 24, threshold: PREDICTED_OVERLAP_THRESHOLD })
  : undefined;
console.log(JSON.stringify({
  model: name, atoms: structure.numbers.length, blocks: p.sample.blocks.i.length, seconds,
  graph_s: p.timingsMs.graph / 1000, network_s: p.timingsMs.predict / 1000, overlap_s: p.timingsMs.overlap / 1000,
  peak_rss_mib: hwm ? Number(hwm[1]) / 1024 : NaN,
  window_s: window?.seconds, window_peak_rss_mib: window?.solverPeakMiB,
}));
