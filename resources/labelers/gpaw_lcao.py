#!/usr/bin/env python3
"""Kohn-Sham SCF of one periodic structure with GPAW LCAO (Debian's GPAW 22.8), for Hamiltonian Studio: the real-space
H(R), S(R) written as a legacy DeepH structure folder in the conventions of the shared graphene set
(datasets/graphene-3x3-pbe-dzp/README.md, datasets/tools/gpaw-notes.md).

Usage: gpaw_lcao.py JOB.json OUT_DIR
JOB.json: {"numbers": [...], "positions": [[x, y, z], ...] (Angstrom), "cell": 3 rows (Angstrom), "pbc": [b, b, b],
           "basis": "dzp", "xc": "PBE", "kmesh": [n1, n2, n3] (Gamma-centred), "width": 0.02 (Fermi-Dirac, eV),
           "h": 0.25 (grid spacing, Angstrom) or "gpts": [N1, N2, N3], optional "maxiter", "log": GPAW's text log}
OUT_DIR is written whole under a temporary name and renamed, so it is either complete or absent:
  lat.dat (lattice vectors as columns), rlat.dat, site_positions.dat (3 x N), element.dat, orbital_types.dat (the l of
  each radial function in GPAW's order), info.json (fermi_level in eV, orbital_order "gpaw", ...), hamiltonians.h5 and
  overlaps.h5 (one dataset per "[R1, R2, R3, i, j]", i, j 1-based, H in eV), eigenvalues_kmesh.npy and
  kpoints_frac.npy (GPAW's eigenvalues on the SCF mesh) and checks.json (SCF time, iterations, consistency checks).

Conventions: H_ij(R) = <phi_i(0)|H|phi_j(R)>; H(k) = sum_R exp(+2 pi i k.R) H(R). GPAW builds
H_gpaw(k) = sum_R exp(-2 pi i k.R) H(R) (gpaw/lcao/overlap.py, BlochPhases), so H(R) = 1/Nk sum_k exp(+2 pi i k.R)
H_gpaw(k) on a Gamma-centred mesh, exact when no two images of one atom pair that both carry matrix elements are
congruent modulo the mesh; when the SCF mesh is too coarse for that (small cells), H(k) is rebuilt on a finer mesh
from the converged density (fixed_density: same potential, so the same H(R)).
"""
import os
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # one thread per SCF: the caller runs several at once
import itertools
import json
import shutil
import sys
import time


def basis_info(calc):
    """Per atom: the l of each radial function (GPAW order) and the largest basis / projector cutoffs (Bohr)."""
    import numpy as np
    ls = [[f.get_angular_momentum_number() for f in s.phit_j] for s in calc.wfs.setups]
    rphi = np.array([max(f.get_cutoff() for f in s.phit_j) for s in calc.wfs.setups])
    rpt = np.array([max(f.get_cutoff() for f in s.pt_j) for s in calc.wfs.setups])
    nao = np.array([s.nao for s in calc.wfs.setups])
    return ls, rphi, rpt, np.concatenate([[0], np.cumsum(nao)])


def images(pos, cell, pbc, rmax):
    """Per atom pair (a, b): the lattice vectors R (pbc axes only) with |r_b + R - r_a| < rmax, and those distances."""
    import numpy as np
    spacing = 1.0 / np.linalg.norm(np.linalg.inv(cell), axis=0)           # distance between lattice planes
    n = [int(np.ceil(rmax / spacing[c])) + 1 if pbc[c] else 0 for c in range(3)]
    R = np.array(list(itertools.product(*(range(-m, m + 1) for m in n))))
    d = np.linalg.norm(pos[None, :, None, :] + (R @ cell)[None, None] - pos[:, None, None, :], axis=-1)
    return {(a, b): (R[d[a, b] < rmax], d[a, b][d[a, b] < rmax]) for a in range(len(pos)) for b in range(len(pos))}


def stored_blocks(pos, cell, pbc, rphi, rpt):
    """The (a, b, R) to store: basis spheres overlap, |d| < rphi_a + rphi_b (GPAW's two-centre criterion, tci.py),
    and per pair the images that carry H at all: the PAW projector term couples orbitals up to
    rphi_a + rphi_b + 2 max(rpt) apart (gpaw-notes.md 3.5)."""
    r_h = 2 * rphi.max() + 2 * rpt.max()
    near = images(pos, cell, pbc, r_h)
    keep = []
    for (a, b), (R, d) in near.items():
        keep += [(tuple(int(x) for x in r), a, b) for r, dist in zip(R, d) if dist < rphi[a] + rphi[b]]
    return sorted(keep), near


