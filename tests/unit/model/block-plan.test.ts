import { describe, expect, it } from 'vitest';
import { assembleBlock, assemblyMatrix, blockPlan, projectBlock } from '../../../core/model/block-plan.ts';
import { blockDiagonalD, randomRotation } from '../../../core/so3/index.ts';
import { Rng } from '../../../core/runtime/rng.ts';

const DEF2SVP_O = [0, 0, 0, 1, 1, 2];
const DEF2SVP_H = [0, 0, 1];

function matmul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) {
    const v = a[i * k + p];
    if (v !== 0) for (let j = 0; j < m; j++) out[i * m + j] += v * b[p * m + j];
  }
  return out;
}
const transpose = (a: Float64Array, n: number, m: number) => Float64Array.from({ length: n * m }, (_, k) => a[(k % n) * m + Math.floor(k / n)]);

describe('Wigner–Eckart block plans', () => {
  it('counts coefficients: off-site O–H has rows·cols of them, on-site O has n(n+1)/2', () => {
    const off = blockPlan(DEF2SVP_O, DEF2SVP_H, false);
    expect([off.rows, off.cols, off.nCoefficients]).toEqual([14, 5, 70]);
    const on = blockPlan(DEF2SVP_O, DEF2SVP_O, true);
    expect(on.nCoefficients).toBe((14 * 15) / 2);
    // L=0: 3 same-shell s + 3 s–s' + 2 same-shell p + 1 p–p' + 1 d–d; L=1: 6 s–p + 1 p–p' + 2 p–d; …
    expect(on.slotsPerL).toEqual([10, 9, 9, 2, 1]);
  });

  it('projects and reassembles an arbitrary off-site block exactly (orthonormal CG)', () => {
    const rng = new Rng(1);
    const plan = blockPlan(DEF2SVP_O, DEF2SVP_H, false);
    const block = Float64Array.from({ length: 70 }, () => rng.normal());
    const back = assembleBlock(plan, projectBlock(plan, block));
    back.forEach((v, k) => expect(v).toBeCloseTo(block[k], 13));
    const x = projectBlock(plan, block);
    expect(x.reduce((s, v) => s + v * v, 0)).toBeCloseTo(block.reduce((s, v) => s + v * v, 0), 12);
  });

  it('reassembles any symmetric on-site block exactly, and only symmetric ones', () => {
    const rng = new Rng(2);
    const plan = blockPlan(DEF2SVP_O, DEF2SVP_O, true);
    const n = 14;
    const a = Float64Array.from({ length: n * n }, () => rng.normal());
    const sym = Float64Array.from({ length: n * n }, (_, k) => a[k] + a[(k % n) * n + Math.floor(k / n)]);
    const back = assembleBlock(plan, projectBlock(plan, sym));
    back.forEach((v, k) => expect(v).toBeCloseTo(sym[k], 12));
    const anyX = Float64Array.from({ length: plan.nCoefficients }, () => rng.normal());
    const blk = assembleBlock(plan, anyX);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(blk[i * n + j]).toBeCloseTo(blk[j * n + i], 13);
  });

  it('assembly matrix equals assembleBlock', () => {
    const plan = blockPlan(DEF2SVP_H, DEF2SVP_O, false);
    const G = assemblyMatrix(plan);
    const rng = new Rng(3);
    const x = Float64Array.from({ length: plan.nCoefficients }, () => rng.normal());
    const viaG = matmul(G, x, plan.rows * plan.cols, plan.nCoefficients, 1);
    const direct = assembleBlock(plan, x);
    viaG.forEach((v, k) => expect(v).toBeCloseTo(direct[k], 13));
  });

  it('is equivariant: rotating coefficients by D_L rotates the block by D_a · D_bᵀ', () => {
    const rng = new Rng(4);
    const R = randomRotation(rng);
    const plan = blockPlan(DEF2SVP_O, DEF2SVP_H, false);
    const x = Float64Array.from({ length: plan.nCoefficients }, () => rng.normal());
    const xr = new Float64Array(x.length);
    let k = 0;
    for (const g of plan.groups) {
      const D = blockDiagonalD([g.L], R);
      const nL = 2 * g.L + 1;
      const part = matmul(D, x.subarray(k, k + nL), nL, nL, 1);
      xr.set(part, k);
      k += nL;
    }
    const Dr = blockDiagonalD(DEF2SVP_O, R);
    const Dc = blockDiagonalD(DEF2SVP_H, R);
    const expected = matmul(matmul(Dr, assembleBlock(plan, x), 14, 14, 5), transpose(Dc, 5, 5), 14, 5, 5);
    assembleBlock(plan, xr).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });
});
