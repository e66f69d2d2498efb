/**
 * One labelled structure of a dataset, as every reader returns it and as the model, training and statistics code
 * consume it (DESIGN.md §3). Whatever the file layout, a sample holds:
 *
 * - the structure (positions Å; for crystals the cell as rows and pbc);
 * - the basis as the angular momentum of each shell of each atom (`atomShells`), in the basis' shell order;
 * - the Hamiltonian H (and overlap S when the data have it) as blocks keyed by (i, j, R):
 *     block b = ⟨φ_{i_b}(0) | H | φ_{j_b}(R_b)⟩, an n_i × n_j matrix, rows the orbitals of atom i in cell 0, columns
 *     those of atom j in the cell translated by R = R1 a1 + R2 a2 + R3 a3 (integer lattice vector, zero for
 *     molecules). For crystals H(k) = Σ_R e^{+2πi k·R} H(R) (k fractional in the reciprocal basis).
 * - matrices in the internal orbital order "wiki" (real spherical harmonics m = −l…l without Condon–Shortley phase,
 *   p = y, z, x) — readers convert on the way in — and in the energy unit `unit` (Hartree for our molecule sets,
 *   eV for DeepH crystals; S is dimensionless).
 *
 * Which blocks are present:
 * - molecules: every ordered atom pair (i, j), i = j included, at R = 0, i-major (block i·nAtoms + j), so the
 *   blocks tile the whole n × n matrix (`denseMatrix` reassembles it);
 * - crystals: the blocks stored in the file, both (i, j, R) and (j, i, −R) (readers require both and check
 *   H_ji(−R) = H_ij(R)ᵀ), sorted by (i, j, R1, R2, R3).
 * On-site blocks are those with i = j and R = 0.
 *
 * Storage is flat typed arrays (no object per block) so that 10⁵ blocks cost a few allocations and can be handed
 * to TensorFlow.js or a worker without copying: block b occupies H[offsets[b] .. offsets[b+1]), row-major.
 */
import type { EnergyUnit } from '../contracts/units.ts';
import { HamError } from '../contracts/errors.ts';
import type { Structure } from '../structure/structure.ts';
import { orbitalsOfShells } from '../basis/orbital-layout.ts';

export interface SampleBlocks {
  /** Row atom of each block (0-based), length nBlocks. */
  i: Int32Array;
  /** Column atom of each block (0-based), length nBlocks. */
  j: Int32Array;
  /** Lattice translation of atom j, row-major nBlocks × 3, in lattice vectors; all zero for molecules. */
  R: Int32Array;
  /** Start of each block in H / S, length nBlocks + 1; block b has n_i · n_j entries. */
  offsets: Int32Array;
  /** Hamiltonian entries of all blocks, each block row-major, in `sample.unit`. */
  H: Float64Array;
  /** Overlap entries, same layout as H; absent when the data have no overlaps. */
  S?: Float64Array;
}

/** Reference eigenvalues on k-points (crystals), e.g. the DFT code's own bands on its k-mesh. */
export interface KpointReference {
  /** k-points, row-major nK × 3, fractional in the reciprocal basis of the cell rows. */
  frac: Float64Array;
  /** Eigenvalues, row-major nK × nBands, ascending per k-point, in `sample.unit`. */
  eigenvalues: Float64Array;
  nBands: number;
}

/** Optional reference quantities from the DFT calculation, in `sample.unit`. */
export interface SampleReferences {
  /** Molecular orbital energies, ascending, length n (eigenvalues of H C = S C E). */
  orbitalEnergies?: Float64Array;
  /** Total energy. */
  energy?: number;
  /** Fermi level (crystals), on the code's absolute scale. */
  fermiLevel?: number;
  kpoints?: KpointReference;
}

export interface HamiltonianSample {
  /** Stable identifier within its dataset, e.g. "ethanol-pbe-def2svp/17" or "graphene-3x3-pbe-dzp/0004". */
  id: string;
  structure: Structure;
  /** Angular momentum l of each shell of each atom, in basis order; atom a has Σ(2l+1) orbitals. */
  atomShells: number[][];
  /** Energy unit of H and of the references. */
  unit: EnergyUnit;
  /** Orbital order of every matrix in the sample: always the internal one. */
  convention: 'wiki';
  blocks: SampleBlocks;
  references: SampleReferences;
}

export type MatrixName = 'H' | 'S';

export function blockCount(blocks: SampleBlocks): number {
  return blocks.i.length;
}

/** First orbital of each atom in the full matrix, length nAtoms + 1 (the last entry is n). */
export function atomOrbitalOffsets(atomShells: readonly (readonly number[])[]): Int32Array {
  const out = new Int32Array(atomShells.length + 1);
  atomShells.forEach((ls, a) => {
    out[a + 1] = out[a] + orbitalsOfShells(ls);
  });
  return out;
}

export function orbitalCount(sample: HamiltonianSample): number {
  return sample.atomShells.reduce((n, ls) => n + orbitalsOfShells(ls), 0);
}

