/**
 * A band-energy loss for crystals. By first-order perturbation theory (Hellmann–Feynman), an error ΔH of the
 * predicted blocks moves a reference eigenvalue by δε_nk = ψ_nkᴴ ΔH(k) ψ_nk, with ψ_nk the reference eigenvector of
 * H(k) ψ = ε S(k) ψ (ψᴴSψ = 1) and H(k) = Σ_R e^{2πik·R} H(R) (bloch.ts). That is linear in the block errors:
 *   δε_nk = Σ_b ⟨W_b, ΔH_b⟩,  W_b[μ, ν] = Re(ψ̄_μ ψ_ν e^{2πik·R_b}),
 * doubled for a predicted off-site block, whose transpose is the stored reverse block (j, i, −R) with the same
 * weight. In the network's normalised coefficients Δ the weights are ω = σ ⊙ Gᵀ vec(W) (block-plan.ts), so
 * δε = Σ ω·Δ and the loss mean_nk δε² is, to first order in ΔH (errors ≪ band gaps), the squared band error the
 * evaluation measures — here on a denser k-mesh than the reference one. The entrywise H loss weighs every matrix
 * element alike; this term weighs the combinations the bands near E_F depend on (all neighbour shells at once).
 * Eigenvalues closer than DEGENERATE form one constraint on their sum, the only first-order-smooth quantity there.
 * The eigenvectors live in the S-orthonormal basis the evaluation's bands use (near-null overlap directions dropped
 * at PREDICTED_OVERLAP_THRESHOLD; there an H error would be amplified by 1/s into spurious states).
 */
import { HamError } from '../contracts/errors.ts';
import { energyFactor } from '../contracts/units.ts';
import { atomOrbitalOffsets, blockData, type HamiltonianSample } from '../datasets/sample.ts';
import { assembleTranspose } from '../model/block-plan.ts';
import type { GraphBatch } from '../model/graph-batch.ts';
import type { GroupPrediction } from '../model/hamiltonian-net.ts';
import type { TypeNormalization } from '../model/normalization.ts';
import { PREDICTED_OVERLAP_THRESHOLD } from '../model/two-center-overlap.ts';
import { blochMatrix } from '../physics/bloch.ts';
import { generalizedHermitianEigen } from '../physics/hermitian-eigen.ts';
import { gammaCentredMesh } from '../physics/kpath.ts';
import { isPeriodic } from '../structure/structure.ts';
import * as tf from '../runtime/tf.ts';

/** Γ-centred mesh of the supercell on which the band constraints are taken (the reference mesh is 3×3). */
export const BAND_LOSS_MESH: [number, number, number] = [6, 6, 1];
/** Bands within this window of the Fermi level, eV (the evaluation's window). */
export const BAND_LOSS_WINDOW_EV = 2;
/** Eigenvalues closer than this (eV) are constrained through their sum. */
const DEGENERATE_EV = 1e-3;

/** One sample's constraints: clusters of (k, band) eigenpairs of the reference near E_F. */
export interface BandTargets {
  /** Per constraint: 1 / cluster size, so a degenerate pair counts as much as one band. */
  weight: Float32Array;
  /** Per constraint, its eigenpairs: k-point (fractional), band index and eigenvector (re, im over the orbitals). */
  members: { k: Float64Array; band: number; re: Float64Array; im: Float64Array }[][];
  /** ω per decoder group key, [constraints, rows·nCoefficients], made on first use. */
  omega: Map<string, { blocks: Int32Array; data: Float32Array }>;
}

export function bandTargets(sample: HamiltonianSample): BandTargets {
  const eF = sample.references.fermiLevel;
  if (!isPeriodic(sample.structure) || eF === undefined || !sample.blocks.S) {
    throw new HamError('E_INPUT', `${sample.id}: the band loss needs a crystal with reference S(R) and a Fermi level (info.json fermi_level)`);
  }
  const toUnit = energyFactor('eV', sample.unit);
  const window = BAND_LOSS_WINDOW_EV * toUnit;
  const mesh = gammaCentredMesh(BAND_LOSS_MESH);
  const members: BandTargets['members'] = [];
  for (let q = 0; q < mesh.length / 3; q++) {
    const k = mesh.subarray(3 * q, 3 * q + 3);
    const e = generalizedHermitianEigen(blochMatrix(sample, 'H', k), blochMatrix(sample, 'S', k), { vectors: true, threshold: PREDICTED_OVERLAP_THRESHOLD });
    const V = e.vectors!;
    let last = -Infinity;
    for (let n = 0; n < e.values.length; n++) {
      if (Math.abs(e.values[n] - eF) > window) continue;
      const member = { k, band: n, re: V.re.slice(n * V.length, (n + 1) * V.length), im: V.im.slice(n * V.length, (n + 1) * V.length) };
      if (e.values[n] - last < DEGENERATE_EV * toUnit) members[members.length - 1].push(member);
      else members.push([member]);
      last = e.values[n];
    }
  }
  return { weight: Float32Array.from(members, (m) => 1 / m.length), members, omega: new Map() };
}

