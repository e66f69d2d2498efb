#!/usr/bin/env python3
"""A window of band energies of a large crystal, for Hamiltonian Studio's `hamstudio bands`: at each k-point the
eigenvalues of H(k) C = S(k) C E nearest a centre energy, by shift-and-invert Krylov-Schur (SLEPc) with a sparse
LU factorisation of H(k) - sigma S(k) (MUMPS), the route DeepH takes with Pardiso + ARPACK. Dense diagonalisation
costs O(n^3) time and 32 n^2 bytes a k-point; this costs one sparse factorisation.

Usage: sparse_bands.py <job-dir>. The job folder holds, written by core/physics/sparse-bands.ts:
  i.npy, j.npy         int32 [nb]        row / column atom of each block (0-based)
  R.npy                int32 [nb, 3]     lattice translation of atom j
  offsets.npy          int32 [nb + 1]    block b is H[offsets[b]:offsets[b+1]], row-major n_i x n_j
  orbitals.npy         int32 [atoms + 1] first orbital of each atom
  H.npy, S.npy         float64           the blocks' entries
  kpoints.npy          float64 [nK, 3]   fractional in the reciprocal basis; H(k) = sum_R exp(+2 pi i k.R) H(R)
  request.json         {"center", "count", "threshold", "tolerance"}
and receives result.json: per k-point the kept eigenvalues (ascending), the number of spurious ones dropped, the
distance from the centre of the farthest converged eigenvalue (all eigenvalues nearer are found) and the largest
overlap eigenvalue. Progress goes to stderr, one line a k-point.

Spurious states: an overcomplete basis (GPAW's dzp on carbon) makes S(k) nearly singular; a predicted H (or S) is
not consistent with it along those directions, and the generalised problem then has eigenvalues anywhere, also
inside the window. Dense solvers drop the overlap's near-null space (canonical orthogonalisation); here the same is
done within the span of the converged eigenvectors (canonical_ritz), which holds every eigenvector near the target,
physical or spurious. Because S may then be slightly indefinite, the problem is posed as non-Hermitian (GNHEP):
SLEPc's Hermitian mode needs an S-inner product.
"""
import glob
import json
import os
import resource
import sys
import time

MISSING = 3


def import_slepc():
    """Debian installs the complex-scalar PETSc/SLEPc bindings outside sys.path (the real ones are the default)."""
    for pattern in ('/usr/lib/petscdir/petsc*/*-complex/lib/python3/dist-packages',
                    '/usr/lib/slepcdir/slepc*/*-complex/lib/python3/dist-packages'):
        sys.path[:0] = sorted(glob.glob(pattern))[-1:]
    try:
        import petsc4py
        petsc4py.init([sys.argv[0]])
        from petsc4py import PETSc
        import slepc4py
        slepc4py.init([sys.argv[0]])
        from slepc4py import SLEPc
    except Exception as e:  # ImportError, or a binary mismatch with another numpy
        print(f'SLEPc for complex numbers is not available: {e}', file=sys.stderr)
        sys.exit(MISSING)
    import numpy
    if numpy.dtype(PETSc.ScalarType).kind != 'c':
        print('the PETSc found is built for real numbers; complex is needed for H(k)', file=sys.stderr)
        sys.exit(MISSING)
    return PETSc, SLEPc


def canonical_ritz(V, Hk, Sk, floor):
    """Canonical orthogonalisation within the span of the converged eigenvectors V: drop the
    directions whose overlap V^H S V eigenvalue is below `floor`, and return the Rayleigh-Ritz eigenvalues of H in
    the rest. The span holds every pencil eigenvector near the target, physical or spurious, so this is what dense
    canonical orthogonalisation does to the overlap's near-null space, restricted to the window. A per-vector test
    of the S-norm is not enough: a physical state nearly degenerate with a spurious one mixes with it, and both
    eigenvectors then have a small S-norm (seen on graphene's pristine cell with a predicted H and S)."""
    import numpy as np
    V = np.linalg.qr(V)[0]  # S-norms below are relative to a Euclidean-orthonormal basis of the span
    Hs = V.conj().T @ (Hk @ V)
    Ss = V.conj().T @ (Sk @ V)
    w, U = np.linalg.eigh((Ss + Ss.conj().T) / 2)
    X = U[:, w >= floor] / np.sqrt(w[w >= floor])
    Hx = X.conj().T @ Hs @ X
    return sorted(np.linalg.eigvalsh((Hx + Hx.conj().T) / 2).tolist())


