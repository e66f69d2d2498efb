/**
 * `psi4` export (formats §4.4): run_psi4.py, a psi4 ≥ 1.3 Python-API script (symmetry c1, nocom, noreorient,
 * puream, the model's basis, RKS/PBE) that starts the SCF from the occupied orbitals of the predicted H, with
 * C_occ.npy (n × n_occ) and S.npy in psi4's order ('psi4' convention: m = 0, +1, −1, …; p = z, x, y).
 *
 * The guess route, found by experiment on psi4 1.3.2 (Debian): psi4 1.3 reads outside orbitals only through
 * `guess read` of its own scratch file 180, a pickled Wavefunction whose occupation must be right. The script
 * instead does what psi4's driver does once that file is loaded: it builds the SCF wavefunction with
 * `scf_wavefunction_factory`, hands it the orbitals with `guess_Ca`/`guess_Cb` (the C++ guess() then forms the
 * density from them: "SCF Guess: Orbitals guess was supplied from a previous computation") and calls
 * `compute_energy()`. The same script with --default-guess runs `psi4.energy` from psi4's own guess, for comparison.
 */
import { convertCoefficients, convertMatrix, type OrbitalConvention } from '../basis/conventions.ts';
import { occupiedCoefficients } from '../physics/density.ts';
import { ExportFiles, type ExportFormat } from './format.ts';
import { exportMeta } from './meta.ts';
import { moleculeOrbitals } from './molecule.ts';
import { atomLines, hillFormula } from './script-text.ts';
import type { ExportSource } from './source.ts';

const ORDER: OrbitalConvention = 'psi4';
/** SCF convergence of the script: tight enough that runs from different guesses agree to ~1e-8 Eh. */
const CONVERGENCE = 1e-8;

function script(source: ExportSource, basis: string): string {
  const { structure } = source.sample;
  return `#!/usr/bin/env python3
"""psi4 (>= 1.3) RKS/PBE/${basis} SCF of ${hillFormula(structure.numbers)} started from the orbitals of a Hamiltonian Studio ${source.predicted ? 'prediction' : 'Hamiltonian'}.

Files beside this script, float64, psi4's AO order (atoms and shells in input order; per shell the pure functions
m = 0, +1, -1, +2, -2, ..., so p = z, x, y; signs as psi4's own), described in meta.json:
  C_occ.npy  n x n_occ occupied orbitals of H C = S C E (S-orthonormal), the SCF's starting orbitals
  S.npy      overlap matrix, compared with psi4's before the SCF starts (proves basis and order)
Run:  python3 run_psi4.py                  SCF from C_occ.npy
      python3 run_psi4.py --default-guess  the same SCF from psi4's default guess, for comparison
Prints the SCF iteration count, the total energy in hartree and the SCF wall time; psi4's log goes to
psi4-<guess>.out here.
"""
import argparse
import os
import sys
import time

import numpy as np

try:
    import psi4
except ImportError:  # Debian and Ubuntu install psi4's Python package outside the default path
    sys.path.append('/usr/lib/x86_64-linux-gnu')
    import psi4
from psi4.driver.procrouting import proc

HERE = os.path.dirname(os.path.abspath(__file__))
XC = 'pbe'
GEOMETRY = """
0 1
${atomLines(structure).join('\n')}
symmetry c1
nocom
noreorient
units angstrom
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\\n')[0])
    parser.add_argument('--default-guess', action='store_true', help="start from psi4's default guess instead of C_occ.npy")
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    guess = 'default' if args.default_guess else 'predicted'
    os.chdir(HERE)  # psi4 writes timer.dat and scratch files to the working directory: keep them beside this script
    psi4.core.set_output_file(os.path.join(HERE, 'psi4-%s.out' % guess), False)
    psi4.set_num_threads(args.threads)
    psi4.set_options({'basis': '${basis.toLowerCase()}', 'puream': True, 'reference': 'rks', 'scf_type': 'df',
                      'e_convergence': ${CONVERGENCE}, 'd_convergence': ${CONVERGENCE}})
    mol = psi4.geometry(GEOMETRY)
    base = psi4.core.Wavefunction.build(mol, psi4.core.get_global_option('BASIS'))
    # The same basis functions in the same order give the same overlap; a wrong order is off by ~0.1 or more.
    S = np.asarray(psi4.core.MintsHelper(base.basisset()).ao_overlap())
    err = np.abs(S - np.load(os.path.join(HERE, 'S.npy'))).max()
    if err > 1e-6:
        sys.exit('psi4 overlap differs from S.npy by %.2e: basis or orbital order mismatch, SCF not started' % err)
    start = time.perf_counter()
    if args.default_guess:
        energy, wfn = psi4.energy(XC, molecule=mol, return_wfn=True)
    else:
        # psi4's driver, after 'guess read' has loaded orbitals, hands them to the SCF wavefunction like this.
        wfn = proc.scf_wavefunction_factory(XC, base, 'RKS')
        c_occ = psi4.core.Matrix.from_array(np.load(os.path.join(HERE, 'C_occ.npy')))
        wfn.guess_Ca(c_occ)
        wfn.guess_Cb(c_occ)
        energy = wfn.compute_energy()
    print('guess       %s' % guess)
    print('iterations  %d' % int(wfn.variable('SCF ITERATIONS')))
    print('energy      %.12f hartree' % energy)
    print('seconds     %.2f' % (time.perf_counter() - start))


if __name__ == '__main__':
    main()
`;
}

async function write(source: ExportSource, dir: string): Promise<string[]> {
  const mo = moleculeOrbitals(source);
  const { n, shellLs, nOcc } = mo;
  const files = new ExportFiles(dir);
  files.npy('C_occ.npy', [n, nOcc], convertCoefficients(occupiedCoefficients(mo.eig, nOcc), shellLs, nOcc, 'wiki', ORDER));
  files.npy('S.npy', [n, n], convertMatrix(mo.S, shellLs, 'wiki', ORDER));
  files.text('run_psi4.py', script(source, mo.basis.name));
  files.json('meta.json', exportMeta(source, 'psi4', ORDER, { C_occ: 'AO coefficients of S-orthonormal orbitals (H in hartree)', S: 'dimensionless', positions: 'angstrom' }, {
    'C_occ.npy': `occupied orbitals of H C = S C E, n × n_occ (n_occ = ${nOcc})`, 'S.npy': 'overlap, n × n',
    'run_psi4.py': "psi4 RKS/PBE SCF from C_occ.npy (or psi4's default guess with --default-guess); prints iterations and energy",
  }));
  return files.names;
}

export const psi4Format: ExportFormat = {
  name: 'psi4',
  summary: "psi4: run_psi4.py starting psi4's SCF from the predicted orbitals (psi4 ≥ 1.3)",
  kinds: ['molecule'],
  order: { fixed: ORDER },
  write,
};
