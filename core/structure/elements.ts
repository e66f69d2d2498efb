/** Element symbols by atomic number (1–118), the one table every reader and writer uses. */
export const ELEMENT_SYMBOLS = [
  'X',
  'H', 'He', 'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne', 'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar', 'K', 'Ca',
  'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr', 'Rb', 'Sr', 'Y',
  'Zr', 'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn', 'Sb', 'Te', 'I', 'Xe', 'Cs', 'Ba', 'La', 'Ce',
  'Pr', 'Nd', 'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu', 'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir',
  'Pt', 'Au', 'Hg', 'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Ac', 'Th', 'Pa', 'U', 'Np', 'Pu', 'Am', 'Cm',
  'Bk', 'Cf', 'Es', 'Fm', 'Md', 'No', 'Lr', 'Rf', 'Db', 'Sg', 'Bh', 'Hs', 'Mt', 'Ds', 'Rg', 'Cn', 'Nh', 'Fl', 'Mc',
  'Lv', 'Ts', 'Og',
] as const;

const BY_SYMBOL = new Map<string, number>(ELEMENT_SYMBOLS.map((s, z) => [s.toLowerCase(), z]));

/** Atomic number for a symbol (case-insensitive), or undefined. Index 0 ('X') is not an element. */
export function atomicNumber(symbol: string): number | undefined {
  const z = BY_SYMBOL.get(symbol.trim().toLowerCase());
  return z && z > 0 ? z : undefined;
}

export function elementSymbol(z: number): string {
  if (!Number.isInteger(z) || z < 1 || z >= ELEMENT_SYMBOLS.length) throw new RangeError(`no element with Z=${z}`);
  return ELEMENT_SYMBOLS[z];
}