def main(job):
    PETSc, SLEPc = import_slepc()
    import numpy as np
    import scipy.sparse as sp

    load = lambda name: np.load(os.path.join(job, name))
    req = json.load(open(os.path.join(job, 'request.json')))
    bi, bj, R, offsets, orb = load('i.npy'), load('j.npy'), load('R.npy'), load('offsets.npy'), load('orbitals.npy')
    Hv, Sv, kpts = load('H.npy'), load('S.npy'), load('kpoints.npy')
    n = int(orb[-1])
    # Row and column of every stored entry, once: block b is row-major n_i x n_j at offsets[b].
    sizes = np.diff(offsets)
    blk = np.repeat(np.arange(len(bi)), sizes)
    p = np.arange(offsets[-1]) - offsets[blk]
    ncol = (orb[bj + 1] - orb[bj])[blk]
    rows = orb[bi][blk] + p // ncol
    cols = orb[bj][blk] + p % ncol
    del p, ncol

    def bloch(values, phase):
        return sp.csr_matrix((values * phase[blk], (rows, cols)), shape=(n, n))

    def petsc(m):
        A = PETSc.Mat().createAIJ(size=(n, n), csr=(m.indptr.astype(PETSc.IntType), m.indices.astype(PETSc.IntType), m.data))
        A.assemble()
        return A

    out = []
    for q, k in enumerate(kpts):
        t0 = time.time()
        phase = np.exp(2j * np.pi * (R @ k))
        Hk, Sk = bloch(Hv, phase), bloch(Sv, phase)
        A, B = petsc(Hk), petsc(Sk)
        top = SLEPc.EPS().create()
        top.setOperators(B)
        top.setProblemType(SLEPc.EPS.ProblemType.HEP)
        top.setDimensions(1)
        top.setWhichEigenpairs(SLEPc.EPS.Which.LARGEST_REAL)
        top.solve()
        s_max = top.getEigenvalue(0).real if top.getConverged() > 0 else float(abs(Sk).sum(axis=1).max())
        eps = SLEPc.EPS().create()
        eps.setOperators(A, B)
        eps.setProblemType(SLEPc.EPS.ProblemType.GNHEP)
        eps.setDimensions(int(req['count']))
        eps.setTarget(float(req['center']))
        eps.setWhichEigenpairs(SLEPc.EPS.Which.TARGET_MAGNITUDE)
        eps.setTolerances(float(req['tolerance']), 1000)
        st = eps.getST()
        st.setType(SLEPc.ST.Type.SINVERT)
        ksp = st.getKSP()
        ksp.setType('preonly')
        pc = ksp.getPC()
        pc.setType('lu')
        pc.setFactorSolverType('mumps')
        eps.solve()
        v_petsc = A.createVecs()[0]
        # The first `count` converged pairs are the nearest the target (SLEPc sorts them so); extra ones may skip some.
        m = min(eps.getConverged(), int(req['count']))
        V = np.empty((n, m), dtype=complex)
        reach = 0.0
        for c in range(m):
            reach = max(reach, abs(eps.getEigenpair(c, v_petsc).real - float(req['center'])))
            V[:, c] = v_petsc.getArray()
        kept = canonical_ritz(V, Hk, Sk, float(req['threshold']) * s_max)
        spurious = m - len(kept)
        out.append({'eigenvalues': sorted(kept), 'spurious': spurious, 's_max': s_max, 'converged': eps.getConverged(),
                    'reach': reach,
                    'seconds': time.time() - t0})
        print(f'k-point {q + 1}/{len(kpts)}: {len(kept)} eigenvalues, {spurious} spurious, {time.time() - t0:.1f} s',
              file=sys.stderr, flush=True)
        for obj in (top, eps, A, B, v_petsc):
            obj.destroy()
    tmp = os.path.join(job, 'result.json.tmp')
    with open(tmp, 'w') as f:
        json.dump({'n_orbitals': n, 'kpoints': out, 'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, f)
    os.replace(tmp, os.path.join(job, 'result.json'))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print('usage: sparse_bands.py <job-dir>', file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
