import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDeephLegacyFolder } from '../../../core/datasets/deeph-legacy.ts';
import { readDeephNewFolder } from '../../../core/datasets/deeph-new.ts';
import { blockData, blockIndex, blockKey, type HamiltonianSample } from '../../../core/datasets/sample.ts';
import { writeH5 } from '../../../core/io/hdf5.ts';
import {
  CRYSTAL_CELL, CRYSTAL_NUMBERS, CRYSTAL_POSITIONS, crystalBlocks, expectHamError, writeLegacyFolder, writeNewFolder,
  type TrueBlock,
} from './fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-deeph-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let caseNo = 0;
const fresh = () => path.join(tmp, `case-${caseNo++}`);
const truth = crystalBlocks();

/** Every true block is in the sample, unchanged (wiki order), and nothing else. */
function expectBlocks(s: HamiltonianSample, blocks: TrueBlock[]): void {
  const index = blockIndex(s.blocks);
  expect(index.size).toBe(blocks.length);
  for (const b of blocks) {
    const k = index.get(blockKey(b.i, b.j, b.R));
    expect(k, `block ${b.i},${b.j},${b.R}`).toBeDefined();
    const h = blockData(s.blocks, 'H', k as number);
    const o = blockData(s.blocks, 'S', k as number);
    h.forEach((v, e) => expect(v).toBeCloseTo(b.H[e], 14));
    o.forEach((v, e) => expect(v).toBeCloseTo(b.S[e], 14));
  }
}

function expectStructure(s: HamiltonianSample): void {
  expect(s.structure.numbers).toEqual(CRYSTAL_NUMBERS);
  s.structure.cell?.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(CRYSTAL_CELL[r][c], 12)));
  s.structure.positions.forEach((p, a) => p.forEach((v, c) => expect(v).toBeCloseTo(CRYSTAL_POSITIONS[a][c], 12)));
  expect(s.structure.pbc).toEqual([true, true, true]);
  expect(s.unit).toBe('eV');
  expect(s.references.fermiLevel).toBe(-1.5);
}

describe('legacy DeepH folder', () => {
  it('reads OpenMX order by default (no orbital_order key) and converts to wiki; lat.dat columns become cell rows', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir);
    const { sample, orbitalOrder } = await readDeephLegacyFolder(dir);
    expect(orbitalOrder).toBe('openmx');
    expectStructure(sample);
    expectBlocks(sample, truth);
    // Sorted by (i, j, R).
    expect(Array.from(sample.blocks.i)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('honours info.json orbital_order (gpaw = wiki, no change)', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir, { orbitalOrder: 'gpaw' });
    const { sample, orbitalOrder } = await readDeephLegacyFolder(dir);
    expect(orbitalOrder).toBe('gpaw');
    expectBlocks(sample, truth);
  });

  it('names a missing file', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir);
    rmSync(path.join(dir, 'lat.dat'));
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_FORMAT', path.join(dir, 'lat.dat'), 'missing');
  });

  it('names the key whose block shape does not match orbital_types.dat', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir);
    writeFileSync(path.join(dir, 'orbital_types.dat'), '0 1 2\n0\n'); // atom 2 now has 1 orbital, blocks say 4
    const e = await expectHamError(() => readDeephLegacyFolder(dir), 'E_BASIS_MISMATCH', 'hamiltonians.h5', 'block shape (4, ');
    expect(e.location.key).toMatch(/^\[-?\d+, -?\d+, 0, [12], 2\]$|^\[-?\d+, -?\d+, 0, 2, [12]\]$/);
  });

  it('names the key holding a NaN', async () => {
    const dir = fresh();
    const blocks = crystalBlocks();
    blocks[3].H[2] = Number.NaN;
    await writeLegacyFolder(dir, { blocks });
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_NUMERIC', 'hamiltonians.h5', '[0, 0, 0, 2, 1]', 'NaN');
  });

  it('names a key of hamiltonians.h5 missing from overlaps.h5', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir);
    const blocks = crystalBlocks().slice(0, -1);
    await writeH5(path.join(dir, 'overlaps.h5'), blocks.map((b) => ({
      name: `[${b.R.join(', ')}, ${b.i + 1}, ${b.j + 1}]`, shape: [b.i === 0 ? 9 : 4, b.j === 0 ? 9 : 4], data: b.S,
    })));
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_FORMAT', 'overlaps.h5', '[0, -1, 0, 1, 1]');
  });

  it('rejects a key that is not "[R1, R2, R3, i, j]" or an atom out of range', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir);
    await writeH5(path.join(dir, 'hamiltonians.h5'), [{ name: 'block-1', shape: [1], data: Float64Array.of(0) }]);
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_FORMAT', '[block-1]');
    await writeH5(path.join(dir, 'hamiltonians.h5'), [{ name: '[0, 0, 0, 3, 1]', shape: [1], data: Float64Array.of(0) }]);
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_FORMAT', '[0, 0, 0, 3, 1]', 'out of range');
  });

  it('requires H_ji(−R) = H_ij(R)ᵀ, naming the key', async () => {
    const dir = fresh();
    const blocks = crystalBlocks();
    blocks[5].H[1] += 1e-3; // (1, 0, [-1, 0, 0]) no longer the transpose of (0, 1, [1, 0, 0])
    await writeLegacyFolder(dir, { blocks, orbitalOrder: 'gpaw' });
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_FORMAT', 'hamiltonians.h5', '[1, 0, 0, 1, 2]', 'H_ji(−R)');
  });

  it('requires both orders of every block', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir, { blocks: crystalBlocks().filter((b) => !(b.i === 1 && b.j === 0 && b.R[0] === -1)) });
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_FORMAT', '[1, 0, 0, 1, 2]', 'both orders');
  });

  it('refuses spinful data', async () => {
    const dir = fresh();
    await writeLegacyFolder(dir, { info: { isspinful: true } });
    await expectHamError(() => readDeephLegacyFolder(dir), 'E_FORMAT', '[isspinful]', 'not supported');
  });
});

