/** SO(3) mathematics in float64 (no TensorFlow.js): harmonics, Wigner D, Clebsch–Gordan, irreps (DESIGN.md §3, §5). */
export { SH_LMAX, sphericalHarmonics, sphericalHarmonicsBatch, sphericalHarmonicsUpTo } from './spherical-harmonics.ts';
export { SH_TERMS, type MonomialTerm } from './spherical-harmonics.generated.ts';
export { blockDiagonalD, wignerD, wignerDUpTo } from './wigner.ts';
export { assertRotation, randomRotation, rotationFromAxisAngle } from './rotation.ts';
export { CG_LMAX, clebschGordan, type ClebschGordan } from './clebsch-gordan.ts';
export { Irreps, type IrrepsSlice, type MulIrrep, type Parity } from './irreps.ts';
