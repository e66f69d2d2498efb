/**
 * A prediction beside the DFT reference its structure was opened with (openLabelled): the reference H at one
 * translation with the error H_pred − H_ref there, the errors by block type and shell pair
 * (core/training/block-errors.ts) in μEh or meV, and for molecules the reference orbital energies from the
 * reference H with the prediction's analytic S.
 */
import type { BlockTypeErrors, ErrorStats, MatrixErrors, MoleculeReference, ReferenceMatrices } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import { errorUnit, type EnergyUnit } from '../contracts/units.ts';
import { denseMatrixAt, type HamiltonianSample, type MatrixName, type SampleBlocks } from '../datasets/sample.ts';
import type { HamiltonianModel } from '../model/hamiltonian-model.ts';
import { compareOrbitals } from '../physics/molecular-metrics.ts';
import { elementSymbol } from '../structure/elements.ts';
import { blockErrorsByType, type BlockTypeError } from '../training/block-errors.ts';
import { checkCompatible } from '../training/evaluate.ts';
import type { StructureReference } from './structures.ts';

type Blocks = Pick<HamiltonianSample, 'atomShells' | 'blocks'>;

/** The reference must be in the model's unit and basis (per element, the model's shells). */
export function checkReference(model: HamiltonianModel, ref: StructureReference): void {
  checkCompatible(model, [ref.sample], ref.source.path);
}

/** Reference H and H_pred − H_ref at translation R (zero for molecules), n × n row-major. */
export function referenceAt(pred: Blocks, ref: HamiltonianSample, R: ArrayLike<number>): ReferenceMatrices {
  const h = denseMatrixAt(ref, 'H', R);
  const p = denseMatrixAt(pred, 'H', R);
  return { H: Array.from(h), error: Array.from(p, (v, k) => v - h[k]) };
}

/** Errors of H (in μEh or meV by `unit`) or S (dimensionless) over the reference's blocks, by block type. */
export function matrixErrors(pred: SampleBlocks, ref: HamiltonianSample, which: MatrixName, unit: EnergyUnit): MatrixErrors {
  const { label, factor } = which === 'H' ? errorUnit(unit) : { label: '', factor: 1 };
  const rows = blockErrorsByType(pred, ref.blocks, ref.structure.numbers, ref.atomShells, which);
  const whole = rows.filter((r) => r.shells === null);
  const stats = (list: readonly BlockTypeError[]): ErrorStats => {
    const count = list.reduce((a, r) => a + r.count, 0);
    return {
      mae: count > 0 ? (factor * list.reduce((a, r) => a + r.sumAbs, 0)) / count : 0,
      maxAbs: factor * list.reduce((a, r) => Math.max(a, r.maxAbs), 0),
      count,
    };
  };
  const byType = rows.map((r): BlockTypeErrors => ({
    ...stats([r]), onsite: r.onsite, shells: r.shells,
    elements: (r.onsite ? [r.zRow] : [r.zRow, r.zCol]).map(elementSymbol),
  }));
  return {
    unit: label, all: stats(whole), onsite: stats(whole.filter((r) => r.onsite)), offsite: stats(whole.filter((r) => !r.onsite)), byType,
  };
}

/** A molecule's reference: H, error and errors of H, and orbital energies of both H with the same S. */
export function moleculeReference(pred: { H: Float64Array; S: Float64Array; n: number; blocks: SampleBlocks }, ref: StructureReference, occupied: number, unit: EnergyUnit): MoleculeReference {
  const { sample } = ref;
  const at = referenceAt({ atomShells: sample.atomShells, blocks: pred.blocks }, sample, [0, 0, 0]);
  const cmp = compareOrbitals(pred.H, Float64Array.from(at.H), pred.S, pred.n, occupied);
  const e = Array.from(cmp.ref.values);
  if (occupied >= e.length) throw new HamError('E_NUMERIC', `${occupied} occupied orbitals but ${e.length} reference orbitals: no HOMO–LUMO gap`, { file: ref.source.path });
  const [homo, lumo] = [e[occupied - 1], e[occupied]];
  return {
    ...at, source: ref.source, errors: { H: matrixErrors(pred.blocks, sample, 'H', unit) },
    orbitalEnergies: e, homo, lumo, gap: lumo - homo, maeEpsOcc: cmp.maeEpsOcc, psiSimilarity: cmp.psiSimilarity,
  };
}
