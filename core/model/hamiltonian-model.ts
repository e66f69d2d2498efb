/**
 * A trained (or trainable) Hamiltonian model: architecture, block types, target normalisation, parameters and the
 * network, plus prediction into blocks in the model's energy unit and the internal orbital order.
 */
import * as tf from '../runtime/tf.ts';
import { HamError } from '../contracts/errors.ts';
import { atomOrbitalOffsets, blockKey, type SampleBlocks } from '../datasets/sample.ts';
import { Params } from '../nn/params.ts';
import { Rng } from '../runtime/rng.ts';
import { elementSymbol } from '../structure/elements.ts';
import type { Structure } from '../structure/structure.ts';
import type { Architecture } from './architecture.ts';
import { assembleBlock } from './block-plan.ts';
import { blockTypes, type BlockType } from './block-types.ts';
import { makeBatch, structureGraph, type BatchInput, type GraphBatch, type StructureGraph } from './graph-batch.ts';
import { HamiltonianNet } from './hamiltonian-net.ts';
import type { TypeNormalization } from './normalization.ts';

export class HamiltonianModel {
  readonly types: Map<string, BlockType>;
  readonly params: Params;
  readonly net: HamiltonianNet;

  constructor(readonly arch: Architecture, readonly normalization: Map<string, TypeNormalization>, seed = 0) {
    this.types = blockTypes(arch.elements, arch.shells);
    this.params = new Params(new Rng(seed));
    this.net = new HamiltonianNet(arch, this.params, this.types);
  }

  atomShells(numbers: readonly number[]): number[][] {
    return numbers.map((z, a) => {
      const ls = this.arch.shells[String(z)];
      if (!ls) throw new HamError('E_UNSUPPORTED_ELEMENT', `atom ${a + 1} is ${elementSymbol(z)}, which this model does not cover (it covers ${this.arch.elements.map(elementSymbol).join(', ')})`);
      return ls;
    });
  }

  graph(structure: Structure): StructureGraph {
    return structureGraph(structure, this.arch);
  }

  batch(inputs: readonly BatchInput[], withTargets: boolean): GraphBatch {
    return makeBatch(inputs, this.arch, this.types, withTargets ? this.normalization : undefined);
  }

  /** Raw (un-normalised) coefficient vectors in plan order, per group row, from a forward pass. */
  private rawCoefficients(batch: GraphBatch, coefs: tf.Tensor2D[]): Float64Array[][] {
    return batch.groups.map((g, k) => {
      const nm = this.normalization.get(g.type.key)!;
      const nc = g.type.plan.nCoefficients;
      const y = coefs[k].dataSync();
      return Array.from(g.rows, (_, r) => {
        const x = new Float64Array(nc);
        for (let c = 0; c < nc; c++) x[c] = y[r * nc + g.type.netIndex[c]] * nm.coefStd[g.type.netIndex[c]] + nm.coefMean[g.type.netIndex[c]];
        return x;
      });
    });
  }

  /**
   * Predicted blocks for each structure of a batch: every on-site block and every (i, j, R) pair within the cutoff
   * in both directions (the reverse one the transpose), sorted like the datasets' blocks.
   */
  predictBlocks(batch: GraphBatch, graphs: readonly StructureGraph[]): SampleBlocks[] {
    const coefs = tf.tidy(() => this.net.forward(batch).map((p) => p.coef));
    const raw = this.rawCoefficients(batch, coefs);
    coefs.forEach((t) => t.dispose());
    const perStructure: Map<string, Float64Array>[] = graphs.map(() => new Map());
    batch.groups.forEach((g, k) => {
      g.rows.forEach((row, r) => {
        const s = g.sample[r];
        const block = assembleBlock(g.type.plan, raw[k][r]);
        const n0 = batch.nodeOffsets[s];
        if (g.type.onsite) {
          perStructure[s].set(blockKey(row - n0, row - n0, [0, 0, 0]), block);
          return;
        }
        const e = row - edgeOffset(batch, graphs, s);
        const gr = graphs[s];
        const i = gr.dst[e];
        const j = gr.src[e];
        const R = gr.R.subarray(3 * e, 3 * e + 3);
        perStructure[s].set(blockKey(i, j, R), block);
        const t = new Float64Array(block.length);
        const { rows, cols } = g.type.plan;
        for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) t[b * rows + a] = block[a * cols + b];
        perStructure[s].set(blockKey(j, i, [-R[0], -R[1], -R[2]]), t);
      });
    });
    return perStructure.map((m, s) => toSampleBlocks(m, this.atomShells(graphs[s].numbers)));
  }
}

function edgeOffset(batch: GraphBatch, graphs: readonly StructureGraph[], s: number): number {
  let e0 = 0;
  for (let k = 0; k < s; k++) e0 += graphs[k].src.length;
  return e0;
}

function toSampleBlocks(blocks: Map<string, Float64Array>, atomShells: number[][]): SampleBlocks {
  const keys = [...blocks.keys()].map((k) => k.split(',').map(Number)).sort((a, b) => a[3] - b[3] || a[4] - b[4] || a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const off = atomOrbitalOffsets(atomShells);
  const n = keys.length;
  const out: SampleBlocks = { i: new Int32Array(n), j: new Int32Array(n), R: new Int32Array(3 * n), offsets: new Int32Array(n + 1), H: new Float64Array(0) };
  let size = 0;
  keys.forEach(([, , , i, j]) => { size += (off[i + 1] - off[i]) * (off[j + 1] - off[j]); });
  out.H = new Float64Array(size);
  let pos = 0;
  keys.forEach(([r1, r2, r3, i, j], b) => {
    out.i[b] = i; out.j[b] = j; out.R.set([r1, r2, r3], 3 * b); out.offsets[b] = pos;
    const data = blocks.get(`${r1},${r2},${r3},${i},${j}`)!;
    out.H.set(data, pos);
    pos += data.length;
  });
  out.offsets[n] = pos;
  return out;
}
