/**
 * `npm run bench:scf`: does a predicted Hamiltonian save psi4 SCF iterations? For a few water and ethanol
 * conformers the model did not train on, the psi4 export (core/export/psi4.ts) is run twice with Debian's psi4 on
 * one thread — from psi4's default guess and from the predicted orbitals — and, as the best case, a third time from
 * the reference (converged) Hamiltonian. Prints iterations, SCF seconds, the energy difference between the runs
 * (they must reach the same SCF solution), the model's H error on each conformer and how much of the reference
 * occupied space the predicted orbitals span.
 *
 * Model: $HAMSTUDIO_BENCH_MODEL (a model folder) if set, else the shipped model covering H, C and O in
 * resources/models. Conformers: the first few of the model's validation split (run.json beside the model folder,
 * else model.json's training record), else the last few of each dataset.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDataset } from '../core/datasets/load.ts';
import { denseMatrix, type HamiltonianSample } from '../core/datasets/sample.ts';
import { psi4Format } from '../core/export/psi4.ts';
import { moleculeSource } from '../core/export/source.ts';
import { loadModel, type LoadedModel } from '../core/model/model-file.ts';
import { listModels } from '../core/model/model-registry.ts';
import { predictMolecule } from '../core/model/predict-molecule.ts';
import { closedShellDensity } from '../core/physics/density.ts';
import { generalizedEigen } from '../core/physics/generalized-eigen.ts';
import { occupiedOrbitals } from '../core/physics/molecular-metrics.ts';
import { initBackend } from '../core/runtime/backend.ts';

const DATASETS = process.env.HAMSTUDIO_DATASETS ?? path.resolve(import.meta.dirname, '../../shared/datasets');
const PER_MOLECULE = 3;
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function chooseModel(): { loaded: LoadedModel; from: string } {
  const env = process.env.HAMSTUDIO_BENCH_MODEL;
  if (env) return { loaded: loadModel(env), from: `$HAMSTUDIO_BENCH_MODEL (${env})` };
  const shipped = listModels().find((m) => [1, 6, 8].every((z) => m.elements.includes(z)));
  if (shipped) return { loaded: loadModel(shipped.dir), from: `shipped model ${shipped.name}` };
  console.error('No shipped model for H, C, O in resources/models yet: set HAMSTUDIO_BENCH_MODEL to a model folder (e.g. a run\'s checkpoints/best).');
  process.exit(1);
}

interface DataRecord { path: string; split?: { val?: number[] } }

/** Validation indices of `dataset` from the run record beside the model, or its model.json; with where they came from. */
function validationIndices(model: LoadedModel, dataset: string): { indices?: number[]; from: string } {
  const runFile = path.join(model.dir, '..', 'run.json');
  const records: [string, DataRecord[] | undefined][] = [
    [runFile, existsSync(runFile) ? (JSON.parse(readFileSync(runFile, 'utf8')) as { data?: { datasets?: DataRecord[] } }).data?.datasets : undefined],
    [path.join(model.dir, 'model.json'), (model.info.training?.data as { datasets?: DataRecord[] } | undefined)?.datasets],
  ];
  for (const [file, datasets] of records) {
    const val = datasets?.find((d) => path.basename(d.path) === dataset)?.split?.val;
    if (val && val.length > 0) return { indices: val, from: `validation split in ${file}` };
  }
  return { from: 'no split recorded: last conformers' };
}

interface Run { iterations: number; energy: number; seconds: number }

