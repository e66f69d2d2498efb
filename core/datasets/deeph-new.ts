/**
 * The new DeepH layout (DeepH-dock, PyPI `deepx-dock`; "unified data format"), one folder per structure, usually
 * under a `dft/` root:
 *
 *   POSCAR           VASP 5 structure: lattice vectors as rows (× scale), element symbols, counts, Cartesian or
 *                    Direct coordinates; atoms are indexed in POSCAR order (0-based)
 *   info.json        atoms_quantity, orbits_quantity, orthogonal_basis, spinful, fermi_energy_eV,
 *                    elements_orbital_map {symbol: [l of each shell]}, optional split_hkb / hamiltonian_storage
 *   hamiltonian.h5   datasets atom_pairs (N, 5) = [R1, R2, R3, i, j], chunk_boundaries (N+1,), chunk_shapes (N, 2),
 *   overlap.h5       entries (M,): block k = entries[chunk_boundaries[k] : chunk_boundaries[k+1]] reshaped to
 *                    chunk_shapes[k], ⟨φ_i(0)|·|φ_j(R)⟩, H in eV; the atom_pairs of every file must be identical
 *
 * Orbital order: DeepH-dock converts every code's matrices to the real spherical harmonics of Wikipedia's table
 * (m = −l…l, no Condon–Shortley phase: p = y, z, x), i.e. our internal order — see the 'deeph' row of
 * core/basis/conventions.ts for the sources. Units eV and Å; H(k) = Σ_R e^{+2πi k·R} H(R) as ours.
 *
 * Sources (read, not copied): kYangLi/DeepH-dock docs/key_concepts.md (file layout and keys),
 * deepx_dock/CONSTANT.py (file names), deepx_dock/misc.py (POSCAR reading, split-HKB metadata),
 * deepx_dock/compute/eigen/matrix_obj.py (block assembly and Bloch phase),
 * deepx_dock/convert/deeph/translate_old_dataset_to_new.py (legacy → new: OpenMX → wiki order, atoms regrouped
 * by element in POSCAR order).
 *
 * Not supported (E_FORMAT saying so): spinful data (complex entries, spin-doubled blocks) and split-HKB storage.
 */
import path from 'node:path';
import { orbitalsOfShells } from '../basis/orbital-layout.ts';
import { HamError } from '../contracts/errors.ts';
import { withH5, type H5File } from '../io/hdf5.ts';
import { atomicNumber, elementSymbol } from '../structure/elements.ts';
import { readPoscar } from '../structure/formats/poscar.ts';
import { BlockListBuilder } from './block-builder.ts';
import { optionalFile, readJsonObject, readText, requireFile } from './files.ts';
import { atomOrbitalMaps, blockToWiki } from './orbital-maps.ts';
import type { HamiltonianSample, SampleBlocks } from './sample.ts';
import { assertBlockHermiticity, assertFinite } from './validate.ts';

const LAYOUT = 'DeepH-dock';
/** Files whose presence identifies one folder of this layout. */
export const DEEPH_NEW_MARKERS = ['POSCAR', 'info.json', 'overlap.h5'] as const;

export function isDeephNewFolder(dir: string): boolean {
  return DEEPH_NEW_MARKERS.every((f) => optionalFile(dir, f) !== undefined);
}

interface NewInfo {
  raw: Record<string, unknown>;
  shellsBySymbol: Map<string, number[]>;
  fermi?: number;
}

function readInfo(file: string): NewInfo {
  const raw = readJsonObject(file);
  if (raw.spinful === true) throw new HamError('E_FORMAT', 'spinful (spin–orbit) data are not supported', { file, key: 'spinful' });
  if (raw.split_hkb === true || raw.hamiltonian_storage === 'spinless_plus_hkb') {
    throw new HamError('E_FORMAT', 'split Kleinman–Bylander storage (hkb.h5) is not supported', { file, key: 'split_hkb' });
  }
  const map = raw.elements_orbital_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new HamError('E_FORMAT', 'elements_orbital_map must map element symbols to lists of l', { file, key: 'elements_orbital_map' });
  }
  const shellsBySymbol = new Map<string, number[]>();
  for (const [sym, ls] of Object.entries(map)) {
    if (!Array.isArray(ls) || !ls.every((l) => Number.isInteger(l) && l >= 0)) {
      throw new HamError('E_FORMAT', `entry '${sym}' must be a list of l ≥ 0`, { file, key: 'elements_orbital_map' });
    }
    shellsBySymbol.set(sym, ls as number[]);
  }
  return { raw, shellsBySymbol, fermi: typeof raw.fermi_energy_eV === 'number' ? raw.fermi_energy_eV : undefined };
}

