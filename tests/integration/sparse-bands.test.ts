/**
 * The sparse band solver (SLEPc shift-and-invert with MUMPS, resources/solvers/sparse_bands.py) against the dense
 * one on the graphene set's pristine cell:
 * - with GPAW's own H(R), S(R) the window's eigenvalues are the dense eigenvalues in the same interval (measured
 *   max deviation 2.5e-12 eV);
 * - with the shipped model's H and predicted S, the generalised problem has spurious eigenvalues in the window
 *   (near-null overlap directions): canonical orthogonalisation within the span of the converged eigenvectors drops
 *   them, so the window holds as many eigenvalues as GPAW's bands within ±2 eV of E_F, close to what the dense
 *   solver's canonical orthogonalisation gives (measured max deviation 11 meV for the model shipped until 2026-11-27,
 *   15 meV for one trained further from it; mean against GPAW 24 and 22 meV). The per-state S-norm test this replaced lost one of a
 *   degenerate pair that had mixed with a spurious state.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../core/datasets/load.ts';
import type { HamiltonianSample } from '../../core/datasets/sample.ts';
import { listModels } from '../../core/model/model-registry.ts';
import { loadModel } from '../../core/model/model-file.ts';
import { overlapBlocks, PREDICTED_OVERLAP_THRESHOLD } from '../../core/model/two-center-overlap.ts';
import type { BandsResult } from '../../core/physics/band-report.ts';
import { bandStructure } from '../../core/physics/bands.ts';
import { sparseBands } from '../../core/physics/sparse-bands.ts';
import { initBackend } from '../../core/runtime/backend.ts';
import { cli, cliWithEnv, expectUserError } from '../helpers/cli.ts';
import { datasetPath } from '../helpers/datasets.ts';

const PRISTINE = datasetPath('graphene-3x3-pbe-dzp/pristine');
const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-sparse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let pristine: HamiltonianSample;
beforeAll(async () => {
  pristine = (await loadDataset(PRISTINE)).samples[0];
});

describe('sparse window of bands', () => {
  it('equals the dense eigenvalues in its interval for GPAW\'s H(R), S(R)', async () => {
    const { frac, nBands } = pristine.references.kpoints!;
    const center = pristine.references.fermiLevel!;
    const w = await sparseBands(pristine, frac, { center, count: 12, threshold: 1e-8 });
    const dense = bandStructure(pristine, frac);
    expect(w.halfWidth).toBeGreaterThan(1);
    w.eigenvalues.forEach((row, q) => {
      const inside = Array.from(dense.eigenvalues.subarray(q * nBands, (q + 1) * nBands)).filter((e) => Math.abs(e - center) <= w.halfWidth);
      expect(row).toHaveLength(inside.length);
      row.forEach((e, b) => expect(Math.abs(e - inside[b])).toBeLessThan(1e-8));
    });
    expect(w.spurious.every((s) => s === 0)).toBe(true);
  }, 120_000);

  it('drops the spurious states a predicted H and S bring into the window, leaving GPAW\'s count', async () => {
    const entry = listModels().find((m) => m.name === 'graphene-dzp')!;
    await initBackend('wasm');
    const { model } = loadModel(entry.dir);
    const graph = model.graph(pristine.structure);
    const pred = model.predictBlocks(model.batch([{ graph }], false), [graph])[0];
    const S = overlapBlocks(model.overlap!, pristine.structure, pristine.atomShells, pred);
    const { frac, eigenvalues, nBands } = pristine.references.kpoints!;
    const eF = pristine.references.fermiLevel!;
    const w = await sparseBands({ atomShells: pristine.atomShells, blocks: { ...pred, S } }, frac, { center: eF, count: 24, threshold: PREDICTED_OVERLAP_THRESHOLD });
    expect(w.halfWidth).toBeGreaterThan(2.05);
    expect(Math.max(...w.spurious)).toBeGreaterThan(0);
    const dense = bandStructure({ atomShells: pristine.atomShells, blocks: { ...pred, S } }, frac, PREDICTED_OVERLAP_THRESHOLD);
    let sum = 0;
    let count = 0;
    let fromDense = 0;
    w.eigenvalues.forEach((row, q) => {
      const inBand = (e: number) => Math.abs(e - eF) <= 2;
      const ref = Array.from(eigenvalues.subarray(q * nBands, (q + 1) * nBands)).filter(inBand);
      const denseRow = Array.from(dense.eigenvalues.subarray(q * dense.nBands, (q + 1) * dense.nBands)).filter(inBand);
      const mine = row.filter(inBand);
      expect(mine).toHaveLength(ref.length);
      expect(mine).toHaveLength(denseRow.length);
      mine.forEach((e, b) => {
        sum += Math.abs(e - ref[b]);
        count++;
        fromDense = Math.max(fromDense, Math.abs(e - denseRow[b]));
      });
    });
    expect(sum / count).toBeLessThan(0.035);
    expect(fromDense).toBeLessThan(0.025);
  }, 180_000);
});

describe('hamstudio bands --window', () => {
  it('writes the window as JSON and a figure of points, relative to the data\'s E_F', () => {
    const out = path.join(tmp, 'w.json');
    const svg = path.join(tmp, 'w.svg');
    const r = cli('bands', PRISTINE, '--window', '8', '--points', '6', '--out', out, '--svg', svg);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/window {7}eigenvalues nearest -?\d+\.\d+ eV \(info\.json fermi_level\), complete within ±\d+\.\d+ eV; shift-and-invert/);
    expect(r.err).toMatch(/k-point 6\/6/);
    const j = JSON.parse(readFileSync(out, 'utf8')) as BandsResult;
    expect(j.window!.center).toBeCloseTo(pristine.references.fermiLevel!, 12);
    expect(j.energies).toHaveLength(6);
    j.energies_minus_fermi.flat().forEach((e) => expect(Math.abs(e)).toBeLessThanOrEqual(j.window!.half_width));
    expect(readFileSync(svg, 'utf8')).toMatch(/<svg/);
  }, 120_000);

  it('refuses what a window cannot do, and says how to install SLEPc when it is missing', () => {
    expectUserError(cli('bands', PRISTINE, '--window', '0'), /--window must be an integer from 1 to the 234 orbitals/);
    expectUserError(cli('bands', PRISTINE, '--window', '8', '--reference', PRISTINE), /--reference needs all bands/);
    expectUserError(cli('bands', PRISTINE, '--center', '-1.2'), /--center applies to a window of bands/);
    // A python3 that cannot see Debian's packages (-S: no site directories) has no SLEPc.
    const fake = path.join(tmp, 'python-without-slepc');
    writeFileSync(fake, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n');
    chmodSync(fake, 0o755);
    const r = cliWithEnv({ HAMSTUDIO_PYTHON: fake }, 'bands', PRISTINE, '--window', '8', '--points', '4');
    expectUserError(r, /the sparse band solver needs SLEPc: .*apt-get install python3-slepc4py-complex/);
  }, 120_000);
});
