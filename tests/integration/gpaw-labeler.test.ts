/**
 * The GPAW labeler (issue 6, crystals) against the shared graphene set: the same geometry and parameters as the set's
 * structure 0000 (3×3 cell, gpts 24×24×48, 3×3×1 mesh) must give the set's H(R), S(R), eigenvalues and E_F, and the
 * same files — the convention check (orbital order, Bloch sign, units, key format, image choice). On a small cell
 * whose SCF mesh is too coarse for the inverse transform (H(R) then comes from a finer fixed-density mesh) the
 * labels must be consistent with GPAW's own eigenvalues. Failed SCFs are recorded and skipped, a cancel keeps what
 * is finished, a rerun recomputes nothing, and a missing GPAW says how to install it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HamError } from '../../core/contracts/errors.ts';
import { readDeephLegacyFolder } from '../../core/datasets/deeph-legacy.ts';
import { blockIndex, blockKey } from '../../core/datasets/sample.ts';
import { labelCrystals, type GpawSettings } from '../../core/labelers/gpaw.ts';
import { bandStructure } from '../../core/physics/bands.ts';
import type { Mat3, Structure, Vec3 } from '../../core/structure/structure.ts';
import { datasetPath } from '../helpers/datasets.ts';

const SET = datasetPath('graphene-3x3-pbe-dzp');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-gpaw-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const A = 2.46;
/** Primitive graphene, 12 Å vacuum; `dz` moves the second atom out of plane. */
const primitive = (dz = 0): Structure => {
  const cell: Mat3 = [[A, 0, 0], [A / 2, (A * Math.sqrt(3)) / 2, 0], [0, 0, 12]];
  const at = (f: number, z: number): Vec3 => [f * (cell[0][0] + cell[1][0]), f * cell[1][1], z];
  return { numbers: [6, 6], positions: [at(1 / 3, 6), at(2 / 3, 6 + dz)], cell, pbc: [true, true, true] };
};
/** Coarse and quick: a 2-atom SCF takes a few seconds. */
const SMALL: GpawSettings = { basis: 'dzp', xc: 'PBE', kmesh: [3, 3, 1], width: 0.02, grid: { h: 0.35 }, jobs: 2 };

