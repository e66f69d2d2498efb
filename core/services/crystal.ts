/**
 * The app's crystal calls: predict H(R), S(R) of an opened periodic structure (kept here by structure id, since
 * a cell has many translations), the matrices at a chosen R, and the band structure with the DOS. E_F comes from
 * the valence electrons the model learned from its training data. A structure opened with a DFT reference gets
 * the reference H(R) and the errors beside each, and the reference bands (its own E_F) with the band error.
 */
import path from 'node:path';
import type { BandsReference, BandsReport, BandsRequest, CrystalMatrices, CrystalMatricesRequest, CrystalPrediction, Translation } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import { orbitalLayout } from '../basis/orbital-layout.ts';
import { denseMatrixAt, type HamiltonianSample } from '../datasets/sample.ts';
import { predictCrystal } from '../model/predict-crystal.ts';
import { PREDICTED_OVERLAP_THRESHOLD } from '../model/two-center-overlap.ts';
import { bandError } from '../physics/band-error.ts';
import { asEigenvalues, bandsOfSample, electronCountMesh, type BandsResult, type FermiSpec } from '../physics/band-report.ts';
import type { KPath } from '../physics/kpath.ts';
import { bandStructure, DENSE_BANDS_LIMIT } from '../physics/bands.ts';
import { densityOfStates, energyGrid } from '../physics/dos.ts';
import { gammaCentredMesh, bandPath } from '../physics/kpath.ts';
import { initBackend } from '../runtime/backend.ts';
import type { ModelCache } from './models.ts';
import { orbitalLabels } from './prediction.ts';
import type { StructureReference, StructureStore } from './structures.ts';
import { checkReference, matrixErrors, referenceAt } from './reference.ts';
import type { PredictionStore } from './prediction-store.ts';

const DEFAULT_POINTS = 60;
const FERMI_DIRAC_WIDTH = 0.02; // eV
const DOS_SIGMA = 0.1; // eV
const BAND_WINDOW = 10; // eV around E_F sent to the renderer
const DOS_RANGE = 8; // eV around E_F
const BAND_ERROR_WINDOW = 2; // eV around the reference E_F (DESIGN.md §4)

interface StoredCrystal {
  sample: HamiltonianSample;
  electrons?: number;
  reference?: StructureReference;
}

/** ε − E_F of the bands that come within ±BAND_WINDOW of E_F, per k-point. */
function nearFermi(r: BandsResult): number[][] {
  const keep = Array.from({ length: r.n_bands }, (_, b) => b).filter((b) => r.energies_minus_fermi.some((row) => Math.abs(row[b]) <= BAND_WINDOW));
  return r.energies_minus_fermi.map((row) => keep.map((b) => row[b]));
}

/** The reference's bands on the prediction's path (E_F its own, else the same electron count) and the band error. */
function referenceBands(ref: HamiltonianSample, path: KPath, predicted: BandsResult, fermi: FermiSpec): BandsReference {
  const r = bandsOfSample(ref, path, ref.references.fermiLevel !== undefined ? { dataset: true } : fermi);
  const e = bandError(asEigenvalues(predicted), asEigenvalues(r), r.fermi_level, BAND_ERROR_WINDOW);
  return { energies: nearFermi(r), fermiLevel: r.fermi_level, fermiSource: r.fermi_level_source, error: { ...e, window: BAND_ERROR_WINDOW } };
}

const key = (R: ArrayLike<number>) => `${R[0]},${R[1]},${R[2]}`;

/** Dense n × n matrices of H(R) and S(R) at one translation. */
function matricesAt(sample: HamiltonianSample, R: Translation): { H: number[]; S: number[] } {
  return { H: Array.from(denseMatrixAt(sample, 'H', R)), S: Array.from(denseMatrixAt(sample, 'S', R)) };
}

export class CrystalService {
  private readonly predicted = new Map<string, StoredCrystal>();

  constructor(private readonly structures: StructureStore, private readonly models: ModelCache, private readonly store: PredictionStore) {}