def extraction_mesh(kmesh, stored, near, pbc, cell):
    """The smallest Gamma-centred mesh >= kmesh on which every stored block is the only image of its pair carrying
    H in its class modulo the mesh (else the inverse transform would add the images up)."""
    import numpy as np
    N = np.array(kmesh)
    by_pair = {}
    for R, a, b in stored:
        by_pair.setdefault((a, b), []).append(np.array(R))
    while True:
        clash = np.zeros(3, bool)
        for (a, b), Rs in by_pair.items():
            for R in Rs:
                diff = near[(a, b)][0] - R
                same = np.all(diff % N == 0, axis=1) & np.any(diff != 0, axis=1)
                clash |= np.any(diff[same] != 0, axis=0)
        if not clash.any():
            return [int(x) for x in N]
        # grow the axis (among the clashing, periodic ones) whose mesh super-cell vector is shortest
        lengths = [N[c] * np.linalg.norm(cell[c]) if clash[c] and pbc[c] else np.inf for c in range(3)]
        N[int(np.argmin(lengths))] += 1


def bloch_sum(blocks, k_c, M_a, nao):
    """X(k) = sum_R exp(+2 pi i k.R) X(R) (this dataset's convention)."""
    import numpy as np
    X = np.zeros((nao, nao), complex)
    for (R, a, b), blk in blocks.items():
        X[M_a[a]:M_a[a + 1], M_a[b]:M_a[b + 1]] += np.exp(2j * np.pi * np.dot(k_c, R)) * blk
    return X


def real_space(calc, stored, M_a):
    """H(R) (eV), S(R) of the stored blocks from GPAW's H(k), S(k): X(R) = 1/Nk sum_k exp(+2 pi i k.R) X_gpaw(k)."""
    import numpy as np
    from gpaw.lcao.tools import get_lcao_hamiltonian
    kd = calc.wfs.kd
    assert kd.nibzkpts == kd.nbzkpts, "symmetry must be off: the transform needs the full mesh"
    k_kc = kd.ibzk_kc
    H_skMM, S_kMM = get_lcao_hamiltonian(calc)                      # H in eV (tools.py multiplies by Ha)
    Rs = sorted({R for R, _, _ in stored})
    ph_rk = np.exp(2j * np.pi * np.array(Rs) @ k_kc.T) / len(k_kc)
    HR = dict(zip(Rs, np.einsum("rk,kij->rij", ph_rk, H_skMM[0])))
    SR = dict(zip(Rs, np.einsum("rk,kij->rij", ph_rk, S_kMM)))
    imag = max(max(np.abs(X.imag).max() for X in HR.values()), max(np.abs(X.imag).max() for X in SR.values()))
    Hb = {(R, a, b): HR[R][M_a[a]:M_a[a + 1], M_a[b]:M_a[b + 1]].real.copy() for R, a, b in stored}
    Sb = {(R, a, b): SR[R][M_a[a]:M_a[a + 1], M_a[b]:M_a[b + 1]].real.copy() for R, a, b in stored}
    return Hb, Sb, float(imag)


def checks(calc, Hb, Sb, M_a):
    """Transpose symmetry, and the Bloch sums of the stored blocks against GPAW's own matrices and eigenvalues on the
    SCF mesh (differences come only from the unstored PAW tails, ~1e-7 eV)."""
    import numpy as np
    import scipy.linalg as sla
    from gpaw.lcao.tools import get_lcao_hamiltonian
    nao = M_a[-1]
    tr = max(max(np.abs(Hb[k] - Hb[(tuple(-x for x in k[0]), k[2], k[1])].T).max(),
                 np.abs(Sb[k] - Sb[(tuple(-x for x in k[0]), k[2], k[1])].T).max()) for k in Hb)
    H_skMM, S_kMM = get_lcao_hamiltonian(calc)
    ef = calc.get_fermi_level()
    mat = eig = 0.0
    eps_kn = []
    for k, k_c in enumerate(calc.wfs.kd.ibzk_kc):
        Hk, Sk = bloch_sum(Hb, k_c, M_a, nao), bloch_sum(Sb, k_c, M_a, nao)
        mat = max(mat, np.abs(Hk - H_skMM[0, k].conj()).max(), np.abs(Sk - S_kMM[k].conj()).max())
        e_gpaw = calc.get_eigenvalues(kpt=k, spin=0)
        e_ours = sla.eigh(Hk, Sk, eigvals_only=True)[:len(e_gpaw)]
        low = e_gpaw < ef + 10.0
        eig = max(eig, np.abs(e_ours - e_gpaw)[low].max())
        eps_kn.append(e_gpaw)
    return {"max_dev_HijR_minus_HjimRT": float(tr), "max_dev_bloch_matrix_vs_gpaw": float(mat),
            "max_dev_eigenvalues_below_EF_plus_10eV": float(eig)}, np.array(eps_kn)


