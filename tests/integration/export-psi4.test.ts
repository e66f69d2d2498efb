/**
 * The psi4 export run by psi4 (Debian's 1.3.2): the exported script converges a water conformer to the energy
 * psi4 reaches from its own guess (and that the dataset recorded), in fewer iterations when the guess is good (the
 * reference H itself exported), still to the same energy from an imperfect H, and it refuses to start when S.npy
 * does not match psi4's own overlap (a wrong orbital order).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHamiltonian } from '../../core/export/service.ts';
import { encodeNpy, npyToFloat64, readNpy } from '../../core/io/npy.ts';
import { PYTHON } from '../helpers/python.ts';
import { loadConformer, writePredictionFolder } from '../unit/export/fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-psi4-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run { code: number | null; iterations: number; energy: number; out: string; err: string }

function runScript(dir: string, ...args: string[]): Run {
  const r = spawnSync(PYTHON, [path.join(dir, 'run_psi4.py'), ...args], { encoding: 'utf8', cwd: tmp });
  return {
    code: r.status, out: r.stdout, err: r.stderr,
    iterations: Number(/^iterations\s+(\d+)$/m.exec(r.stdout)?.[1]),
    energy: Number(/^energy\s+(\S+) hartree$/m.exec(r.stdout)?.[1]),
  };
}

async function exportPsi4(name: string, H?: Float64Array): Promise<string> {
  const out = path.join(tmp, `${name}-psi4`);
  await exportHamiltonian({ source: writePredictionFolder(path.join(tmp, name), water, { H }), format: 'psi4', out });
  return out;
}

const water = loadConformer('water-pbe-def2svp', 40);

describe('psi4 export, run by psi4', () => {
  let reference: string;
  let fromDefault: Run;

  beforeAll(async () => {
    reference = await exportPsi4('reference');
    fromDefault = runScript(reference, '--default-guess');
    expect(fromDefault.code, fromDefault.err).toBe(0);
  });

  it('from the reference H: the energy of psi4\'s default guess (within 1e-6 Eh) in fewer iterations', () => {
    const fromExport = runScript(reference);
    expect(fromExport.code, fromExport.err).toBe(0);
    expect(Math.abs(fromExport.energy - fromDefault.energy)).toBeLessThan(1e-6);
    expect(Math.abs(fromDefault.energy - water.energy)).toBeLessThan(1e-6);
    expect(fromExport.iterations).toBeLessThan(fromDefault.iterations);
    expect(fromExport.iterations).toBeLessThanOrEqual(2);
  });

  it('from an imperfect H (the reference plus 2 mEh of symmetric noise): the same energy', async () => {
    const { n } = water;
    const noisy = Float64Array.from(water.H);
    for (let a = 0; a < n; a++) for (let b = a; b < n; b++) {
      const d = 2e-3 * Math.sin(12.9898 * a + 78.233 * b);
      noisy[a * n + b] += d;
      if (a !== b) noisy[b * n + a] += d;
    }
    const run = runScript(await exportPsi4('noisy', noisy));
    expect(run.code, run.err).toBe(0);
    expect(Math.abs(run.energy - fromDefault.energy)).toBeLessThan(1e-6);
  });

  it('refuses to start when S.npy is not psi4\'s overlap in psi4 order (two p functions swapped)', async () => {
    const dir = await exportPsi4('swapped');
    const file = path.join(dir, 'S.npy');
    const S = npyToFloat64(readNpy(file));
    const { n } = water;
    // O's first p shell starts at orbital 3: swap its z and x functions in rows and columns.
    const swapped = Float64Array.from(S, (_, k) => {
      const sw = (i: number) => (i === 3 ? 4 : i === 4 ? 3 : i);
      return S[sw(Math.floor(k / n)) * n + sw(k % n)];
    });
    writeFileSync(file, encodeNpy([n, n], swapped));
    const run = runScript(dir);
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/orbital order mismatch, SCF not started/);
    expect(run.out).not.toMatch(/iterations/);
  });
});

describe("the psi4 labeler's guess_orbitals (resources/labelers/psi4_scf.py)", () => {
  it("starts from an export's C_occ.npy and reaches the dataset's energy in at most 2 iterations", async () => {
    const dir = await exportPsi4('labeler');
    const job = path.join(tmp, 'job.json');
    writeFileSync(job, JSON.stringify({
      symbols: ['O', 'H', 'H'], positions: water.positions, write_matrices: false, guess_orbitals: path.join(dir, 'C_occ.npy'),
    }));
    const driver = path.resolve(import.meta.dirname, '../../resources/labelers/psi4_scf.py');
    const r = spawnSync(PYTHON, [driver, job, path.join(tmp, 'labeler-out')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(path.join(tmp, 'labeler-out', 'result.json'), 'utf8'));
    expect(result.iterations).toBeLessThanOrEqual(2);
    expect(Math.abs(result.energy_hartree - water.energy)).toBeLessThan(1e-8);
  });
});
