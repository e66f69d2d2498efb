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
import type { TwoCenterOverlap } from './two-center-overlap.ts';

export class HamiltonianModel {
  readonly types: Map<string, BlockType>;
  readonly params: Params;
  readonly net: HamiltonianNet;
  /** The S(R) head of models whose basis has no analytic overlaps (numerical atomic orbitals). */
  overlap?: TwoCenterOverlap;
  /** Valence electrons per element (atomic number), when the training data implied them: places E_F for crystals. */
  valenceElectrons?: Record<string, number>;

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

  graph(structure: Structure, opts?: { frames?: boolean }): StructureGraph {
    return structureGraph(structure, this.arch, opts);
  }

  batch(inputs: readonly BatchInput[], withTargets: boolean): GraphBatch {
    return makeBatch(inputs, this.arch, this.types, withTargets ? this.normalization : undefined);
  }

  /** Raw (un-normalised) coefficients in plan order of row r of group k, from the network's normalised output. */
  private rawCoefficients(group: GraphBatch['groups'][number], y: Float32Array, r: number): Float64Array {
    const nm = this.normalization.get(group.type.key)!;
    const { netIndex, plan } = group.type;
    const nc = plan.nCoefficients;
    const x = new Float64Array(nc);
    for (let c = 0; c < nc; c++) x[c] = y[r * nc + netIndex[c]] * nm.coefStd[netIndex[c]] + nm.coefMean[netIndex[c]];
    return x;
  }

  /**
   * Predicted blocks for each structure of a batch: every on-site block and every (i, j, R) pair within the cutoff
   * in both directions (the reverse one the transpose), sorted like the datasets' blocks. With `chunk`, edges are
   * processed that many at a time (HamiltonianNet.forwardChunked; the batch may then lack edge frames).
   */
  predictBlocks(batch: GraphBatch, graphs: readonly StructureGraph[], chunk?: number): SampleBlocks[] {
    let coefs: Float32Array[];
    if (chunk !== undefined) coefs = this.net.forwardChunked(batch, chunk);
    else {
      const t = tf.tidy(() => this.net.forward(batch).map((p) => p.coef));
      coefs = t.map((x) => x.dataSync() as Float32Array);
      t.forEach((x) => x.dispose());
    }
    const perStructure: Map<string, Float64Array>[] = graphs.map(() => new Map());
    const edgeStart = new Int32Array(graphs.length + 1);
    graphs.forEach((g, s) => { edgeStart[s + 1] = edgeStart[s] + g.src.length; });
    batch.groups.forEach((g, k) => {
      g.rows.forEach((row, r) => {
        const s = g.sample[r];
        const block = assembleBlock(g.type.plan, this.rawCoefficients(g, coefs[k], r));
        const n0 = batch.nodeOffsets[s];
        if (g.type.onsite) {
          perStructure[s].set(blockKey(row - n0, row - n0, [0, 0, 0]), block);
          return;
        }
        const e = row - edgeStart[s];
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
