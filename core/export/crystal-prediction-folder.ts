/**
 * The folder `hamstudio predict` writes for a crystal: a legacy DeepH folder (hamiltonians_pred.h5, overlaps.h5,
 * lat.dat, …; deeph.ts) that DeepH's tools, `hamstudio bands`, `eval` and `export` read, plus
 *   meta.json   format "hamstudio-prediction", kind "crystal", units, orbital order, shells, cell, the overlap's
 *               source, the model, valence electrons and timings
 *   R.npy       nR × 3 int32 lattice translations;  H_R.npy, S_R.npy   nR × n × n float64 (H(R), S(R) dense per R)
 *               — only up to DENSE_LIMIT orbitals, beyond which dense matrices would not fit in memory.
 */
import path from 'node:path';
import type { OrbitalConvention } from '../basis/conventions.ts';
import { convertMatrix } from '../basis/conventions.ts';
import { atomOrbitalOffsets, denseMatrixAt, type HamiltonianSample } from '../datasets/sample.ts';
import { writeDirectoryAtomic } from '../io/atomic-write.ts';
import { deephFormat } from './deeph.ts';
import { ExportFiles } from './format.ts';
import { PREDICTION_FORMAT } from './prediction-folder.ts';

/** Largest orbital count for the dense H_R.npy / S_R.npy stacks. */
export const DENSE_LIMIT = 4000;

/** Dense nR × n × n stacks of H(R) and S(R) in `order`, with the translations (in order of first appearance). */
function denseStacks(sample: HamiltonianSample, order: OrbitalConvention) {
  const { blocks, atomShells } = sample;
  const shellLs = atomShells.flat();
  const n = atomOrbitalOffsets(atomShells).at(-1)!;
  const translations = [...new Map(Array.from({ length: blocks.i.length }, (_, b) => {
    const R = Array.from(blocks.R.subarray(3 * b, 3 * b + 3));
    return [R.join(','), R] as const;
  })).values()];
  const H = new Float64Array(translations.length * n * n);
  const S = new Float64Array(translations.length * n * n);
  translations.forEach((R, r) => {
    H.set(convertMatrix(denseMatrixAt(sample, 'H', R), shellLs, 'wiki', order), r * n * n);
    S.set(convertMatrix(denseMatrixAt(sample, 'S', R), shellLs, 'wiki', order), r * n * n);
  });
  return { n, nR: translations.length, R: Int32Array.from(translations.flat()), H, S };
}

export interface CrystalPredictionMeta {
  structure: string;
  overlap: string;
  model: Record<string, unknown>;
  basis: string;
  valenceElectrons?: number;
  backend: string;
  timingsMs: Record<string, number>;
}

export async function writeCrystalPrediction(dir: string, sample: HamiltonianSample, order: OrbitalConvention, meta: CrystalPredictionMeta): Promise<{ dense: boolean }> {
  const n = atomOrbitalOffsets(sample.atomShells).at(-1)!;
  const dense = n <= DENSE_LIMIT;
  await writeDirectoryAtomic(dir, async (tmp) => {
    await deephFormat.write({
      origin: meta.structure, kind: 'crystal', sample, basis: meta.basis, predicted: true, order,
      provenance: { model: meta.model, overlap: meta.overlap, structure: meta.structure, valence_electrons: meta.valenceElectrons },
    }, tmp, order);
    const files = new ExportFiles(tmp);
    if (dense) {
      const st = denseStacks(sample, order);
      files.npy('R.npy', [st.nR, 3], st.R);
      files.npy('H_R.npy', [st.nR, st.n, st.n], st.H);
      files.npy('S_R.npy', [st.nR, st.n, st.n], st.S);
    }
    files.json('meta.json', {
      format: PREDICTION_FORMAT, version: 1, kind: 'crystal', structure: path.resolve(meta.structure),
      units: { H: sample.unit, S: 'dimensionless', positions: 'angstrom', cell: 'angstrom' },
      orbital_order: order, atomic_numbers: sample.structure.numbers, positions: sample.structure.positions,
      cell: sample.structure.cell, pbc: sample.structure.pbc, shells: sample.atomShells, n_orbitals: n,
      n_blocks: sample.blocks.i.length, basis: meta.basis, overlap: meta.overlap,
      valence_electrons: meta.valenceElectrons, model: meta.model, backend: meta.backend, timings_ms: meta.timingsMs,
      files: dense ? 'DeepH legacy folder (hamiltonians_pred.h5, overlaps.h5) and R.npy, H_R.npy, S_R.npy'
        : `DeepH legacy folder only (more than ${DENSE_LIMIT} orbitals: no dense stacks)`,
    });
  }, { replace: true });
  return { dense };
}
