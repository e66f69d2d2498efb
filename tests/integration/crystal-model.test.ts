/**
 * Crystal models end to end on the shared graphene set (GPAW dzp, eV): a small model trained here (one epoch; the
 * physics checks do not depend on its accuracy) with its two-centre overlap head and learned valence electrons;
 * the head's accuracy against GPAW's S on a structure it never saw; equivariance of predicted H(R) and S(R) for a
 * rotated periodic cell; chunked inference equal to one pass; and the CLI: predict → DeepH folder and npy, bands
 * with E_F from the learned electron count against a DFT reference, eval's band error, and bad input.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BandsResult } from '../../core/physics/band-report.ts';
import { readDeephLegacyFolder } from '../../core/datasets/deeph-legacy.ts';
import { loadDataset } from '../../core/datasets/load.ts';
import { blockIndex, blockKey, type HamiltonianSample, type SampleBlocks } from '../../core/datasets/sample.ts';
import { npyToFloat64, readNpy } from '../../core/io/npy.ts';
import { DEFAULT_ARCHITECTURE } from '../../core/model/architecture.ts';
import type { HamiltonianModel } from '../../core/model/hamiltonian-model.ts';
import { loadModel } from '../../core/model/model-file.ts';
import { predictCrystal } from '../../core/model/predict-crystal.ts';
import { overlapBlocks } from '../../core/model/two-center-overlap.ts';
import { initBackend } from '../../core/runtime/backend.ts';
import { Rng } from '../../core/runtime/rng.ts';
import { randomRotation, wignerD } from '../../core/so3/index.ts';
import type { Mat3, Structure, Vec3 } from '../../core/structure/structure.ts';
import { dataFields, heldOutSamples, loadTrainingData, resolveArchitecture } from '../../core/training/training-data.ts';
import { evaluate } from '../../core/training/evaluate.ts';
import { DEFAULT_TRAIN_SETTINGS, train } from '../../core/training/trainer.ts';
import { cli, expectUserError } from '../helpers/cli.ts';
import { datasetPath } from '../helpers/datasets.ts';
import { PYTHON } from '../helpers/python.ts';

const ROOT = datasetPath('graphene-3x3-pbe-dzp');
const EXAMPLE = path.resolve(import.meta.dirname, '../../resources/examples/graphene-3x3.vasp');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-crystal-'));
const modelDir = path.join(tmp, 'run', 'model');
let model: HamiltonianModel;
let pristine: HamiltonianSample;

beforeAll(async () => {
  await initBackend('wasm');
  const ds = await loadDataset(ROOT, { limit: 4 });
  pristine = (await loadDataset(path.join(ROOT, 'pristine'))).samples[0];
  const arch = resolveArchitecture({
    ...DEFAULT_ARCHITECTURE, cutoff: 7.1, channels: 4, layers: 1, radialHidden: 8,
    tracegrad: { invariants: 2, hidden: 8, zDim: 4, alphaInit: 0.1 },
  }, dataFields([ds]), ds.samples);
  await train(path.join(tmp, 'run'), arch, { ...DEFAULT_TRAIN_SETTINGS, epochs: 1, batchSize: 2 }, {
    train: ds.samples.slice(0, 3), val: ds.samples.slice(3), description: { test: true },
  });
  model = loadModel(modelDir).model;
}, 300_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rotate = (v: readonly number[], R: Float64Array): Vec3 => [0, 1, 2].map((i) => R[3 * i] * v[0] + R[3 * i + 1] * v[1] + R[3 * i + 2] * v[2]) as Vec3;

/** D_i block D_jᵀ with the per-atom block-diagonal Wigner matrices of the shells. */
function rotateBlock(block: ArrayLike<number>, li: number[], lj: number[], R: Float64Array): Float64Array {
  const D = (ls: number[]) => {
    const n = ls.reduce((a, l) => a + 2 * l + 1, 0);
    const out = new Float64Array(n * n);
    let o = 0;
    for (const l of ls) {
      const d = wignerD(l, R);
      const m = 2 * l + 1;
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[(o + a) * n + o + b] = d[a * m + b];
      o += m;
    }
    return { out, n };
  };
  const { out: Di, n: ni } = D(li);
  const { out: Dj, n: nj } = D(lj);
  const res = new Float64Array(ni * nj);
  for (let a = 0; a < ni; a++) {
    for (let b = 0; b < nj; b++) {
      let s = 0;
      for (let x = 0; x < ni; x++) for (let y = 0; y < nj; y++) s += Di[a * ni + x] * block[x * nj + y] * Dj[b * nj + y];
      res[a * nj + b] = s;
    }
  }
  return res;
}

