/**
 * Radial basis of an edge length: Bessel functions √(2/r_c) sin(nπ d/r_c)/d, n = 1…N, times the smooth polynomial
 * envelope of DimeNet (Gasteiger et al., ICLR 2020, eq. 8) with p = 6, which goes to zero with two continuous
 * derivatives at the cutoff. Computed in float64 on the CPU per batch: the geometry needs no gradient.
 */
export function envelope(x: number, p = 6): number {
  if (x >= 1) return 0;
  const xp = x ** p;
  return 1 - ((p + 1) * (p + 2) / 2) * xp + p * (p + 2) * xp * x - (p * (p + 1) / 2) * xp * x * x;
}

/** rbf[e, n] for distances d (Å) into out (length d.length · nBasis). */
export function besselBasis(d: ArrayLike<number>, cutoff: number, nBasis: number, out = new Float32Array(d.length * nBasis)): Float32Array {
  const pref = Math.sqrt(2 / cutoff);
  for (let e = 0; e < d.length; e++) {
    const r = d[e];
    const u = envelope(r / cutoff);
    for (let n = 1; n <= nBasis; n++) out[e * nBasis + n - 1] = (pref * Math.sin((n * Math.PI * r) / cutoff) / r) * u;
  }
  return out;
}
