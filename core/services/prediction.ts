/**
 * The app's predict call: H, S and orbital energies of an opened molecule, with the labels the heatmap's hover
 * and the spectrum need (closed shell: HOMO is orbital n_electrons/2, LUMO the next), and beside them the DFT
 * reference when the molecule was opened with one.
 */
import path from 'node:path';
import type { MoleculePrediction, OrbitalLabel, PredictRequest } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import type { OrbitalLayout } from '../basis/orbital-layout.ts';
import { predictMolecule } from '../model/predict-molecule.ts';
import { occupiedOrbitals } from '../physics/molecular-metrics.ts';
import { initBackend } from '../runtime/backend.ts';
import { elementSymbol } from '../structure/elements.ts';
import type { ModelCache } from './models.ts';
import type { PredictionStore } from './prediction-store.ts';
import { moleculeSource } from '../export/source.ts';
import type { StructureStore } from './structures.ts';
import { moleculeBlocks } from '../datasets/sample.ts';
import { checkReference, moleculeReference } from './reference.ts';

export async function predict(structures: StructureStore, models: ModelCache, store: PredictionStore, req: PredictRequest): Promise<MoleculePrediction> {
  const { name, structure, reference } = structures.get(req.structureId);
  const backend = await initBackend();
  const t0 = performance.now();
  const { model, dir } = models.get(structure.numbers, req.model);
  const loadModel = performance.now() - t0;
  if (reference) checkReference(model, reference);
  const { n, H, S, layout, eigen, timingsMs } = predictMolecule(model, structure, name);
  const occupied = occupiedOrbitals(structure.numbers);
  if (occupied < 1 || occupied >= eigen.m) {
    throw new HamError('E_NUMERIC', `${occupied} occupied orbitals but ${eigen.m} orbitals in the basis: no HOMO–LUMO gap`, { file: name });
  }
  store.set(req.structureId, moleculeSource({
    structure, atomShells: layout.atomShells, unit: model.arch.unit, H, S, basis: model.arch.basis, predicted: true, origin: name,
    provenance: { model: path.basename(dir), structure: name },
  }));
  const e = Array.from(eigen.values);
  const [homo, lumo] = [e[occupied - 1], e[occupied]];
  return {
    kind: 'molecule',
    structureId: req.structureId,
    n,
    unit: model.arch.unit,
    H: Array.from(H),
    S: Array.from(S),
    orbitalEnergies: e,
    occupied,
    homo,
    lumo,
    gap: lumo - homo,
    atomOffsets: layout.atomOffsets,
    orbitals: orbitalLabels(structure.numbers, layout),
    // Named as listModels names it: by its folder.
    model: { name: path.basename(dir), arch: model.arch.arch, basis: model.arch.basis },
    backend: backend.name,
    timingsMs: { loadModel, ...timingsMs },
    ...(reference ? { reference: moleculeReference({ H, S, n, blocks: moleculeBlocks(layout.atomShells, H) }, reference, occupied, model.arch.unit) } : {}),
  };
}

/** One label per matrix row, in wiki order (m = −l … l within each shell). */
export function orbitalLabels(numbers: readonly number[], layout: OrbitalLayout): OrbitalLabel[] {
  const labels: OrbitalLabel[] = [];
  layout.shellLs.forEach((l, s) => {
    const atom = layout.shellAtom[s];
    const shell = s - layout.shellAtom.indexOf(atom);
    for (let m = -l; m <= l; m++) labels.push({ atom, element: elementSymbol(numbers[atom]), shell, l, m });
  });
  return labels;
}