/** ω of the rows `blocks` (stored block indices of the sample) of one decoder group, [constraints, rows·nc]. */
function groupOmega(sample: HamiltonianSample, t: BandTargets, group: GraphBatch['groups'][number], blocks: Int32Array, norm: TypeNormalization): Float32Array {
  const { plan, netIndex } = group.type;
  const nc = plan.nCoefficients;
  const nC = t.members.length;
  const off = atomOrbitalOffsets(sample.atomShells);
  const out = new Float32Array(nC * blocks.length * nc);
  const W = new Float64Array(plan.rows * plan.cols);
  const { i, j, R } = sample.blocks;
  blocks.forEach((b, r) => {
    const onsite = i[b] === j[b] && R[3 * b] === 0 && R[3 * b + 1] === 0 && R[3 * b + 2] === 0;
    const factor = onsite ? 1 : 2;
    const r0 = off[i[b]];
    const c0 = off[j[b]];
    if (blockData(sample.blocks, 'H', b).length !== W.length) throw new HamError('E_INTERNAL', `block ${b} of ${sample.id} does not fit its decoder plan`);
    for (let c = 0; c < nC; c++) {
      W.fill(0);
      for (const m of t.members[c]) {
        const phase = 2 * Math.PI * (m.k[0] * R[3 * b] + m.k[1] * R[3 * b + 1] + m.k[2] * R[3 * b + 2]);
        const cs = Math.cos(phase);
        const sn = Math.sin(phase);
        for (let mu = 0; mu < plan.rows; mu++) {
          const ar = m.re[r0 + mu];
          const ai = -m.im[r0 + mu]; // ψ̄_μ
          for (let nu = 0; nu < plan.cols; nu++) {
            // Re((ar + i·ai)(br + i·bi)(cs + i·sn))
            const pr = ar * m.re[c0 + nu] - ai * m.im[c0 + nu];
            const pi = ar * m.im[c0 + nu] + ai * m.re[c0 + nu];
            W[mu * plan.cols + nu] += factor * (pr * cs - pi * sn);
          }
        }
      }
      const x = assembleTranspose(plan, W);
      const base = (c * blocks.length + r) * nc;
      for (let p = 0; p < nc; p++) out[base + netIndex[p]] = x[p] * norm.coefStd[netIndex[p]];
    }
  });
  return out;
}

/**
 * Σ_s Σ_c w_c δε_c² / Σ w over the batch's structures (first-order band errors, squared, in the data's unit²).
 * `targets[s]` belongs to the batch's structure s; rows of one structure are contiguous in every group.
 */
export function bandLoss(batch: GraphBatch, pred: GroupPrediction[], samples: readonly HamiltonianSample[], targets: readonly BandTargets[], norm: Map<string, TypeNormalization>): tf.Scalar {
  let sum: tf.Tensor = tf.scalar(0);
  let wsum = 0;
  targets.forEach((t, s) => {
    const nC = t.weight.length;
    if (nC === 0) return;
    let delta: tf.Tensor = tf.zeros([nC, 1]);
    batch.groups.forEach((g, k) => {
      const r0 = g.sample.indexOf(s);
      if (r0 < 0) return;
      let r1 = r0;
      while (r1 < g.sample.length && g.sample[r1] === s) r1++;
      const blocks = g.block.subarray(r0, r1);
      let cached = t.omega.get(g.type.key);
      if (!cached || cached.blocks.length !== blocks.length || cached.blocks.some((b, r) => b !== blocks[r])) {
        cached = { blocks: blocks.slice(), data: groupOmega(samples[s], t, g, blocks, norm.get(g.type.key)!) };
        t.omega.set(g.type.key, cached);
      }
      const nc = g.type.plan.nCoefficients;
      const rows = r1 - r0;
      const target = tf.tensor2d(g.coef!.subarray(r0 * nc, r1 * nc), [rows, nc]);
      const diff = pred[k].coef.slice([r0, 0], [rows, nc]).sub(target).reshape([rows * nc, 1]);
      delta = delta.add(tf.matMul(tf.tensor2d(cached.data, [nC, rows * nc]), diff));
    });
    sum = sum.add(delta.square().mul(tf.tensor2d(t.weight, [nC, 1])).sum());
    wsum += t.weight.reduce((a, v) => a + v, 0);
  });
  return sum.div(Math.max(wsum, 1e-30)) as tf.Scalar;
}
