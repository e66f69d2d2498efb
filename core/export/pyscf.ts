/**
 * `pyscf` export (formats §4.3): H.npy, S.npy and dm0.npy in PySCF's AO order for cart=False ('pyscf' convention:
 * p = x, y, z; l ≥ 2 m = −l…l), H in Hartree, dm0 the closed-shell density 2 C_occ C_occᵀ of the predicted H; and
 * run_pyscf.py, which rebuilds the molecule, proves the order by comparing PySCF's own overlap with S.npy, and runs
 * RKS/PBE from dm0, printing the iteration count. (PySCF is not installed on the development machine: the script
 * is checked by parsing, its arrays by NumPy.)
 */
import { convertMatrix, type OrbitalConvention } from '../basis/conventions.ts';
import { closedShellDensity } from '../physics/density.ts';
import { ExportFiles, type ExportFormat } from './format.ts';
import { exportMeta } from './meta.ts';
import { moleculeOrbitals } from './molecule.ts';
import { atomLines, hillFormula } from './script-text.ts';
import type { ExportSource } from './source.ts';

const ORDER: OrbitalConvention = 'pyscf';

function script(source: ExportSource, basis: string): string {
  const { structure } = source.sample;
  return `#!/usr/bin/env python3
"""PySCF RKS/PBE run of ${hillFormula(structure.numbers)} (${basis}) started from a Hamiltonian Studio ${source.predicted ? 'prediction' : 'Hamiltonian'}.

Files beside this script, float64 n x n in PySCF's AO order for cart=False (atoms and shells in input order;
p functions x, y, z; l >= 2 functions m = -l..l), described in meta.json:
  H.npy    Kohn-Sham Hamiltonian, hartree
  S.npy    overlap matrix
  dm0.npy  closed-shell density 2 C_occ C_occ^T of H C = S C E, the SCF's starting density
Run:  python3 run_pyscf.py                  SCF from dm0
      python3 run_pyscf.py --default-guess  the same SCF from PySCF's default guess, for comparison
"""
import argparse
import os
import sys

import numpy as np
from pyscf import dft, gto

HERE = os.path.dirname(os.path.abspath(__file__))
ATOM = """
${atomLines(structure).join('\n')}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\\n')[0])
    parser.add_argument('--default-guess', action='store_true', help="start from PySCF's default guess instead of dm0")
    args = parser.parse_args()
    mol = gto.M(atom=ATOM, basis='${basis.toLowerCase()}', unit='Angstrom', charge=0, spin=0, cart=False)
    # The same basis functions in the same order give the same overlap; a wrong order is off by ~0.1 or more.
    err = np.abs(mol.intor('int1e_ovlp') - np.load(os.path.join(HERE, 'S.npy'))).max()
    if err > 1e-6:
        sys.exit('PySCF overlap differs from S.npy by %.2e: basis or orbital order mismatch, SCF not started' % err)
    cycles = []
    mf = dft.RKS(mol, xc='pbe')
    mf.callback = lambda envs: cycles.append(envs['cycle'])
    dm0 = None if args.default_guess else np.load(os.path.join(HERE, 'dm0.npy'))
    energy = mf.kernel(dm0=dm0)
    print('guess       %s' % ('default' if args.default_guess else 'dm0.npy'))
    print('iterations  %d' % getattr(mf, 'cycles', len(cycles)))
    print('energy      %.10f hartree (converged: %s)' % (energy, mf.converged))


if __name__ == '__main__':
    main()
`;
}

async function write(source: ExportSource, dir: string): Promise<string[]> {
  const mo = moleculeOrbitals(source);
  const { n, shellLs } = mo;
  const files = new ExportFiles(dir);
  files.npy('H.npy', [n, n], convertMatrix(mo.H, shellLs, 'wiki', ORDER));
  files.npy('S.npy', [n, n], convertMatrix(mo.S, shellLs, 'wiki', ORDER));
  files.npy('dm0.npy', [n, n], convertMatrix(closedShellDensity(mo.eig, mo.nOcc), shellLs, 'wiki', ORDER));
  files.text('run_pyscf.py', script(source, mo.basis.name));
  files.json('meta.json', exportMeta(source, 'pyscf', ORDER, { H: 'hartree', S: 'dimensionless', dm0: 'electrons (trace(dm0 S) = N)', positions: 'angstrom' }, {
    'H.npy': 'Hamiltonian, n × n', 'S.npy': 'overlap, n × n', 'dm0.npy': 'closed-shell density matrix 2 C_occ C_occᵀ, n × n',
    'run_pyscf.py': 'PySCF RKS/PBE from dm0; checks int1e_ovlp against S.npy first',
  }));
  return files.names;
}

export const pyscfFormat: ExportFormat = {
  name: 'pyscf',
  summary: "PySCF: H, S and starting density dm0 in PySCF's AO order, with run_pyscf.py",
  kinds: ['molecule'],
  order: { fixed: ORDER },
  write,
};
