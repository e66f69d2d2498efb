/**
 * A small reader of the Molden sections our export writes ([Atoms], [GTO], pure-function flags, [MO]), used to read
 * an exported file back: the basis it declares and the orbitals it holds, as the file says, nothing inferred.
 */
import type { GaussianShell } from '../../../core/basis/gaussian-basis.ts';
import { BOHR_IN_ANGSTROM } from '../../../core/contracts/units.ts';

export interface MoldenFile {
  title: string[];
  numbers: number[];
  /** Å. */
  positions: [number, number, number][];
  /** Shells of each atom, coefficients as written. */
  shells: GaussianShell[][];
  flags: string[];
  mos: { energy: number; spin: string; occupation: number; coefficients: number[] }[];
}

const L_OF: Record<string, number> = { s: 0, p: 1, d: 2, f: 3, g: 4 };

export function readMolden(text: string): MoldenFile {
  const out: MoldenFile = { title: [], numbers: [], positions: [], shells: [], flags: [], mos: [] };
  let section = '';
  let unit = 1;
  let atom = -1;
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const t = line.trim();
    const header = /^\[([^\]]+)\]\s*(.*)$/.exec(t);
    if (header) {
      section = header[1].toUpperCase();
      if (section === 'ATOMS') unit = /AU/i.test(header[2]) ? BOHR_IN_ANGSTROM : 1;
      if (/^(5D|7F|9G|5D7F|5D10F|6D|10F|15G)$/.test(section)) out.flags.push(section);
      continue;
    }
    if (section === 'TITLE') out.title.push(t);
    else if (section === 'ATOMS' && t) {
      const [, , z, x, y, zc] = t.split(/\s+/);
      out.numbers.push(Number(z));
      out.positions.push([x, y, zc].map((v) => Number(v) * unit) as [number, number, number]);
    } else if (section === 'GTO' && t) {
      const tok = t.split(/\s+/);
      if (/^\d+$/.test(tok[0]) && tok[1] === '0') {
        atom = Number(tok[0]) - 1;
        out.shells[atom] = [];
      } else {
        const nprim = Number(tok[1]);
        const exps: number[] = [];
        const coefs: number[] = [];
        for (let p = 0; p < nprim; p++) {
          const [e, c] = lines[++k].trim().split(/\s+/).map((v) => Number(v.replace(/[dD]/, 'e')));
          exps.push(e);
          coefs.push(c * Number(tok[2]));
        }
        out.shells[atom].push({ l: L_OF[tok[0].toLowerCase()], exponents: exps, coefficients: coefs });
      }
    } else if (section === 'MO' && t) {
      const kv = /^(\w+)\s*=\s*(.*)$/.exec(t);
      if (kv && kv[1].toLowerCase() === 'sym') out.mos.push({ energy: NaN, spin: '', occupation: NaN, coefficients: [] });
      const mo = out.mos[out.mos.length - 1];
      if (kv?.[1].toLowerCase() === 'ene') mo.energy = Number(kv[2]);
      else if (kv?.[1].toLowerCase() === 'spin') mo.spin = kv[2];
      else if (kv?.[1].toLowerCase() === 'occup') mo.occupation = Number(kv[2]);
      else if (!kv) {
        const [index, c] = t.split(/\s+/);
        mo.coefficients[Number(index) - 1] = Number(c);
      }
    }
  }
  return out;
}
