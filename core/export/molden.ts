/**
 * `molden` export (formats §4.5; format: https://www.theochem.ru.nl/molden/molden_format.html): the molecular
 * orbitals of the predicted H as orbitals.molden — [Atoms] in Å, [GTO] with the basis' contractions, [5D] (plus
 * [7F], [9G] when f, g shells occur: pure functions), [MO] with Sym, Ene (Hartree), Spin, Occup and the coefficients
 * in Molden's order ('molden' convention: p x, y, z; l ≥ 2 m = 0, +1, −1, +2, −2, …, no sign changes).
 *
 * Normalisation: the [GTO] coefficients multiply normalised primitives — what Molden, PySCF's molden.load (through
 * gto.M) and IOData assume — and are scaled so that each contracted function has norm 1. Readers that renormalise
 * contractions (Molden, PySCF) then change nothing, and readers that do not (IOData's first check) see the same
 * functions; def2-SVP's file coefficients alone give norms² as low as 0.35 (the H 1s contraction). MO coefficients
 * refer to these normalised functions, so Cᵀ S C = 1.
 */
import { convertCoefficients, type OrbitalConvention } from '../basis/conventions.ts';
import type { GaussianShell } from '../basis/gaussian-basis.ts';
import { elementShells } from '../basis/library.ts';
import { HamError } from '../contracts/errors.ts';
import { prepareShell } from '../integrals/prepared-shell.ts';
import { softwareVersion } from '../runtime/version.ts';
import { elementSymbol } from '../structure/elements.ts';
import { ExportFiles, type ExportFormat } from './format.ts';
import { moleculeOrbitals } from './molecule.ts';
import type { ExportSource } from './source.ts';

const ORDER: OrbitalConvention = 'molden';
const SHELL_LETTERS = ['s', 'p', 'd', 'f', 'g'];
/** The pure-function flag of each l ≥ 2 that occurs (Molden's default is Cartesian). */
const PURE_FLAGS: Record<number, string> = { 2: '[5D]', 3: '[7F]', 4: '[9G]' };

/** Fortran-style E format with a two-digit exponent, e.g. 1.234500000000000E+02, which every reader parses. */
function fmtE(x: number, digits = 15): string {
  const [mantissa, exp] = x.toExponential(digits).toUpperCase().split('E');
  const e = Number(exp);
  return `${mantissa}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/**
 * Coefficients of normalised primitives that make the contraction normalised: prepareShell's weights w_k multiply
 * unnormalised primitives and include both normalisations, so dividing by the weight of the lone normalised
 * primitive with the same exponent leaves d_k times the contraction's normalisation factor.
 */
function normalizedContraction(shell: GaussianShell): number[] {
  const { weights } = prepareShell(shell);
  return shell.exponents.map((a, k) => weights[k] / prepareShell({ l: shell.l, exponents: [a], coefficients: [1] }).weights[0]);
}

function gtoSection(source: ExportSource, shellsOf: (z: number) => GaussianShell[]): string[] {
  const lines = ['[GTO]'];
  source.sample.structure.numbers.forEach((z, a) => {
    lines.push(`${String(a + 1).padStart(5)} 0`);
    for (const shell of shellsOf(z)) {
      const letter = SHELL_LETTERS[shell.l];
      if (!letter) throw new HamError('E_UNSUPPORTED_ELEMENT', `Molden files hold s to g functions; ${elementSymbol(z)} has l = ${shell.l}`);
      const coefs = normalizedContraction(shell);
      lines.push(` ${letter} ${String(shell.exponents.length).padStart(4)} 1.00`);
      shell.exponents.forEach((e, k) => lines.push(`  ${fmtE(e)}  ${fmtE(coefs[k])}`));
    }
    lines.push('');
  });
  return lines;
}

async function write(source: ExportSource, dir: string): Promise<string[]> {
  const mo = moleculeOrbitals(source);
  const { n, shellLs, nOcc, eig } = mo;
  const { structure } = source.sample;
  const C = convertCoefficients(eig.vectors, shellLs, eig.m, 'wiki', ORDER);
  const maxL = Math.max(...shellLs);
  const lines = [
    '[Molden Format]',
    '[Title]',
    ` Hamiltonian Studio ${softwareVersion()}: molecular orbitals of H C = S C E for the ${source.predicted ? 'predicted' : 'given'} Kohn-Sham H, ${mo.basis.name}; energies in hartree`,
    ' Pure functions in the Molden order: p x, y, z; d, f, g m = 0, +1, -1, +2, -2, ...; no ORCA sign flip of the |m| >= 3 functions is applied',
    ' Contraction coefficients multiply normalised primitives and give normalised contracted functions; closed shell, doubly occupied',
    '[Atoms] Angs',
    ...structure.numbers.map((z, a) => `${elementSymbol(z).padEnd(2)} ${String(a + 1).padStart(5)} ${String(z).padStart(3)} ${structure.positions[a].map((x) => fmtE(x).padStart(23)).join(' ')}`),
    ...gtoSection(source, (z) => elementShells(mo.basis, z)),
    ...[2, 3, 4].filter((l) => l <= maxL).map((l) => PURE_FLAGS[l]),
    '[MO]',
  ];
  for (let k = 0; k < eig.m; k++) {
    lines.push(' Sym= A', ` Ene= ${fmtE(eig.values[k])}`, ' Spin= Alpha', ` Occup= ${k < nOcc ? '2.000000' : '0.000000'}`);
    for (let a = 0; a < n; a++) lines.push(`${String(a + 1).padStart(5)} ${fmtE(C[a * eig.m + k]).padStart(23)}`);
  }
  const files = new ExportFiles(dir);
  files.text('orbitals.molden', `${lines.join('\n')}\n`);
  return files.names;
}

export const moldenFormat: ExportFormat = {
  name: 'molden',
  summary: 'Molden file of the molecular orbitals (Molden, Jmol, Multiwfn, PySCF molden.load)',
  kinds: ['molecule'],
  order: { fixed: ORDER },
  write,
};