  async predict(structureId: string, modelName?: string): Promise<CrystalPrediction> {
    const { name, structure, reference } = this.structures.get(structureId);
    const backend = await initBackend();
    const t0 = performance.now();
    const { model, dir } = this.models.get(structure.numbers, modelName, true);
    const loadModel = performance.now() - t0;
    if (reference) checkReference(model, reference);
    // The app shows dense n × n matrices and solves bands densely: beyond that, the command line (windowed bands).
    const n = model.atomShells(structure.numbers).flat().reduce((a, l) => a + 2 * l + 1, 0);
    if (n > DENSE_BANDS_LIMIT) {
      throw new HamError('E_INPUT', `${name} has ${n} orbitals; the app shows crystals of up to ${DENSE_BANDS_LIMIT}. Predict it with hamstudio predict and compute a window of its bands with hamstudio bands --window N --center E`);
    }
    const p = predictCrystal(model, structure, name);
    const counts = model.valenceElectrons;
    const electrons = counts && structure.numbers.every((z) => counts[z] !== undefined) ? structure.numbers.reduce((a, z) => a + counts[z], 0) : undefined;
    this.predicted.set(structureId, { sample: p.sample, electrons, reference });
    this.store.set(structureId, {
      origin: name, kind: 'crystal', sample: p.sample, basis: model.arch.basis, predicted: true, order: 'wiki',
      provenance: { model: path.basename(dir), structure: name, overlap: p.overlap, valence_electrons: electrons },
    });
    const R = p.sample.blocks.R;
    const cell = structure.cell!;
    const length = (t: Translation) => Math.hypot(...[0, 1, 2].map((c) => t[0] * cell[0][c] + t[1] * cell[1][c] + t[2] * cell[2][c]));
    const translations = [...new Map(Array.from({ length: R.length / 3 }, (_, b) => {
      const t: Translation = [R[3 * b], R[3 * b + 1], R[3 * b + 2]];
      return [key(t), t] as const;
    })).values()].sort((a, b) => length(a) - length(b));
    const shells = new Map(structure.numbers.map((z, a) => [z, p.sample.atomShells[a]]));
    const layout = orbitalLayout(structure.numbers, shells);
    const zero: Translation = [0, 0, 0];
    return {
      kind: 'crystal', structureId, n: layout.n, unit: model.arch.unit, translations, R: zero, ...matricesAt(p.sample, zero),
      atomOffsets: layout.atomOffsets, orbitals: orbitalLabels(structure.numbers, layout), overlap: p.overlap,
      valenceElectrons: electrons ?? null,
      model: { name: path.basename(dir), arch: model.arch.arch, basis: model.arch.basis },
      backend: backend.name,
      timingsMs: { loadModel, predict: p.timingsMs.graph + p.timingsMs.predict, overlap: p.timingsMs.overlap },
      ...(reference ? {
        reference: {
          ...referenceAt(p.sample, reference.sample, zero), source: reference.source,
          errors: { H: matrixErrors(p.sample.blocks, reference.sample, 'H', model.arch.unit), S: matrixErrors(p.sample.blocks, reference.sample, 'S', model.arch.unit) },
        },
      } : {}),
    };
  }

  private stored(structureId: string): StoredCrystal {
    const hit = this.predicted.get(structureId);
    if (!hit) throw new HamError('E_NOT_FOUND', 'predict this crystal first', { key: 'structureId' });
    return hit;
  }

  matrices({ structureId, R }: CrystalMatricesRequest): CrystalMatrices {
    const { sample, reference } = this.stored(structureId);
    return { R, ...matricesAt(sample, R), ...(reference ? { reference: referenceAt(sample, reference.sample, R) } : {}) };
  }

  bands(req: BandsRequest): BandsReport {
    const { sample, electrons, reference } = this.stored(req.structureId);
    if (electrons === undefined) throw new HamError('E_INPUT', 'the model does not know the valence electrons of these elements, so the Fermi level cannot be placed');
    const t0 = performance.now();
    const mesh = electronCountMesh(sample);
    const path = bandPath(sample.structure, req.kpath ?? 'auto', req.points ?? DEFAULT_POINTS);
    const meshBands = bandStructure(sample, gammaCentredMesh(mesh), PREDICTED_OVERLAP_THRESHOLD);
    const fermi: FermiSpec = { electrons, mesh, smearing: FERMI_DIRAC_WIDTH, why: 'valence electrons learned by the model' };
    const r = bandsOfSample(sample, path, { ...fermi, meshBands }, PREDICTED_OVERLAP_THRESHOLD);
    const grid = energyGrid(r.fermi_level - DOS_RANGE, r.fermi_level + DOS_RANGE, 401);
    const dos = densityOfStates(meshBands, grid, { sigma: DOS_SIGMA });
    return {
      kpath: r.kpath, lattice: r.lattice, distance: r.distance, labels: r.labels.map(({ label, distance }) => ({ label, distance })),
      energies: nearFermi(r),
      fermiLevel: r.fermi_level, fermiSource: r.fermi_level_source,
      dos: { energies: Array.from(grid, (e) => e - r.fermi_level), values: Array.from(dos), sigma: DOS_SIGMA, mesh },
      droppedOverlap: Math.max(...r.dropped_overlap_eigenvalues),
      ...(reference ? { reference: referenceBands(reference.sample, path, r, fermi) } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
  }
}
