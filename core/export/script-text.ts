/** Text pieces shared by the exported Python scripts (pyscf, psi4): numbers, formulas, geometry lines. */
import { elementSymbol } from '../structure/elements.ts';
import type { Structure } from '../structure/structure.ts';

/**
 * A float as Python (and psi4's geometry parser) reads it back to the same double: JavaScript's shortest
 * round-trip form, in positional notation (psi4 1.3's geometry regex wants no exponent).
 */
function pyFloat(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  const s = String(x);
  return s.includes('e') ? x.toFixed(20) : s;
}

/** Hill formula (C, H, then the rest alphabetically), e.g. C2H6O. */
export function hillFormula(numbers: readonly number[]): string {
  const counts = new Map<string, number>();
  for (const z of numbers) counts.set(elementSymbol(z), (counts.get(elementSymbol(z)) ?? 0) + 1);
  const symbols = [...counts.keys()].sort();
  const order = counts.has('C') ? ['C', ...(counts.has('H') ? ['H'] : []), ...symbols.filter((s) => s !== 'C' && s !== 'H')] : symbols;
  return order.map((s) => `${s}${counts.get(s) === 1 ? '' : counts.get(s)}`).join('');
}

/** One "Symbol x y z" line per atom, Å. */
export function atomLines(structure: Structure): string[] {
  return structure.numbers.map((z, a) => `${elementSymbol(z)} ${structure.positions[a].map(pyFloat).join(' ')}`);
}
