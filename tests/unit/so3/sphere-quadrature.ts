/**
 * Product quadrature on the unit sphere for the so3 tests: Gauss–Legendre in cos θ times the uniform rule in φ.
 * With n = ⌈(d + 1)/2⌉ Legendre nodes (exact to degree 2n − 1 in cos θ) and d + 1 equally spaced φ (exact for
 * e^{ikφ}, |k| ≤ d), it integrates every polynomial in (x, y, z) of total degree ≤ d exactly.
 */

export interface SphereQuadrature {
  /** Row-major n×3 unit vectors. */
  points: Float64Array;
  /** n weights summing to 4π. */
  weights: Float64Array;
}

export function sphereQuadrature(degree: number): SphereQuadrature {
  const { nodes, weights: wt } = gaussLegendre(Math.ceil((degree + 1) / 2));
  const nPhi = degree + 1;
  const points: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const sinTheta = Math.sqrt(1 - nodes[i] * nodes[i]);
    for (let k = 0; k < nPhi; k++) {
      const phi = (2 * Math.PI * k) / nPhi;
      points.push(sinTheta * Math.cos(phi), sinTheta * Math.sin(phi), nodes[i]);
      weights.push((wt[i] * 2 * Math.PI) / nPhi);
    }
  }
  return { points: Float64Array.from(points), weights: Float64Array.from(weights) };
}

/** Gauss–Legendre nodes and weights on [−1, 1] by Newton's method on P_n (three-term recurrence). */
function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * derivative * derivative));
  }
  return { nodes, weights };
}