describe('GPAW labeler', () => {
  it('reproduces the graphene set’s structure 0000: H(R), S(R), eigenvalues, E_F and files', async () => {
    const ref = (await readDeephLegacyFolder(path.join(SET, '0000'))).sample;
    const work = path.join(tmp, 'set');
    const r = await labelCrystals([ref.structure], work, { ...SMALL, grid: { gpts: [24, 24, 48] }, jobs: 1 });
    const ours = r.samples.get(0)!;
    expect(ours, r.failed.get(0)).toBeDefined();
    const index = blockIndex(ours.blocks);
    expect(ours.blocks.i.length).toBe(ref.blocks.i.length);
    let dH = 0;
    let dS = 0;
    const b = ref.blocks;
    for (let k = 0; k < b.i.length; k++) {
      const o = index.get(blockKey(b.i[k], b.j[k], b.R.subarray(3 * k, 3 * k + 3)));
      expect(o).toBeDefined();
      for (let x = b.offsets[k], y = ours.blocks.offsets[o!]; x < b.offsets[k + 1]; x++, y++) {
        dH = Math.max(dH, Math.abs(b.H[x] - ours.blocks.H[y]));
        dS = Math.max(dS, Math.abs(b.S![x] - ours.blocks.S![y]));
      }
    }
    // Measured in development (same GPAW 22.8.0): 4.2e-12 eV, 1.3e-15, eigenvalues 3.8e-10 eV.
    expect(dH).toBeLessThan(1e-4);
    expect(dS).toBeLessThan(1e-8);
    const e = ours.references.kpoints!;
    const eRef = ref.references.kpoints!;
    expect(e.nBands).toBe(eRef.nBands);
    expect(e.frac).toEqual(eRef.frac);
    expect(Math.max(...eRef.eigenvalues.map((v, q) => Math.abs(v - e.eigenvalues[q])))).toBeLessThan(1e-4);
    expect(Math.abs(ours.references.fermiLevel! - ref.references.fermiLevel!)).toBeLessThan(1e-4);
    const out = path.join(work, 'jobs', '0000', 'out');
    for (const f of ['lat.dat', 'rlat.dat', 'site_positions.dat', 'element.dat', 'orbital_types.dat']) {
      expect(readFileSync(path.join(out, f), 'utf8'), f).toBe(readFileSync(path.join(SET, '0000', f), 'utf8'));
    }
    const info = JSON.parse(readFileSync(path.join(out, 'info.json'), 'utf8'));
    const refInfo = JSON.parse(readFileSync(path.join(SET, '0000', 'info.json'), 'utf8'));
    expect({ ...info, fermi_level: 0 }).toEqual({ ...refInfo, fermi_level: 0 });
  }, 240_000);

  it('labels a small cell consistently with GPAW’s own eigenvalues (H(R) from a finer fixed-density mesh)', async () => {
    const r = await labelCrystals([primitive(0.1)], path.join(tmp, 'small'), SMALL);
    const s = r.samples.get(0)!;
    expect(s, r.failed.get(0)).toBeDefined();
    const checks = JSON.parse(readFileSync(path.join(tmp, 'small', 'jobs', '0000', 'out', 'checks.json'), 'utf8'));
    expect(checks.extraction_kmesh[0]).toBeGreaterThan(3); // the 3×3 mesh would fold images of a 2.46 Å cell
    expect(s.atomShells).toEqual([[0, 1, 0, 1, 2], [0, 1, 0, 1, 2]]);
    expect(s.blocks.offsets[1] - s.blocks.offsets[0]).toBe(13 * 13);
    // Our Bloch sum H(k) = Σ_R e^{+2πik·R} H(R) solved with S(k) at the SCF k-points against GPAW's eigenvalues.
    const { kpoints, fermiLevel } = s.references;
    const bands = bandStructure(s, kpoints!.frac);
    let dev = 0;
    for (let q = 0; q < kpoints!.frac.length / 3; q++) {
      for (let n = 0; n < kpoints!.nBands; n++) {
        const ref = kpoints!.eigenvalues[q * kpoints!.nBands + n];
        if (ref < fermiLevel! + 10) dev = Math.max(dev, Math.abs(bands.eigenvalues[q * bands.nBands + n] - ref));
      }
    }
    expect(dev).toBeLessThan(1e-4);
  }, 120_000);

  it('records an SCF that does not converge, goes on, keeps finished jobs when cancelled, and resumes', async () => {
    const work = path.join(tmp, 'fail');
    const r = await labelCrystals([primitive(), primitive(0.05)], work, { ...SMALL, maxiter: 3 });
    expect(r.samples.size).toBe(0);
    expect(r.failed.get(0)).toMatch(/KohnShamConvergenceError/);
    expect(readFileSync(path.join(work, 'jobs', '0001', 'failed.txt'), 'utf8')).toMatch(/converge/i);

    const more = path.join(tmp, 'more');
    const abort = new AbortController();
    const run = labelCrystals([primitive(), primitive(0.05), primitive(0.1)], more, { ...SMALL, jobs: 1 }, {
      signal: abort.signal, onProgress: (p) => { if (p.done >= 1) abort.abort(); },
    });
    await expect(run).rejects.toThrow(HamError);
    await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
    const first = path.join(more, 'jobs', '0000', 'out', 'checks.json');
    expect(existsSync(first)).toBe(true);
    expect(existsSync(path.join(more, 'jobs', '0002', 'out'))).toBe(false);
    const before = statSync(first).mtimeMs;
    const again = await labelCrystals([primitive(), primitive(0.05), primitive(0.1)], more, SMALL);
    expect([...again.samples.keys()].sort()).toEqual([0, 1, 2]);
    expect(statSync(first).mtimeMs).toBe(before);
  }, 180_000);

  it('refuses a molecule and says how to install GPAW when it is missing', async () => {
    const water: Structure = { numbers: [8, 1, 1], positions: [[0, 0, 0], [0.76, 0.59, 0], [-0.76, 0.59, 0]] };
    await expect(labelCrystals([water], path.join(tmp, 'w'), SMALL)).rejects.toThrow(/no cell: GPAW labelling is for periodic structures/);
    const saved = process.env.HAMSTUDIO_PYTHON;
    process.env.HAMSTUDIO_PYTHON = '/nonexistent/python3';
    try {
      await expect(labelCrystals([primitive()], path.join(tmp, 'x'), SMALL)).rejects.toMatchObject({ code: 'E_EXTERNAL_TOOL', message: expect.stringMatching(/apt-get install gpaw gpaw-data python3-h5py/) });
    } finally {
      if (saved === undefined) delete process.env.HAMSTUDIO_PYTHON;
      else process.env.HAMSTUDIO_PYTHON = saved;
    }
  });
});