/** Largest |D X Dᵀ − X_rot| over all blocks, relative to the largest |X|. */
function equivarianceError(a: SampleBlocks, b: SampleBlocks, which: 'H' | 'S', shells: number[][], R: Float64Array): number {
  const index = blockIndex(b);
  let err = 0;
  let scale = 0;
  for (let k = 0; k < a.i.length; k++) {
    const m = a[which]!.subarray(a.offsets[k], a.offsets[k + 1]);
    const other = index.get(blockKey(a.i[k], a.j[k], a.R.subarray(3 * k, 3 * k + 3)));
    expect(other).toBeDefined();
    const r = b[which]!.subarray(b.offsets[other!], b.offsets[other! + 1]);
    const expected = rotateBlock(m, shells[a.i[k]], shells[a.j[k]], R);
    expected.forEach((v, x) => { err = Math.max(err, Math.abs(v - r[x])); scale = Math.max(scale, Math.abs(v)); });
  }
  return err / scale;
}

describe('crystal model', () => {
  it('has a two-centre overlap head and learned 4 valence electrons per carbon', () => {
    expect(model.overlap?.kind).toBe('two-center');
    expect(model.valenceElectrons).toEqual({ 6: 4 });
    // Measured: residual MAE 7e-5 on its training blocks (the three-centre PAW terms it cannot represent).
    expect(model.overlap!.residual.mae).toBeLessThan(2e-4);
  });

  it('predicts S(R) of a structure it never saw to 2e-4 (entrywise MAE), with S_ji(−R) = S_ij(R)ᵀ exactly', () => {
    const S = overlapBlocks(model.overlap!, pristine.structure, pristine.atomShells, pristine.blocks);
    const ref = pristine.blocks.S!;
    const mae = S.reduce((a, v, k) => a + Math.abs(v - ref[k]), 0) / S.length;
    expect(mae).toBeLessThan(2e-4); // measured 5.7e-5
    expect(mae).toBeGreaterThan(0);
    const index = blockIndex(pristine.blocks);
    const b = pristine.blocks;
    for (let k = 0; k < b.i.length; k++) {
      const rev = index.get(blockKey(b.j[k], b.i[k], [-b.R[3 * k], -b.R[3 * k + 1], -b.R[3 * k + 2]]))!;
      const n = 13;
      for (let x = 0; x < n; x++) for (let y = 0; y < n; y++) expect(S[b.offsets[k] + x * n + y]).toBe(S[b.offsets[rev] + y * n + x]);
    }
  });

  it('rotating the periodic cell rotates every predicted H(R) and S(R) block by D(R)', () => {
    const R = randomRotation(new Rng(11));
    const st = pristine.structure;
    const rotated: Structure = { ...st, positions: st.positions.map((p) => rotate(p, R)), cell: st.cell!.map((a) => rotate(a, R)) as Mat3 };
    const a = predictCrystal(model, st, 'a').sample;
    const b = predictCrystal(model, rotated, 'b').sample;
    expect(b.blocks.i.length).toBe(a.blocks.i.length);
    expect(equivarianceError(a.blocks, b.blocks, 'H', a.atomShells, R)).toBeLessThan(1e-5);
    expect(equivarianceError(a.blocks, b.blocks, 'S', a.atomShells, R)).toBeLessThan(1e-12);
  });

  it('chunked inference equals one pass over all edges', () => {
    const full = model.graph(pristine.structure);
    const one = model.predictBlocks(model.batch([{ graph: full }], false), [full])[0];
    const lazy = model.graph(pristine.structure, { frames: false });
    const chunked = model.predictBlocks(model.batch([{ graph: lazy }], false), [lazy], 97)[0];
    expect(chunked.i).toEqual(one.i);
    const scale = one.H.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(one.H.reduce((m, v, k) => Math.max(m, Math.abs(v - chunked.H[k])), 0) / scale).toBeLessThan(1e-6);
  });
});

