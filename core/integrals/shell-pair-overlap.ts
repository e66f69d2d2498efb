/**
 * Overlap block ⟨φ_a,m|φ_b,m'⟩ between two contracted spherical shells (prepared-shell.ts), rows m = −la…la,
 * columns m' = −lb…lb ("wiki" order), row-major. Centres in bohr; for crystals pass B + R for ⟨φ_a(0)|φ_b(R)⟩.
 *
 * Per primitive pair (Helgaker, Jørgensen, Olsen, "Molecular Electronic-Structure Theory", ch. 9): the Gaussian
 * product rule gives p = α + β, μ = αβ/p, P = (αA + βB)/p and the factor (π/p)^(3/2) e^(−μ R_AB²); the
 * Cartesian overlap factorises into x, y, z tables from the Obara–Saika recurrence (obara-saika.ts, eqs.
 * (9.3.8)–(9.3.9)). Primitive pairs are contracted in the Cartesian basis first, then the coefficients of the
 * solid harmonics r^l Y_lm (solid-harmonics.ts) turn the ncart_a × ncart_b block into the (2la+1) × (2lb+1)
 * spherical block.
 */
import { overlapTable1d } from './obara-saika.ts';
import type { PreparedShell } from './prepared-shell.ts';
import { numCartesian } from './solid-harmonics.ts';

/**
 * A primitive pair is skipped when μ R_AB² exceeds this. Its contribution to an entry between normalised
 * functions is at most about |d_k d_k'| (μR²)^((la+lb)/2) e^(−μR²), which at 50 is ≤ 1e-15 up to g–g pairs.
 */
export const OVERLAP_SCREEN_EXPONENT = 50;

/**
 * Is every primitive pair screened out, for centres R² bohr² apart? μ grows with both exponents, so the two most
 * diffuse primitives (smallest exponents) decide.
 */
export function isScreenedOut(minExponentA: number, minExponentB: number, r2: number): boolean {
  return ((minExponentA * minExponentB) / (minExponentA + minExponentB)) * r2 > OVERLAP_SCREEN_EXPONENT;
}

// Scratch space reused across calls (single-threaded; grown on demand, never shrunk).
let cartBlock = new Float64Array(0);
let halfBlock = new Float64Array(0);
let tx = new Float64Array(0);
let ty = new Float64Array(0);
let tz = new Float64Array(0);

function ensureScratch(la: number, lb: number): void {
  const nCart = numCartesian(la) * numCartesian(lb);
  if (cartBlock.length < nCart) cartBlock = new Float64Array(nCart);
  const nHalf = (2 * la + 1) * numCartesian(lb);
  if (halfBlock.length < nHalf) halfBlock = new Float64Array(nHalf);
  const n1d = (la + 1) * (lb + 1);
  if (tx.length < n1d) {
    tx = new Float64Array(n1d);
    ty = new Float64Array(n1d);
    tz = new Float64Array(n1d);
  }
}

/** s–s pairs, the commonest kind, need neither recurrence nor transform: Y_00² Σ w w (π/p)^(3/2) e^(−μR²). */
function ssOverlap(a: PreparedShell, b: PreparedShell, r2: number): number {
  let s = 0;
  for (let i = 0; i < a.exponents.length; i++) {
    const alpha = a.exponents[i];
    for (let j = 0; j < b.exponents.length; j++) {
      const beta = b.exponents[j];
      const p = alpha + beta;
      const mu = (alpha * beta) / p;
      if (mu * r2 > OVERLAP_SCREEN_EXPONENT) continue;
      const piOverP = Math.PI / p;
      s += a.weights[i] * b.weights[j] * piOverP * Math.sqrt(piOverP) * Math.exp(-mu * r2);
    }
  }
  return s * a.harmonics.coefs[0] * b.harmonics.coefs[0];
}

/**
 * Write the (2la+1)·(2lb+1) block into `out` (allocated when omitted) and return it. All zeros when screened out.
 */
export function shellPairOverlap(
  a: PreparedShell, centreA: ArrayLike<number>, b: PreparedShell, centreB: ArrayLike<number>, out?: Float64Array,
): Float64Array {
  const la = a.l;
  const lb = b.l;
  const nsa = 2 * la + 1;
  const nsb = 2 * lb + 1;
  const block = out ?? new Float64Array(nsa * nsb);
  const xab = centreA[0] - centreB[0];
  const yab = centreA[1] - centreB[1];
  const zab = centreA[2] - centreB[2];
  const r2 = xab * xab + yab * yab + zab * zab;
  block.fill(0, 0, nsa * nsb);
  if (isScreenedOut(a.minExponent, b.minExponent, r2)) return block;

  if (la === 0 && lb === 0) {
    block[0] = ssOverlap(a, b, r2);
    return block;
  }
  ensureScratch(la, lb);
  const pa = a.powers;
  const pb = b.powers;
  const nca = pa.length / 3;
  const ncb = pb.length / 3;
  const w1 = lb + 1;
  const acc = cartBlock;
  acc.fill(0, 0, nca * ncb);

  for (let i = 0; i < a.exponents.length; i++) {
    const alpha = a.exponents[i];
    for (let j = 0; j < b.exponents.length; j++) {
      const beta = b.exponents[j];
      const p = alpha + beta;
      const mu = (alpha * beta) / p;
      if (mu * r2 > OVERLAP_SCREEN_EXPONENT) continue;
      const piOverP = Math.PI / p;
      const weight = a.weights[i] * b.weights[j] * piOverP * Math.sqrt(piOverP) * Math.exp(-mu * r2);
      // P − A = −(β/p) X_AB and P − B = (α/p) X_AB.
      const fa = -beta / p;
      const fb = alpha / p;
      const inv2p = 0.5 / p;
      overlapTable1d(la, lb, fa * xab, fb * xab, inv2p, tx);
      overlapTable1d(la, lb, fa * yab, fb * yab, inv2p, ty);
      overlapTable1d(la, lb, fa * zab, fb * zab, inv2p, tz);
      for (let u = 0; u < nca; u++) {
        const ax = pa[3 * u] * w1;
        const ay = pa[3 * u + 1] * w1;
        const az = pa[3 * u + 2] * w1;
        const row = u * ncb;
        for (let v = 0; v < ncb; v++) {
          acc[row + v] += weight * tx[ax + pb[3 * v]] * ty[ay + pb[3 * v + 1]] * tz[az + pb[3 * v + 2]];
        }
      }
    }
  }

  // Cartesian → spherical: block = T_a · acc · T_bᵀ, first over the rows, then over the columns.
  const ta = a.harmonics;
  const tb = b.harmonics;
  const half = halfBlock;
  half.fill(0, 0, nsa * ncb);
  for (let m = 0; m < nsa; m++) {
    for (let k = ta.offsets[m]; k < ta.offsets[m + 1]; k++) {
      const c = ta.coefs[k];
      const src = ta.carts[k] * ncb;
      for (let v = 0; v < ncb; v++) half[m * ncb + v] += c * acc[src + v];
    }
  }
  for (let m = 0; m < nsa; m++) {
    for (let n = 0; n < nsb; n++) {
      let s = 0;
      for (let k = tb.offsets[n]; k < tb.offsets[n + 1]; k++) s += tb.coefs[k] * half[m * ncb + tb.carts[k]];
      block[m * nsb + n] = s;
    }
  }
  return block;
}
