/** What the 3D viewer draws beside the atoms: XYZ text for 3Dmol.js, the 12 edges of the unit cell, atom labels. */
import type { StructureSummary, Vec3 } from '../../core/contracts/api.ts';

export function xyzText(symbols: readonly string[], positions: readonly Vec3[]): string {
  return `${symbols.length}\n\n${symbols.map((s, a) => `${s} ${positions[a].join(' ')}`).join('\n')}\n`;
}

/** Cell edges as point pairs (Å): from each corner along each lattice vector whose coefficient there is 0. */
export function cellEdges(cell: readonly [Vec3, Vec3, Vec3]): [Vec3, Vec3][] {
  const point = (f: readonly number[]): Vec3 => [0, 1, 2].map((k) => f[0] * cell[0][k] + f[1] * cell[1][k] + f[2] * cell[2][k]) as Vec3;
  const edges: [Vec3, Vec3][] = [];
  for (let corner = 0; corner < 8; corner++) {
    const f = [corner & 1, (corner >> 1) & 1, (corner >> 2) & 1];
    for (let axis = 0; axis < 3; axis++) {
      if (f[axis] === 0) edges.push([point(f), point(f.map((x, k) => (k === axis ? 1 : x)))]);
    }
  }
  return edges;
}

/** "O1 · 14": element and 1-based index, and the atom's orbital count in the basis of the summary (when known). */
export function atomLabels(s: Pick<StructureSummary, 'symbols' | 'positions' | 'orbitals'>): { text: string; position: Vec3 }[] {
  const perAtom = s.orbitals.count === null ? undefined : s.orbitals.perAtom;
  return s.symbols.map((sym, a) => ({ text: perAtom ? `${sym}${a + 1} · ${perAtom[a]}` : `${sym}${a + 1}`, position: s.positions[a] }));
}