interface BlockFile {
  pairs: Float64Array;
  bounds: Float64Array;
  shapes: Float64Array;
  entries: Float64Array;
}

function readBlockFile(f: H5File): BlockFile {
  const keys = new Set(f.keys());
  for (const k of ['atom_pairs', 'chunk_boundaries', 'chunk_shapes', 'entries']) {
    if (!keys.has(k)) throw new HamError('E_FORMAT', 'missing dataset', { file: f.file, key: k });
  }
  const pairs = f.read('atom_pairs');
  const n = pairs.shape[0];
  if (pairs.shape.length !== 2 || pairs.shape[1] !== 5) throw new HamError('E_FORMAT', `shape (${pairs.shape.join(', ')}) must be (N, 5)`, { file: f.file, key: 'atom_pairs' });
  const bounds = f.read('chunk_boundaries');
  if (bounds.shape.length !== 1 || bounds.shape[0] !== n + 1) throw new HamError('E_FORMAT', `shape (${bounds.shape.join(', ')}) must be (${n + 1},)`, { file: f.file, key: 'chunk_boundaries' });
  const shapes = f.read('chunk_shapes');
  if (shapes.shape.length !== 2 || shapes.shape[0] !== n || shapes.shape[1] !== 2) throw new HamError('E_FORMAT', `shape (${shapes.shape.join(', ')}) must be (${n}, 2)`, { file: f.file, key: 'chunk_shapes' });
  const entriesInfo = f.info('entries');
  if (entriesInfo.kind === 'compound') throw new HamError('E_FORMAT', 'complex entries (spinful data) are not supported', { file: f.file, key: 'entries' });
  if (entriesInfo.shape.length !== 1) throw new HamError('E_FORMAT', `shape (${entriesInfo.shape.join(', ')}) must be one-dimensional`, { file: f.file, key: 'entries' });
  return { pairs: pairs.data, bounds: bounds.data, shapes: shapes.data, entries: f.read('entries').data };
}

function pairKey(p: Float64Array, k: number): string {
  return `[${p[5 * k]}, ${p[5 * k + 1]}, ${p[5 * k + 2]}, ${p[5 * k + 3]}, ${p[5 * k + 4]}]`;
}