function runPsi4(dir: string, ...args: string[]): Run {
  const out = execFileSync(PYTHON, [path.join(dir, 'run_psi4.py'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const field = (key: string) => Number(new RegExp(`^${key}\\s+(\\S+)`, 'm').exec(out)?.[1]);
  return { iterations: field('iterations'), energy: field('energy'), seconds: field('seconds') };
}

async function exportGuess(sample: HamiltonianSample, H: Float64Array, S: Float64Array, predicted: boolean, model: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-bench-scf-'));
  const source = moleculeSource({
    structure: sample.structure, atomShells: sample.atomShells, unit: sample.unit, H, S, basis: 'def2-SVP', predicted,
    origin: `${sample.id} (${predicted ? model : 'reference H'})`,
  });
  await psi4Format.write(source, dir, 'psi4');
  return dir;
}

/**
 * How much of the reference occupied space the predicted one holds: Tr(P_pred S P_ref S) / 4, which is n_occ when the
 * two spaces coincide and drops by one for each reference orbital the prediction leaves out (e.g. when a spurious
 * state drops below the Fermi level), the usual reason for a guess to cost iterations.
 */
function occupiedOverlap(Ppred: Float64Array, Pref: Float64Array, S: Float64Array, n: number): number {
  const times = (A: Float64Array, B: Float64Array) => {
    const C = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const a = A[i * n + k];
      for (let j = 0; j < n; j++) C[i * n + j] += a * B[k * n + j];
    }
    return C;
  };
  const A = times(Ppred, S);
  const B = times(Pref, S);
  let trace = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) trace += A[i * n + j] * B[j * n + i];
  return trace / 4;
}

const backend = await initBackend();
const { loaded, from } = chooseModel();
const { model, info } = loaded;
console.log(`SCF iterations from psi4's default guess vs the predicted guess — psi4 RKS/PBE/def2-SVP, DF, e/d_convergence 1e-8, 1 thread`);
console.log(`model: ${info.name} (${model.arch.arch}) from ${from}; backend ${backend.name}\n`);

const rows: { name: string; default: Run; predicted: Run; reference: Run; maeH: number; occupied: number; nOcc: number }[] = [];
for (const name of ['water', 'ethanol']) {
  const dataset = `${name}-pbe-def2svp`;
  const ds = await loadDataset(path.join(DATASETS, dataset));
  const { indices, from: picked } = validationIndices(loaded, dataset);
  const chosen = (indices ?? ds.samples.map((_, k) => k)).slice(indices ? 0 : -PER_MOLECULE).slice(0, PER_MOLECULE);
  console.log(`${name}: conformers ${chosen.join(', ')} (${picked})`);
  for (const k of chosen) {
    const sample = ds.samples[k];
    const { H: Hpred, S, n } = predictMolecule(model, sample.structure, sample.id);
    const Href = denseMatrix(sample, 'H');
    const maeH = Hpred.reduce((a, v, e) => a + Math.abs(v - Href[e]), 0) / Hpred.length;
    const nOcc = occupiedOrbitals(sample.structure.numbers);
    const occupied = occupiedOverlap(closedShellDensity(generalizedEigen(Hpred, S, n), nOcc), closedShellDensity(generalizedEigen(Href, S, n), nOcc), S, n);
    const predictedDir = await exportGuess(sample, Hpred, S, true, info.name);
    const referenceDir = await exportGuess(sample, Href, denseMatrix(sample, 'S'), false, info.name);
    try {
      rows.push({
        name: `${name}/${k}`, maeH, occupied, nOcc,
        default: runPsi4(predictedDir, '--default-guess'), predicted: runPsi4(predictedDir), reference: runPsi4(referenceDir),
      });
    } finally {
      rmSync(predictedDir, { recursive: true, force: true });
      rmSync(referenceDir, { recursive: true, force: true });
    }
  }
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
/** Signed relative change, e.g. −22 % (fewer iterations) or +18 % (more). */
const change = (from: number, to: number) => `${to < from ? '−' : '+'}${Math.abs(100 * (to / from - 1)).toFixed(0)} %`;
console.log('\n  conformer    H MAE (μEh)  occupied space   iterations: default  predicted     change  reference-H   SCF s: default  predicted   |ΔE| (Eh)');
for (const r of rows) {
  const dE = Math.max(Math.abs(r.predicted.energy - r.default.energy), Math.abs(r.reference.energy - r.default.energy));
  console.log(`  ${r.name.padEnd(11)} ${pad((r.maeH * 1e6).toFixed(0), 12)}  ${pad(`${r.occupied.toFixed(3)}/${r.nOcc}`, 14)}   ${pad(r.default.iterations, 19)}  ${pad(r.predicted.iterations, 9)}  ${pad(change(r.default.iterations, r.predicted.iterations), 9)}  ${pad(r.reference.iterations, 11)}   ${pad(r.default.seconds.toFixed(2), 14)}  ${pad(r.predicted.seconds.toFixed(2), 9)}   ${dE.toExponential(1)}`);
}
for (const name of ['water', 'ethanol']) {
  const mine = rows.filter((r) => r.name.startsWith(`${name}/`));
  const mean = (f: (r: (typeof rows)[number]) => number) => mine.reduce((a, r) => a + f(r), 0) / mine.length;
  const d = mean((r) => r.default.iterations);
  const p = mean((r) => r.predicted.iterations);
  console.log(`  ${name}: mean iterations ${d.toFixed(1)} → ${p.toFixed(1)} (${change(d, p)}), reference-H guess ${mean((r) => r.reference.iterations).toFixed(1)}; SCF time ${mean((r) => r.default.seconds).toFixed(2)} s → ${mean((r) => r.predicted.seconds).toFixed(2)} s`);
}
const worst = Math.max(...rows.map((r) => Math.abs(r.predicted.energy - r.default.energy)));
console.log(`  largest |E(predicted guess) − E(default guess)| = ${worst.toExponential(1)} Eh${worst < 1e-6 ? ' (same SCF solution)' : ' — DIFFERENT SCF SOLUTIONS'}`);
