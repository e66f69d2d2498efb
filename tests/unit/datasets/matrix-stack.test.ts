import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMatrixStack, writeMatrixStack } from '../../../core/datasets/matrix-stack.ts';
import { denseMatrix } from '../../../core/datasets/sample.ts';
import { encodeNpy, npyToFloat64, readNpy } from '../../../core/io/npy.ts';
import { expectHamError, moleculeSamples } from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-stack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const samples = moleculeSamples(3);
const good = path.join(tmp, 'good');
let caseNo = 0;

/** A copy of the good folder with `edit` applied. */
function broken(edit: (dir: string) => void): string {
  const dir = path.join(tmp, `case-${caseNo++}`);
  cpSync(good, dir, { recursive: true });
  edit(dir);
  return dir;
}

function rewriteNpy(dir: string, name: string, change: (shape: number[], data: Float64Array) => [number[], Float64Array]): void {
  const arr = readNpy(path.join(dir, name));
  const [shape, data] = change(arr.shape, Float64Array.from(npyToFloat64(arr)));
  writeFileSync(path.join(dir, name), encodeNpy(shape, data));
}

beforeAll(async () => {
  await writeMatrixStack(good, samples, { orbitalOrder: 'psi4', meta: { basis: 'test-basis', method: 'none' } });
});

describe('matrix-stack', () => {
  it('round-trips through the psi4 order: the files are permuted, the samples are not', () => {
    const ds = readMatrixStack(good);
    expect(ds.format).toBe('matrix-stack');
    expect(ds.fileOrbitalOrders).toEqual(['psi4']);
    expect(ds.basis).toBe('test-basis');
    expect(ds.samples).toHaveLength(3);
    ds.samples.forEach((s, k) => {
      expect(Array.from(denseMatrix(s, 'H'))).toEqual(Array.from(denseMatrix(samples[k], 'H')));
      expect(Array.from(denseMatrix(s, 'S'))).toEqual(Array.from(denseMatrix(samples[k], 'S')));
      expect(s.references.energy).toBe(samples[k].references.energy);
      expect(Array.from(s.references.orbitalEnergies as Float64Array)).toEqual(Array.from(samples[k].references.orbitalEnergies as Float64Array));
      expect(s.structure.positions).toEqual(samples[k].structure.positions);
    });
    // psi4 p order is (z, x, y) at orbitals 1..3 of O; wiki is (y, z, x): wiki H[py, pz] = file H[3, 1].
    const raw = npyToFloat64(readNpy(path.join(good, 'H.npy')));
    const wiki = denseMatrix(samples[0], 'H');
    expect(wiki[1 * 11 + 2]).toBe(raw[3 * 11 + 1]);
    expect(wiki[1 * 11 + 2]).not.toBe(raw[1 * 11 + 2]);
    const meta = JSON.parse(readFileSync(path.join(good, 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 'hamstudio-matrix-stack', orbital_order: 'psi4', n_structures: 3, n_orbitals: 11, shells: { 8: [0, 1, 2], 1: [0] } });
  });

  it('a missing required file is named', async () => {
    const dir = broken((d) => rmSync(path.join(d, 'S.npy')));
    await expectHamError(() => readMatrixStack(dir), 'E_FORMAT', path.join(dir, 'S.npy'), 'missing');
  });

  it('NaN in H names the file and the structure', async () => {
    const dir = broken((d) => rewriteNpy(d, 'H.npy', (shape, data) => { data[121 + 5] = Number.NaN; return [shape, data]; }));
    await expectHamError(() => readMatrixStack(dir), 'E_NUMERIC', 'H.npy', 'structure 1', 'NaN');
  });

  it('a matrix size that does not match the shells is E_BASIS_MISMATCH naming H.npy', async () => {
    const dir = broken((d) => rewriteNpy(d, 'H.npy', (shape) => [[shape[0], 12, 12], new Float64Array(shape[0] * 144)]));
    await expectHamError(() => readMatrixStack(dir), 'E_BASIS_MISMATCH', 'H.npy', '(3, 12, 12)');
  });

  it('an asymmetric H names the file and the structure', async () => {
    const dir = broken((d) => rewriteNpy(d, 'H.npy', (shape, data) => { data[2 * 121 + 1] += 0.01; return [shape, data]; }));
    await expectHamError(() => readMatrixStack(dir), 'E_FORMAT', 'H.npy', 'structure 2', 'not symmetric');
  });

  it('meta.json without shells for an element is E_BASIS_MISMATCH naming the key', async () => {
    const dir = broken((d) => {
      const meta = JSON.parse(readFileSync(path.join(d, 'meta.json'), 'utf8'));
      delete meta.shells['1'];
      writeFileSync(path.join(d, 'meta.json'), JSON.stringify(meta));
    });
    await expectHamError(() => readMatrixStack(dir), 'E_BASIS_MISMATCH', 'meta.json', '[shells]');
  });

  it('positions for another atom count are E_FORMAT naming positions.npy', async () => {
    const dir = broken((d) => rewriteNpy(d, 'positions.npy', (shape) => [[shape[0], 4, 3], new Float64Array(shape[0] * 12)]));
    await expectHamError(() => readMatrixStack(dir), 'E_FORMAT', 'positions.npy', '3 structures of 3 atoms');
  });

  it('a wrong n_orbitals or format in meta.json names the key', async () => {
    const edit = (change: (m: Record<string, unknown>) => void) => broken((d) => {
      const meta = JSON.parse(readFileSync(path.join(d, 'meta.json'), 'utf8'));
      change(meta);
      writeFileSync(path.join(d, 'meta.json'), JSON.stringify(meta));
    });
    await expectHamError(() => readMatrixStack(edit((m) => { m.n_orbitals = 10; })), 'E_BASIS_MISMATCH', '[n_orbitals]');
    await expectHamError(() => readMatrixStack(edit((m) => { m.orbital_order = 'martian'; })), 'E_FORMAT', '[orbital_order]');
  });

  it('refuses to write a crystal or mixed molecules', async () => {
    const other = moleculeSamples(1)[0];
    const mixed = { ...other, structure: { ...other.structure, numbers: [8, 1, 9] } };
    await expectHamError(() => writeMatrixStack(path.join(tmp, 'never'), [samples[0], mixed]), 'E_INPUT', 'same atoms');
  });
});