describe('crystal CLI', () => {
  const out = path.join(tmp, 'pred');

  it('predict writes a DeepH folder (read back by us and by h5py) and dense H(R), S(R) stacks', async () => {
    const r = cli('predict', EXAMPLE, '--model', modelDir, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/18 atoms, 1044 blocks; H\(R\) in eV, wiki order; S\(R\) predicted/);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ kind: 'crystal', orbital_order: 'wiki', n_orbitals: 234, valence_electrons: 72, basis: 'dzp' });
    expect(meta.overlap).toMatch(/^predicted/);
    const folder = await readDeephLegacyFolder(out);
    expect(folder.predicted).toBe(true);
    const direct = predictCrystal(model, folder.sample.structure, 'x').sample.blocks;
    expect(folder.sample.blocks.i.length).toBe(direct.i.length);
    const R = readNpy(path.join(out, 'R.npy'));
    const H = npyToFloat64(readNpy(path.join(out, 'H_R.npy')), 'H_R.npy');
    const nR = R.shape[0];
    expect(readNpy(path.join(out, 'H_R.npy')).shape).toEqual([nR, 234, 234]);
    // Block (i = 2, j = 5, R) of the stack equals the h5 block.
    const b = folder.sample.blocks;
    const k = [...b.i].findIndex((i, q) => i === 2 && b.j[q] === 5);
    const Rk = Array.from(b.R.subarray(3 * k, 3 * k + 3));
    const rIdx = Array.from({ length: nR }, (_, q) => q).find((q) => [0, 1, 2].every((c) => Number(R.data[3 * q + c]) === Rk[c]))!;
    for (let x = 0; x < 13; x++) for (let y = 0; y < 13; y++) {
      expect(H[rIdx * 234 * 234 + (26 + x) * 234 + 65 + y]).toBe(b.H[b.offsets[k] + x * 13 + y]);
    }
    const keys = execFileSync(PYTHON, ['-c', `import h5py; f = h5py.File('${path.join(out, 'hamiltonians_pred.h5')}', 'r'); g = h5py.File('${path.join(out, 'overlaps.h5')}', 'r'); print(len(f.keys()), len(g.keys()), f['[0, 0, 0, 1, 1]'].shape)`], { encoding: 'utf8' });
    expect(keys.trim()).toBe('1044 1044 (13, 13)');
  });

  it('bands of the prediction place E_F from the learned electron count and compare with GPAW’s pristine cell', () => {
    const json = path.join(tmp, 'bands.json');
    const png = path.join(tmp, 'bands.png');
    const r = cli('bands', out, '--points', '12', '--reference', path.join(ROOT, 'pristine'), '--out', json, '--png', png);
    expect(r.code, r.err).toBe(0);
    const b = JSON.parse(readFileSync(json, 'utf8')) as BandsResult & { band_error: { mae: number; count: number }; reference: { fermi_level: number } };
    expect(b.fermi_level_source).toMatch(/^72 electrons \(valence electrons learned by the model\)/);
    expect(b.reference.fermi_level).toBeCloseTo(-1.2088, 3);
    expect(b.band_error.count).toBeGreaterThan(0);
    expect(r.out).toMatch(/band error\s+[\d.]+ meV mean/);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });

  it('bands straight from a structure file predicts with the model first', () => {
    const r = cli('bands', EXAMPLE, '--model', modelDir, '--points', '8', '--svg', path.join(tmp, 'bands.svg'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/predicted by run/);
    const svg = readFileSync(path.join(tmp, 'bands.svg'), 'utf8');
    for (const label of ['Γ', 'M', 'K']) expect(svg).toContain(`>${label}<`);
  });

  it('eval on a DeepH folder reports H, S and band errors in eV', () => {
    const r = cli('eval', '--model', modelDir, '--data', path.join(ROOT, 'pristine'), '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.unit).toBe('eV');
    expect(j.mae_S).toBeLessThan(2e-4);
    expect(j.mae_bands).toBeGreaterThan(0);
    expect(j.bands_overlap).toMatch(/^predicted/);
  });

  it('predict --overlap takes S(R) from the DFT folder and says so', () => {
    const dir = path.join(tmp, 'pred-user');
    const r = cli('predict', EXAMPLE, '--model', modelDir, '--out', dir, '--overlap', path.join(ROOT, 'pristine'));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')).overlap).toBe('user-supplied');
    const S = npyToFloat64(readNpy(path.join(dir, 'S_R.npy')), 'S_R.npy');
    const ref = npyToFloat64(readNpy(path.join(out, 'S_R.npy')), 'S_R.npy');
    expect(S.length).toBe(ref.length);
    expect(S.some((v, k) => v !== ref[k])).toBe(true);
  });

  it('a training with --exclude records it, and its held-out split is found only with the same folders left out', async () => {
    const { data } = await loadTrainingData({ data: [ROOT], exclude: ['pristine'], valFraction: 0.1, seed: 0 });
    const training = { data: data.description };
    expect((data.description as { datasets: { exclude?: string[] }[] }).datasets[0].exclude).toEqual(['pristine']);
    const full = await loadDataset(ROOT);
    expect(() => heldOutSamples(training, full)).toThrow(/records no held-out split .*add --exclude pristine/);
    const reduced = await loadDataset(ROOT, { exclude: ['pristine'] });
    expect(heldOutSamples(training, reduced).map((s) => s.id)).toEqual(data.val.map((s) => s.id));
  });

  it('--exclude leaves a folder out of the roots that have it, so a further set without it trains alongside', async () => {
    const two = await loadTrainingData({ data: [ROOT, path.join(ROOT, 'pristine')], exclude: ['pristine'], valFraction: 0.1, seed: 0 });
    const sets = (two.data.description as { datasets: { exclude?: string[]; structures: number }[] }).datasets;
    expect(sets.map((d) => [d.exclude, d.structures])).toEqual([[['pristine'], 30], [undefined, 1]]);
  }, 300_000);

  it('a crystal training logs the validation cells\' band MAE each epoch, as eval reports it', async () => {
    const ds = await loadDataset(ROOT, { limit: 2 });
    const dir = path.join(tmp, 'band-run');
    await train(dir, model.arch, { ...DEFAULT_TRAIN_SETTINGS, epochs: 1, batchSize: 1, lr: 1e-4, init: modelDir }, {
      train: ds.samples.slice(0, 1), val: ds.samples.slice(1), description: { test: true },
    });
    const [m] = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // One epoch, saved as the model: its weights are the epoch's.
    expect(m.valMaeBands).toBeCloseTo(evaluate(loadModel(path.join(dir, 'model')).model, ds.samples.slice(1)).mae_bands!, 6);
  }, 300_000);

  it('bad input: one clear line and exit 2', () => {
    const water = path.resolve(import.meta.dirname, '../../resources/examples/water.xyz');
    expectUserError(cli('predict', water, '--model', modelDir, '--out', path.join(tmp, 'x'), '--overlap', path.join(ROOT, 'pristine')), /--overlap is for crystals/);
    expectUserError(cli('bands', water, '--model', modelDir), /no cell: bands need a crystal/);
    expectUserError(cli('bands', out, '--model', modelDir), /--model applies to a structure file/);
    expectUserError(cli('train', '--data', ROOT, '--exclude', 'nope', '--out', path.join(tmp, 'y'), '--epochs', '1'), /cannot exclude 'nope': not a structure folder/);
    expectUserError(cli('predict', EXAMPLE, '--model', 'hco-def2svp', '--out', path.join(tmp, 'x')), /has no overlap head .* it is for molecules/);
    expect(existsSync(path.join(tmp, 'x'))).toBe(false);
  });
});