def write_folder(out_dir, atoms, calc, job, ls, Hb, Sb, eps_kn, check):
    import numpy as np
    import h5py
    import gpaw
    tmp = out_dir.rstrip("/") + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    cell = atoms.cell.array
    np.savetxt(os.path.join(tmp, "lat.dat"), cell.T)                            # columns = a1, a2, a3 (A)
    np.savetxt(os.path.join(tmp, "rlat.dat"), 2 * np.pi * np.linalg.inv(cell))    # columns = b1, b2, b3 (1/A)
    np.savetxt(os.path.join(tmp, "site_positions.dat"), atoms.get_positions().T)
    np.savetxt(os.path.join(tmp, "element.dat"), atoms.numbers, fmt="%d")
    with open(os.path.join(tmp, "orbital_types.dat"), "w") as f:
        f.writelines(" ".join(str(l) for l in l_j) + "\n" for l_j in ls)
    info = {"isspinful": False, "fermi_level": float(calc.get_fermi_level()), "nsites": len(atoms),
            "code": "GPAW %s" % gpaw.__version__, "xc": job["xc"], "basis": job["basis"], "kmesh": list(job["kmesh"]),
            "orbital_order": "gpaw", "norbits": int(eps_kn.shape[1]), "isorthogonal": False}
    with open(os.path.join(tmp, "info.json"), "w") as f:
        json.dump(info, f, indent=1)
    for name, blocks in (("hamiltonians.h5", Hb), ("overlaps.h5", Sb)):
        with h5py.File(os.path.join(tmp, name), "w") as f:
            for (R, a, b), blk in sorted(blocks.items()):
                f.create_dataset("[%d, %d, %d, %d, %d]" % (R[0], R[1], R[2], a + 1, b + 1),
                                 data=np.ascontiguousarray(blk, dtype=np.float64))
    np.save(os.path.join(tmp, "eigenvalues_kmesh.npy"), eps_kn)
    np.save(os.path.join(tmp, "kpoints_frac.npy"), calc.wfs.kd.ibzk_kc)
    with open(os.path.join(tmp, "checks.json"), "w") as f:
        json.dump(check, f, indent=1)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(tmp, out_dir)


def main(job_file, out_dir):
    with open(job_file) as f:
        job = json.load(f)
    import numpy as np
    from ase import Atoms
    from ase.units import Bohr
    from gpaw import GPAW, FermiDirac
    from gpaw.basis_data import Basis

    atoms = Atoms(numbers=job["numbers"], positions=job["positions"], cell=job["cell"], pbc=job["pbc"])
    nao = sum(sum(2 * bf.l + 1 for bf in Basis(s, job["basis"]).bf_j) for s in atoms.get_chemical_symbols())
    grid = {"gpts": tuple(job["gpts"])} if job.get("gpts") else {"h": job.get("h", 0.25)}
    log = job.get("log", "-")
    params = dict(mode="lcao", basis=job["basis"], xc=job["xc"], kpts={"size": tuple(job["kmesh"]), "gamma": True},
                  symmetry="off", nbands=nao, occupations=FermiDirac(job.get("width", 0.02)), txt=log, **grid)
    if job.get("maxiter"):
        params["maxiter"] = int(job["maxiter"])
    atoms.calc = GPAW(**params)
    t0 = time.perf_counter()
    energy = atoms.get_potential_energy()
    seconds = time.perf_counter() - t0
    calc = atoms.calc

    ls, rphi, rpt, M_a = basis_info(calc)
    pos, cell = atoms.get_positions() / Bohr, atoms.cell.array / Bohr
    stored, near = stored_blocks(pos, cell, atoms.pbc, rphi, rpt)
    mesh = extraction_mesh(job["kmesh"], stored, near, atoms.pbc, cell)
    source = calc
    if mesh != list(job["kmesh"]):
        source = calc.fixed_density(kpts={"size": tuple(mesh), "gamma": True}, symmetry="off", nbands=nao, txt=log)
    Hb, Sb, imag = real_space(source, stored, M_a)
    check, eps_kn = checks(calc, Hb, Sb, M_a)
    check.update(time_scf_s=seconds, scf_iterations=int(calc.scf.niter), energy_eV=float(energy),
                 gpts=[int(x) for x in calc.wfs.gd.N_c], extraction_kmesh=mesh, max_imag_HR_SR=imag, n_blocks=len(Hb))
    write_folder(out_dir, atoms, calc, job, ls, Hb, Sb, eps_kn, check)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as e:  # the caller records the last line of stderr as the reason
        import traceback
        traceback.print_exc()
        sys.stderr.write("%s: %s\n" % (type(e).__name__, str(e).strip() or "(no message)"))
        sys.exit(1)