describe('DeepH-dock (new layout) folder', () => {
  it('reads POSCAR, info.json and the chunked h5 files; blocks are already wiki', async () => {
    const dir = fresh();
    await writeNewFolder(dir);
    const { sample } = await readDeephNewFolder(dir);
    expectStructure(sample);
    expectBlocks(sample, truth);
  });

  it('gives the same sample as the legacy layout of the same data', async () => {
    const a = fresh();
    const b = fresh();
    await writeLegacyFolder(a);
    await writeNewFolder(b);
    const legacy = (await readDeephLegacyFolder(a)).sample.blocks;
    const fresher = (await readDeephNewFolder(b)).sample.blocks;
    expect(Array.from(fresher.i)).toEqual(Array.from(legacy.i));
    expect(Array.from(fresher.R)).toEqual(Array.from(legacy.R));
    fresher.H.forEach((v, k) => expect(v).toBeCloseTo(legacy.H[k], 14));
  });

  it('names the chunk whose shape does not match elements_orbital_map', async () => {
    const dir = fresh();
    await writeNewFolder(dir, { info: { elements_orbital_map: { C: [0, 1, 2], H: [0] }, orbits_quantity: 10 } });
    await expectHamError(() => readDeephNewFolder(dir), 'E_BASIS_MISMATCH', 'hamiltonian.h5', 'atom_pairs[');
  });

  it('refuses spinful and split-HKB data, and a wrong orbits_quantity', async () => {
    const a = fresh();
    await writeNewFolder(a, { info: { spinful: true } });
    await expectHamError(() => readDeephNewFolder(a), 'E_FORMAT', '[spinful]', 'not supported');
    const b = fresh();
    await writeNewFolder(b, { info: { split_hkb: true } });
    await expectHamError(() => readDeephNewFolder(b), 'E_FORMAT', 'hkb');
    const c = fresh();
    await writeNewFolder(c, { info: { orbits_quantity: 14 } });
    await expectHamError(() => readDeephNewFolder(c), 'E_BASIS_MISMATCH', '[orbits_quantity]');
  });

  it('requires identical atom_pairs in hamiltonian.h5 and overlap.h5', async () => {
    const dir = fresh();
    await writeNewFolder(dir);
    const other = fresh();
    await writeNewFolder(other, { blocks: [...crystalBlocks()].reverse() });
    rmSync(path.join(dir, 'overlap.h5'));
    renameSync(path.join(other, 'overlap.h5'), path.join(dir, 'overlap.h5'));
    await expectHamError(() => readDeephNewFolder(dir), 'E_FORMAT', 'overlap.h5', '[atom_pairs]');
  });
});
