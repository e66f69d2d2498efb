/**
 * Bloch sums of real-space blocks (DESIGN.md §4, the dataset README's convention):
 *   X(k) = Σ_R e^{+2πi k·R} X(R),  X_ij(R) = ⟨φ_i(0)|X|φ_j(R)⟩,
 * k fractional in the reciprocal basis, R integer in lattice vectors. Because the blocks hold both (i, j, R) and
 * (j, i, −R) with X_ji(−R) = X_ij(R)ᵀ, the sum is exactly Hermitian. The source is anything with blocks and
 * shells — a dataset sample or a model's prediction wrapped the same way.
 */
import { atomOrbitalOffsets, blockData, type HamiltonianSample, type MatrixName } from '../datasets/sample.ts';
import type { ComplexMatrix } from './hermitian-eigen.ts';

/** What a Bloch sum needs: the blocks and, per atom, the shells that size them. */
export type BlochSource = Pick<HamiltonianSample, 'atomShells' | 'blocks'>;

/** X(k) for X = H or S, n × n in the wiki order of the blocks. */
export function blochMatrix(source: BlochSource, which: MatrixName, k: ArrayLike<number>): ComplexMatrix {
  const off = atomOrbitalOffsets(source.atomShells);
  const n = off[off.length - 1];
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  const { blocks } = source;
  for (let b = 0; b < blocks.i.length; b++) {
    const R = blocks.R;
    const phase = 2 * Math.PI * (k[0] * R[3 * b] + k[1] * R[3 * b + 1] + k[2] * R[3 * b + 2]);
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    const r0 = off[blocks.i[b]];
    const c0 = off[blocks.j[b]];
    const nc = off[blocks.j[b] + 1] - c0;
    const data = blockData(blocks, which, b);
    for (let p = 0; p < data.length; p++) {
      const at = (r0 + Math.floor(p / nc)) * n + c0 + (p % nc);
      re[at] += c * data[p];
      im[at] += s * data[p];
    }
  }
  return { n, re, im };
}
