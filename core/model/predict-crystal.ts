/**
 * A crystal's predicted H(R) with its S(R) (DESIGN.md §4, §5): every on-site block and every (i, j, R) pair within
 * the model's cutoff, H_ji(−R) = H_ij(R)ᵀ exactly, as a HamiltonianSample in the model's unit and wiki order. S(R)
 * comes from the model's overlap head, or from the user's DFT output when given (the metadata says which).
 */
import { HamError } from '../contracts/errors.ts';
import { blockIndex, blockKey, type HamiltonianSample, type SampleBlocks } from '../datasets/sample.ts';
import { isPeriodic, type Structure } from '../structure/structure.ts';
import type { HamiltonianModel } from './hamiltonian-model.ts';
import { overlapBlocks } from './two-center-overlap.ts';

/** Edges per chunk of the network's inference: bounds its working memory (a few hundred MB) for any cell size. */
export const EDGE_CHUNK = 8192;

/**
 * Consecutive groups of at most `batchSize` items and, beyond the first item of a group, EDGE_CHUNK edges: a batch
 * of crystal cells (about a thousand edges each) stays within the memory of one chunk of crystal inference, where
 * sixteen cells at once outgrew the wasm heap with a three-layer model. A single larger item is a group of its own
 * (predict it with `chunk`). Lazy: each group is yielded once the next item does not fit.
 */
export function* edgeBoundedGroups<T>(items: Iterable<T>, edgesOf: (item: T) => number, batchSize: number): Generator<T[]> {
  let group: T[] = [];
  let edges = 0;
  for (const item of items) {
    const n = edgesOf(item);
    if (group.length > 0 && (group.length >= batchSize || edges + n > EDGE_CHUNK)) {
      yield group;
      group = [];
      edges = 0;
    }
    group.push(item);
    edges += n;
  }
  if (group.length > 0) yield group;
}

export type OverlapSource = 'predicted (two-centre overlap head of the model)' | 'user-supplied';

export interface CrystalPrediction {
  sample: HamiltonianSample;
  overlap: OverlapSource;
  timingsMs: { graph: number; predict: number; overlap: number };
}

/** S for the predicted blocks taken from the user's DFT blocks; every predicted block must be among them. */
export function suppliedOverlap(blocks: SampleBlocks, user: SampleBlocks): Float64Array {
  if (!user.S) throw new HamError('E_INPUT', 'the user-supplied data have no overlaps (overlaps.h5)');
  const index = blockIndex(user);
  const S = new Float64Array(blocks.H.length);
  for (let b = 0; b < blocks.i.length; b++) {
    const key = blockKey(blocks.i[b], blocks.j[b], blocks.R.subarray(3 * b, 3 * b + 3));
    const u = index.get(key);
    if (u === undefined) continue; // beyond the DFT code's own overlap range: S is zero there
    S.set(user.S.subarray(user.offsets[u], user.offsets[u + 1]), blocks.offsets[b]);
  }
  return S;
}

export function predictCrystal(model: HamiltonianModel, structure: Structure, id: string, user?: SampleBlocks): CrystalPrediction {
  if (!isPeriodic(structure) || !structure.cell) throw new HamError('E_INPUT', 'a crystal needs a cell and periodic axes', { file: id });
  if (!user && !model.overlap) {
    throw new HamError('E_INPUT', `this model (${model.arch.basis}) has no overlap head — its basis has analytic overlaps, it is for molecules — and no S(R) was supplied (--overlap)`, { file: id });
  }
  const t0 = performance.now();
  const atomShells = model.atomShells(structure.numbers);
  const graph = model.graph(structure, { frames: false });
  const t1 = performance.now();
  const blocks = model.predictBlocks(model.batch([{ graph }], false), [graph], EDGE_CHUNK)[0];
  const t2 = performance.now();
  blocks.S = user ? suppliedOverlap(blocks, user) : overlapBlocks(model.overlap!, structure, atomShells, blocks);
  const t3 = performance.now();
  return {
    sample: { id, structure, atomShells, unit: model.arch.unit, convention: 'wiki', blocks, references: {} },
    overlap: user ? 'user-supplied' : 'predicted (two-centre overlap head of the model)',
    timingsMs: { graph: t1 - t0, predict: t2 - t1, overlap: t3 - t2 },
  };
}
