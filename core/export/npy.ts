/**
 * `npy` export (formats §4.2): NumPy arrays in the requested orbital order (default wiki) with meta.json. Molecules:
 * H.npy and S.npy, n × n. Crystals: H_R.npy and S_R.npy, (n_R, n, n) with block (i, j) of slice r equal to
 * ⟨φ_i(0)|H|φ_j(R_r)⟩, and R.npy (n_R, 3) int32 in lattice vectors, sorted; blocks the source does not store are
 * zero. H keeps the source's unit (meta.json `units`).
 */
import { convertBlock, type OrbitalConvention } from '../basis/conventions.ts';
import { atomOrbitalOffsets, blockData, orbitalCount, type HamiltonianSample, type MatrixName } from '../datasets/sample.ts';
import { ExportFiles, type ExportFormat } from './format.ts';
import { exportMeta } from './meta.ts';
import type { ExportSource } from './source.ts';

/** Distinct lattice vectors of the blocks, sorted, and the slice of each block. */
function latticeVectors(sample: HamiltonianSample): { R: number[][]; sliceOf: Int32Array } {
  const { R } = sample.blocks;
  const nBlocks = sample.blocks.i.length;
  const keys = new Map<string, number[]>();
  for (let b = 0; b < nBlocks; b++) keys.set(`${R[3 * b]},${R[3 * b + 1]},${R[3 * b + 2]}`, [R[3 * b], R[3 * b + 1], R[3 * b + 2]]);
  const sorted = [...keys.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const index = new Map(sorted.map((r, k) => [r.join(','), k]));
  const sliceOf = Int32Array.from({ length: nBlocks }, (_, b) => index.get(`${R[3 * b]},${R[3 * b + 1]},${R[3 * b + 2]}`) as number);
  return { R: sorted, sliceOf };
}

/** (n_R, n, n) stack of H(R) or S(R) in `order`. */
function denseStack(sample: HamiltonianSample, which: MatrixName, order: OrbitalConvention, nR: number, sliceOf: Int32Array): Float64Array {
  const off = atomOrbitalOffsets(sample.atomShells);
  const n = off[off.length - 1];
  const out = new Float64Array(nR * n * n);
  const { i, j } = sample.blocks;
  for (let b = 0; b < i.length; b++) {
    const block = convertBlock(blockData(sample.blocks, which, b), sample.atomShells[i[b]], sample.atomShells[j[b]], 'wiki', order);
    const nc = off[j[b] + 1] - off[j[b]];
    const base = sliceOf[b] * n * n;
    for (let r = 0; r < block.length / nc; r++) out.set(block.subarray(r * nc, (r + 1) * nc), base + (off[i[b]] + r) * n + off[j[b]]);
  }
  return out;
}

async function write(source: ExportSource, dir: string, order: OrbitalConvention): Promise<string[]> {
  const files = new ExportFiles(dir);
  const { sample } = source;
  const n = orbitalCount(sample);
  const { R, sliceOf } = latticeVectors(sample);
  const H = denseStack(sample, 'H', order, R.length, sliceOf);
  const S = denseStack(sample, 'S', order, R.length, sliceOf);
  const units = { H: sample.unit, S: 'dimensionless', positions: 'angstrom', ...(source.kind === 'crystal' ? { cell: 'angstrom', R: 'lattice vectors' } : {}) };
  if (source.kind === 'molecule') {
    files.npy('H.npy', [n, n], H);
    files.npy('S.npy', [n, n], S);
    files.json('meta.json', exportMeta(source, 'npy', order, units, { 'H.npy': 'Hamiltonian, n × n', 'S.npy': 'overlap, n × n' }));
  } else {
    files.npy('H_R.npy', [R.length, n, n], H);
    files.npy('S_R.npy', [R.length, n, n], S);
    files.npy('R.npy', [R.length, 3], Int32Array.from(R.flat()));
    files.json('meta.json', exportMeta(source, 'npy', order, units, {
      'H_R.npy': 'H(R): slice r holds <phi_i(0)|H|phi_j(R_r)> for all orbital pairs, (n_R, n, n)',
      'S_R.npy': 'S(R), same layout', 'R.npy': 'lattice vectors R_r in units of the cell rows, (n_R, 3) int32',
    }));
  }
  return files.names;
}

export const npyFormat: ExportFormat = {
  name: 'npy',
  summary: 'NumPy H and S (H_R, S_R, R for crystals) with meta.json, in any orbital order (default wiki)',
  kinds: ['molecule', 'crystal'],
  order: { choose: () => 'wiki' },
  write,
};
