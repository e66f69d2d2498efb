/**
 * Reader for Gaussian94-format basis files (`.gbs`, as distributed with psi4 and the Basis Set Exchange).
 * Blocks are separated by `****`; a block starts with `Sym 0` and lists shells `L nprim scale` followed by
 * `exponent coefficient` lines (Fortran `D` exponents allowed). `SP` shells are split into an s and a p shell.
 * ECP sections (`SYM-ECP n ncore`) only mark the element as needing an ECP.
 */
import { HamError } from '../contracts/errors.ts';
import { atomicNumber } from '../structure/elements.ts';
import type { GaussianBasisSet, GaussianShell } from './gaussian-basis.ts';

const ECP_HEADER = /^([A-Za-z]{1,2})-ECP\s/i;
const L_OF: Record<string, number> = { S: 0, P: 1, D: 2, F: 3, G: 4, H: 5, I: 6 };

function num(tok: string, file: string, line: number): number {
  const v = Number(tok.replace(/[dD]/, 'e'));
  if (!Number.isFinite(v)) throw new HamError('E_FORMAT', `'${tok}' is not a number`, { file, line });
  return v;
}

export function parseGbs(text: string, name: string, file: string): GaussianBasisSet {
  const lines = text.split(/\r?\n/);
  const elements = new Map<number, GaussianShell[]>();
  const ecpElements = new Set<number>();
  // The ECP part (after the basis blocks) starts at the `Sym 0` line before the first `SYM-ECP n ncore` header;
  // only which elements it covers matters here.
  const firstEcp = lines.findIndex((l) => ECP_HEADER.test(l.trim()));
  const basisEnd = firstEcp < 0 ? lines.length : firstEcp - 1;
  for (let k = Math.max(basisEnd, 0); k < lines.length; k++) {
    const m = ECP_HEADER.exec(lines[k].trim());
    if (!m) continue;
    const z = atomicNumber(m[1]);
    if (z === undefined) throw new HamError('E_FORMAT', `unknown element '${m[1]}' in ECP header`, { file, line: k + 1 });
    ecpElements.add(z);
  }
  let current: GaussianShell[] | null = null;
  let i = 0;
  while (i < basisEnd) {
    const lineNo = i + 1;
    const t = lines[i].replace(/!.*$/, '').trim();
    i++;
    if (t === '' || /^(spherical|cartesian)$/i.test(t)) continue;
    if (t === '****') { current = null; continue; }
    const tok = t.split(/\s+/);
    if (current === null) {
      const z = atomicNumber(tok[0]);
      if (z === undefined || tok.length !== 2 || tok[1] !== '0') {
        throw new HamError('E_FORMAT', `expected an element header like 'C 0', found '${t}'`, { file, line: lineNo });
      }
      if (elements.has(z)) throw new HamError('E_FORMAT', `element ${tok[0]} is defined twice`, { file, line: lineNo });
      current = [];
      elements.set(z, current);
      continue;
    }
    const kind = tok[0].toUpperCase();
    const nprim = Number(tok[1]);
    if ((!(kind in L_OF) && kind !== 'SP') || !Number.isInteger(nprim) || nprim < 1) {
      throw new HamError('E_FORMAT', `expected a shell header like 'S 3 1.00', found '${t}'`, { file, line: lineNo });
    }
    const scale = tok[2] !== undefined ? num(tok[2], file, lineNo) : 1;
    const exps: number[] = [];
    const coefs: number[][] = kind === 'SP' ? [[], []] : [[]];
    for (let p = 0; p < nprim; p++, i++) {
      if (i >= basisEnd) throw new HamError('E_FORMAT', `shell ends early: ${nprim} primitives announced`, { file, line: lineNo });
      const pt = lines[i].trim().split(/\s+/);
      if (pt.length < 1 + coefs.length) {
        throw new HamError('E_FORMAT', `expected exponent and ${coefs.length} coefficient(s)`, { file, line: i + 1 });
      }
      exps.push(num(pt[0], file, i + 1) * scale * scale);
      coefs.forEach((c, k) => c.push(num(pt[1 + k], file, i + 1)));
    }
    if (kind === 'SP') {
      current.push({ l: 0, exponents: exps, coefficients: coefs[0] });
      current.push({ l: 1, exponents: [...exps], coefficients: coefs[1] });
    } else {
      current.push({ l: L_OF[kind], exponents: exps, coefficients: coefs[0] });
    }
  }
  return { name, elements, ecpElements };
}
