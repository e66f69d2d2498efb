/**
 * One-dimensional overlap integrals of Cartesian Gaussians by the Obara–Saika recurrence (Helgaker, Jørgensen,
 * Olsen, "Molecular Electronic-Structure Theory", eqs. (9.3.8)–(9.3.9)):
 *   S_(i+1)j = X_PA S_ij + (i S_(i−1)j + j S_i(j−1)) / 2p,
 *   S_i(j+1) = X_PB S_ij + (i S_(i−1)j + j S_i(j−1)) / 2p,
 * for S_ij = ∫ (x−A)^i (x−B)^j e^(−a(x−A)² − b(x−B)²) dx, p = a + b, P = (aA + bB)/p. The table starts from
 * S_00 = 1: the Gaussian-product factor √(π/p) e^(−μ X_AB²) is common to every entry, so callers multiply it in
 * once per primitive pair (for all three axes at a time).
 */

/**
 * Fill out[i·(lb+1) + j] = S_ij / S_00 for i ≤ la, j ≤ lb. `xpa` = P − A, `xpb` = P − B, `inv2p` = 1/(2p).
 */
export function overlapTable1d(
  la: number, lb: number, xpa: number, xpb: number, inv2p: number, out: Float64Array,
): void {
  const w = lb + 1;
  out[0] = 1;
  // Column j = 0: the a-recurrence alone.
  for (let i = 0; i < la; i++) {
    out[(i + 1) * w] = xpa * out[i * w] + (i > 0 ? i * inv2p * out[(i - 1) * w] : 0);
  }
  // Raise j on every row with the b-recurrence.
  for (let j = 0; j < lb; j++) {
    for (let i = 0; i <= la; i++) {
      let v = xpb * out[i * w + j];
      if (i > 0) v += i * inv2p * out[(i - 1) * w + j];
      if (j > 0) v += j * inv2p * out[i * w + j - 1];
      out[i * w + j + 1] = v;
    }
  }
}
