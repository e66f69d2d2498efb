/**
 * A molecule's predicted H with its analytic overlap S and orbital energies: the computation behind
 * `hamstudio predict` and the app's predict call. Matrices are dense n × n, row-major, wiki order, H in the
 * model's unit.
 */
import { loadBasisSet } from '../basis/library.ts';
import { HamError } from '../contracts/errors.ts';
import { denseMatrix } from '../datasets/sample.ts';
import { overlapMatrix, type OverlapResult } from '../integrals/overlap.ts';
import { generalizedEigenvalues, type GeneralizedEigenvalues } from '../physics/generalized-eigen.ts';
import { isPeriodic, type Structure } from '../structure/structure.ts';
import type { HamiltonianModel } from './hamiltonian-model.ts';

export interface MoleculePrediction {
  n: number;
  H: Float64Array;
  S: Float64Array;
  layout: OverlapResult['layout'];
  /** Orbital energies (the eigenvectors are not computed: nothing downstream of a prediction reads them). */
  eigen: GeneralizedEigenvalues;
  timingsMs: { predict: number; overlapAndEigen: number };
}

export function predictMolecule(model: HamiltonianModel, structure: Structure, id: string): MoleculePrediction {
  if (isPeriodic(structure)) {
    throw new HamError('E_UNSUPPORTED_ELEMENT', 'periodic structures are not supported by molecular prediction yet', { file: id });
  }
  const t0 = performance.now();
  const graph = model.graph(structure);
  const blocks = model.predictBlocks(model.batch([{ graph }], false), [graph])[0];
  const atomShells = model.atomShells(structure.numbers);
  const H = denseMatrix({ id, structure, atomShells, unit: model.arch.unit, convention: 'wiki', blocks, references: {} }, 'H');
  const t1 = performance.now();
  const { S, n, layout } = overlapMatrix(structure.numbers, structure.positions, loadBasisSet(model.arch.basis));
  const eigen = generalizedEigenvalues(H, S, n);
  const t2 = performance.now();
  return { n, H, S, layout, eigen, timingsMs: { predict: t1 - t0, overlapAndEigen: t2 - t1 } };
}