/** Read one DeepH-dock folder as a sample; `id` defaults to the folder name. */
export async function readDeephNewFolder(dir: string, id = path.basename(path.resolve(dir))): Promise<{ sample: HamiltonianSample; info: Record<string, unknown> }> {
  const poscarFile = requireFile(dir, 'POSCAR', LAYOUT);
  const [structure] = readPoscar(readText(poscarFile), poscarFile);
  const infoFile = requireFile(dir, 'info.json', LAYOUT);
  const info = readInfo(infoFile);
  const nAtoms = structure.numbers.length;
  const shellsByZ = new Map([...info.shellsBySymbol].map(([sym, ls]) => [atomicNumber(sym), ls]));
  const atomShells = structure.numbers.map((z) => {
    const ls = shellsByZ.get(z);
    if (!ls) throw new HamError('E_BASIS_MISMATCH', `no shells for ${elementSymbol(z)} of the POSCAR`, { file: infoFile, key: 'elements_orbital_map' });
    return ls;
  });
  const atomOrbitals = atomShells.map(orbitalsOfShells);
  if (info.raw.atoms_quantity !== undefined && info.raw.atoms_quantity !== nAtoms) {
    throw new HamError('E_FORMAT', `atoms_quantity ${String(info.raw.atoms_quantity)} but the POSCAR has ${nAtoms} atoms`, { file: infoFile, key: 'atoms_quantity' });
  }
  const nOrb = atomOrbitals.reduce((a, n) => a + n, 0);
  if (info.raw.orbits_quantity !== undefined && info.raw.orbits_quantity !== nOrb) {
    throw new HamError('E_BASIS_MISMATCH', `orbits_quantity ${String(info.raw.orbits_quantity)} but elements_orbital_map gives ${nOrb}`, { file: infoFile, key: 'orbits_quantity' });
  }
  const maps = atomOrbitalMaps(atomShells, 'deeph');

  const hFile = optionalFile(dir, 'hamiltonian.h5');
  if (!hFile) throw new HamError('E_FORMAT', 'missing file: this folder has overlaps only, no Hamiltonian to learn', { file: path.join(dir, 'hamiltonian.h5') });
  const sFile = requireFile(dir, 'overlap.h5', LAYOUT);
  const H = await withH5(hFile, readBlockFile);
  const S = await withH5(sFile, readBlockFile);
  if (H.pairs.length !== S.pairs.length || H.pairs.some((v, k) => v !== S.pairs[k])) {
    throw new HamError('E_FORMAT', 'atom_pairs differ from those of hamiltonian.h5 (they must be identical)', { file: sFile, key: 'atom_pairs' });
  }

  const builder = new BlockListBuilder();
  const nBlocks = H.pairs.length / 5;
  for (let k = 0; k < nBlocks; k++) {
    const key = `atom_pairs[${k}] = ${pairKey(H.pairs, k)}`;
    const i = H.pairs[5 * k + 3];
    const j = H.pairs[5 * k + 4];
    if (!(i >= 0 && i < nAtoms && j >= 0 && j < nAtoms)) throw new HamError('E_FORMAT', `atom index out of range 0…${nAtoms - 1}`, { file: hFile, key });
    const blocks: Float64Array[] = [];
    for (const [m, file] of [[H, hFile], [S, sFile]] as const) {
      const [nr, nc] = [m.shapes[2 * k], m.shapes[2 * k + 1]];
      if (nr !== atomOrbitals[i] || nc !== atomOrbitals[j]) {
        throw new HamError('E_BASIS_MISMATCH', `chunk shape (${nr}, ${nc}) but elements_orbital_map gives ${atomOrbitals[i]} × ${atomOrbitals[j]}`, { file, key });
      }
      const [lo, hi] = [m.bounds[k], m.bounds[k + 1]];
      if (hi - lo !== nr * nc || hi > m.entries.length) {
        throw new HamError('E_FORMAT', `chunk_boundaries [${lo}, ${hi}) do not fit the chunk shape or the entries`, { file, key });
      }
      const data = m.entries.subarray(lo, hi);
      assertFinite(data, { file, key }, (e) => `entry (${Math.floor(e / nc)}, ${e % nc})`);
      blocks.push(blockToWiki(data, maps[i], maps[j]));
    }
    builder.add(i, j, [H.pairs[5 * k], H.pairs[5 * k + 1], H.pairs[5 * k + 2]], blocks[0], blocks[1]);
  }
  const blocks = builder.build();
  const keyOf = (b: number) => newKey(blocks, b);
  assertBlockHermiticity(blocks, 'H', atomOrbitals, hFile, keyOf);
  assertBlockHermiticity(blocks, 'S', atomOrbitals, sFile, keyOf);
  return {
    sample: { id, structure, atomShells, unit: 'eV', convention: 'wiki', blocks, references: { fermiLevel: info.fermi } },
    info: info.raw,
  };
}

/** Block b's atom pair as DeepH-dock writes it, [R1, R2, R3, i, j] with 0-based atoms. */
function newKey(blocks: SampleBlocks, b: number): string {
  const R = blocks.R;
  return `atom_pairs [${R[3 * b]}, ${R[3 * b + 1]}, ${R[3 * b + 2]}, ${blocks.i[b]}, ${blocks.j[b]}]`;
}
