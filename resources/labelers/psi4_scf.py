#!/usr/bin/env python3
"""Kohn-Sham SCF of one molecule with psi4 (>= 1.3, Debian's 1.3.2), for Hamiltonian Studio.

Usage: psi4_scf.py JOB.json OUT_DIR
JOB.json: {"symbols": [...], "positions": [[x, y, z], ...] (Angstrom), "functional": "pbe", "basis": "def2-svp",
           "charge": 0, "multiplicity": 1, "threads": 1, "e_convergence": 1e-10, "d_convergence": 1e-10,
           "write_matrices": true, "guess_orbitals": optional path to an .npy of orbitals (n x k, k >= n_occ, psi4
           order, S-orthonormal; e.g. C_occ.npy of a hamstudio psi4 export), the SCF's starting point}
Writes OUT_DIR/result.json (energy in Hartree, SCF wall seconds, iterations, psi4 version) and, when asked,
H.npy (converged Fock matrix), S.npy, orbital_energies.npy in psi4's orbital order (pure functions
m = 0, +1, -1, ...), Hartree. The molecule is given with symmetry c1, nocom, noreorient, units angstrom, as in the
reference datasets, so every matrix is in the frame of the input positions.
"""
import json
import os
import sys
import time

sys.path.insert(0, "/usr/lib/x86_64-linux-gnu")  # Debian installs the psi4 Python package here


def scf_from_orbitals(mol, functional, ca):
    """RKS from given orbitals (the first nalpha columns of ca). psi4 1.3 reads outside orbitals only via 'guess read'
    of its own scratch file; its driver then passes them to the SCF wavefunction with guess_Ca/guess_Cb, as here."""
    import numpy as np
    import psi4
    from psi4.driver.procrouting import proc
    base = psi4.core.Wavefunction.build(mol, psi4.core.get_global_option("BASIS"))
    wfn = proc.scf_wavefunction_factory(functional, base, "RKS")
    occupied = psi4.core.Matrix.from_array(np.ascontiguousarray(ca[:, :base.nalpha()]))
    wfn.guess_Ca(occupied)
    wfn.guess_Cb(occupied)
    return wfn.compute_energy(), wfn


def main(job_file, out_dir):
    with open(job_file) as f:
        job = json.load(f)
    import numpy as np
    import psi4

    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    os.chdir(out_dir)  # psi4 writes timer.dat to the working directory
    psi4.set_num_threads(int(job.get("threads", 1)))
    psi4.set_memory(job.get("memory", "2 GB"))
    psi4.core.IOManager.shared_object().set_default_path(out_dir)
    psi4.core.set_output_file(os.path.join(out_dir, "psi4.out"), False)
    psi4.set_options({
        "basis": job.get("basis", "def2-svp"), "puream": True, "scf_type": "df", "reference": "rks",
        "e_convergence": job.get("e_convergence", 1e-10), "d_convergence": job.get("d_convergence", 1e-10),
        "maxiter": job.get("maxiter", 100),
    })
    geo = "%d %d\n" % (job.get("charge", 0), job.get("multiplicity", 1))
    geo += "".join("%s %.17g %.17g %.17g\n" % (s, *p) for s, p in zip(job["symbols"], job["positions"]))
    geo += "symmetry c1\nnocom\nnoreorient\nunits angstrom\n"
    mol = psi4.geometry(geo)
    t0 = time.perf_counter()
    if job.get("guess_orbitals"):
        e, wfn = scf_from_orbitals(mol, job.get("functional", "pbe"), np.load(job["guess_orbitals"]))
    else:
        e, wfn = psi4.energy(job.get("functional", "pbe"), molecule=mol, return_wfn=True)
    seconds = time.perf_counter() - t0
    iterations = int(psi4.core.variable("SCF ITERATIONS")) if psi4.core.has_variable("SCF ITERATIONS") else None
    if job.get("write_matrices", True):
        np.save(os.path.join(out_dir, "H.npy"), np.array(wfn.Fa()))
        np.save(os.path.join(out_dir, "S.npy"), np.array(wfn.S()))
        np.save(os.path.join(out_dir, "orbital_energies.npy"), np.array(wfn.epsilon_a()))
    result = {"energy_hartree": float(e), "scf_seconds": seconds, "iterations": iterations,
              "psi4": psi4.__version__, "orbital_order": "psi4", "units": "hartree"}
    tmp = os.path.join(out_dir, "result.json.tmp")
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, os.path.join(out_dir, "result.json"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