export function isOnsite(blocks: SampleBlocks, b: number): boolean {
  return blocks.i[b] === blocks.j[b] && blocks.R[3 * b] === 0 && blocks.R[3 * b + 1] === 0 && blocks.R[3 * b + 2] === 0;
}

/** All entries of H or S, every block in turn. */
export function matrixEntries(blocks: SampleBlocks, which: MatrixName): Float64Array {
  const m = which === 'H' ? blocks.H : blocks.S;
  if (!m) throw new HamError('E_INPUT', 'this sample has no overlap matrix S');
  return m;
}

/** The entries of block b of H or S (a view, not a copy). */
export function blockData(blocks: SampleBlocks, which: MatrixName, b: number): Float64Array {
  return matrixEntries(blocks, which).subarray(blocks.offsets[b], blocks.offsets[b + 1]);
}

/** Key of a block for lookups: "R1,R2,R3,i,j". */
export function blockKey(i: number, j: number, R: ArrayLike<number>): string {
  return `${R[0]},${R[1]},${R[2]},${i},${j}`;
}

/** Map from blockKey to block index. */
export function blockIndex(blocks: SampleBlocks): Map<string, number> {
  const map = new Map<string, number>();
  for (let b = 0; b < blocks.i.length; b++) map.set(blockKey(blocks.i[b], blocks.j[b], blocks.R.subarray(3 * b, 3 * b + 3)), b);
  return map;
}

/**
 * The full n × n matrix (row-major, wiki order) of a molecule. Only for non-periodic samples: a crystal's H(R)
 * has no single dense form (use a Bloch sum).
 */
export function denseMatrix(sample: HamiltonianSample, which: MatrixName): Float64Array {
  if (sample.blocks.R.some((r) => r !== 0)) {
    throw new HamError('E_INPUT', `${sample.id}: a dense n×n matrix exists only for molecules (this sample has R ≠ 0 blocks)`);
  }
  return denseMatrixAt(sample, which, [0, 0, 0]);
}

/** The n × n matrix (row-major, wiki order) of the blocks ⟨φ_i(0)|·|φ_j(R)⟩ at one translation R of a crystal. */
export function denseMatrixAt(sample: Pick<HamiltonianSample, 'atomShells' | 'blocks'>, which: MatrixName, R: ArrayLike<number>): Float64Array {
  const { blocks } = sample;
  const off = atomOrbitalOffsets(sample.atomShells);
  const n = off[off.length - 1];
  const out = new Float64Array(n * n);
  for (let b = 0; b < blocks.i.length; b++) {
    if (blocks.R[3 * b] !== R[0] || blocks.R[3 * b + 1] !== R[1] || blocks.R[3 * b + 2] !== R[2]) continue;
    const r0 = off[blocks.i[b]];
    const c0 = off[blocks.j[b]];
    const nc = off[blocks.j[b] + 1] - c0;
    const data = blockData(blocks, which, b);
    const nr = data.length / nc;
    for (let r = 0; r < nr; r++) out.set(data.subarray(r * nc, (r + 1) * nc), (r0 + r) * n + c0);
  }
  return out;
}

/**
 * Blocks of a molecule from dense wiki-order matrices (n × n, row-major): every ordered atom pair at R = 0,
 * i-major. The inverse of `denseMatrix`.
 */
export function moleculeBlocks(atomShells: readonly (readonly number[])[], H: Float64Array, S?: Float64Array): SampleBlocks {
  const off = atomOrbitalOffsets(atomShells);
  const nAtoms = atomShells.length;
  const n = off[nAtoms];
  if (H.length !== n * n || (S && S.length !== n * n)) {
    throw new HamError('E_BASIS_MISMATCH', `matrix has ${H.length} entries, the shells give ${n}×${n}`);
  }
  const nBlocks = nAtoms * nAtoms;
  const blocks: SampleBlocks = {
    i: new Int32Array(nBlocks),
    j: new Int32Array(nBlocks),
    R: new Int32Array(3 * nBlocks),
    offsets: new Int32Array(nBlocks + 1),
    H: new Float64Array(n * n),
    S: S ? new Float64Array(n * n) : undefined,
  };
  const outS = blocks.S;
  let b = 0;
  let pos = 0;
  for (let i = 0; i < nAtoms; i++) {
    for (let j = 0; j < nAtoms; j++, b++) {
      blocks.i[b] = i;
      blocks.j[b] = j;
      blocks.offsets[b] = pos;
      const nc = off[j + 1] - off[j];
      for (let r = off[i]; r < off[i + 1]; r++, pos += nc) {
        blocks.H.set(H.subarray(r * n + off[j], r * n + off[j + 1]), pos);
        if (S && outS) outS.set(S.subarray(r * n + off[j], r * n + off[j + 1]), pos);
      }
    }
  }
  blocks.offsets[nBlocks] = pos;
  return blocks;
}
