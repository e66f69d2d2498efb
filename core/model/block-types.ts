/**
 * The block types a model predicts: one on-site type per element and one off-site type per unordered element pair
 * (Z_a ≤ Z_b; the (Z_b, Z_a) blocks are transposes). Each type has a Wigner–Eckart plan and the order in which the
 * network emits its coefficients: L-major (for L: for slot: for M), so each irrep-L output of a linear map is one
 * contiguous run.
 */
import { blockPlan, groupOffsets, type BlockPlan } from './block-plan.ts';

export interface BlockType {
  key: string;
  onsite: boolean;
  zRow: number;
  zCol: number;
  plan: BlockPlan;
  /** netIndex[k] = position in the network's L-major order of coefficient k in plan order. */
  netIndex: Int32Array;
  /** Start of each L's run in the network order (length lmax+2). */
  lOffsets: number[];
}

export const onsiteKey = (z: number) => `on:${z}`;
export const offsiteKey = (za: number, zb: number) => `off:${Math.min(za, zb)}-${Math.max(za, zb)}`;

function makeType(key: string, onsite: boolean, zRow: number, zCol: number, rowShells: number[], colShells: number[]): BlockType {
  const plan = blockPlan(rowShells, colShells, onsite);
  const lOffsets = [0];
  plan.slotsPerL.forEach((n, L) => lOffsets.push(lOffsets[L] + n * (2 * L + 1)));
  const netIndex = new Int32Array(plan.nCoefficients);
  const offs = groupOffsets(plan);
  plan.groups.forEach((g, k) => {
    for (let M = 0; M <= 2 * g.L; M++) netIndex[offs[k] + M] = lOffsets[g.L] + g.slot * (2 * g.L + 1) + M;
  });
  return { key, onsite, zRow, zCol, plan, netIndex, lOffsets };
}

/** Every block type of a model covering `elements` with `shells` (l per shell, by atomic number). */
export function blockTypes(elements: readonly number[], shells: Record<string, readonly number[]>): Map<string, BlockType> {
  const types = new Map<string, BlockType>();
  const sorted = [...elements].sort((a, b) => a - b);
  for (const z of sorted) types.set(onsiteKey(z), makeType(onsiteKey(z), true, z, z, [...shells[z]], [...shells[z]]));
  sorted.forEach((za, a) => {
    for (const zb of sorted.slice(a)) types.set(offsiteKey(za, zb), makeType(offsiteKey(za, zb), false, za, zb, [...shells[za]], [...shells[zb]]));
  });
  return types;
}
