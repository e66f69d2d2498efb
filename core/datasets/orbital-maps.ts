/**
 * Per-atom orbital maps for converting a crystal's blocks from a file's orbital order to wiki (formats §4.1):
 * wiki[a, b] = s_a s_b code[P(a), P(b)], with P and s from core/basis/conventions.ts, computed once per distinct
 * shell list instead of once per block.
 */
import { orbitalMap, type OrbitalConvention, type OrbitalMap } from '../basis/conventions.ts';

export function atomOrbitalMaps(atomShells: readonly (readonly number[])[], order: OrbitalConvention): OrbitalMap[] {
  const cache = new Map<string, OrbitalMap>();
  return atomShells.map((ls) => {
    const key = ls.join(',');
    let m = cache.get(key);
    if (!m) cache.set(key, (m = orbitalMap(ls, order)));
    return m;
  });
}

/** One row-major block (rows on the `rows` atom, `cols.index.length` columns) in wiki order; a new array. */
export function blockToWiki(block: ArrayLike<number>, rows: OrbitalMap, cols: OrbitalMap): Float64Array {
  const nr = rows.index.length;
  const nc = cols.index.length;
  const out = new Float64Array(nr * nc);
  for (let a = 0; a < nr; a++) {
    const src = rows.index[a] * nc;
    for (let b = 0; b < nc; b++) out[a * nc + b] = rows.sign[a] * cols.sign[b] * block[src + cols.index[b]];
  }
  return out;
}
