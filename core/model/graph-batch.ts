/**
 * Batches of structures as one disjoint graph (DESIGN.md §5, §8): nodes are atoms, edges every ordered pair
 * (i, j, R) within the cutoff, messages flowing from j (source) to i (destination) along r_ij = r_j + R·cell − r_i.
 * Everything that depends only on geometry — radial basis, the tensor product's geometric factors, which edges and
 * nodes feed which block-type decoder, the edge frames of the SO(2) convolutions — is computed here in float64 on
 * the CPU, once per structure (cached), so the network sees a few large tensors per batch.
 */
import { HamError } from '../contracts/errors.ts';
import { blockData, blockIndex, blockKey, type HamiltonianSample } from '../datasets/sample.ts';
import { edgeFrameWigner } from '../nn/edge-frame.ts';
import { besselBasis, envelope } from '../nn/radial.ts';
import { elementSymbol } from '../structure/elements.ts';
import { neighborList } from '../structure/neighbors.ts';
import type { Structure } from '../structure/structure.ts';
import type { Architecture } from './architecture.ts';
import { offsiteKey, onsiteKey, type BlockType } from './block-types.ts';
import { isCanonicalPair } from './canonical-blocks.ts';
import { blockTargets, type TypeNormalization } from './normalization.ts';

/** The geometry of one structure's graph. */
export interface StructureGraph {
  numbers: number[];
  src: Int32Array;
  dst: Int32Array;
  R: Int32Array;
  reverse: Int32Array;
  /** Bond vectors r_j + R·cell − r_i, Å, [E, 3]. */
  vec: Float64Array;
  rbf: Float32Array;
  envelope: Float32Array;
  /** m-major edge-frame Wigner matrices [E, (lmax+1)², (lmax+1)²]; absent for chunked inference (made per chunk). */
  frame?: Float32Array;
}

/** `frames: false` leaves the edge frames to be made per chunk (large structures, HamiltonianNet.forwardChunked). */
export function structureGraph(structure: Structure, arch: Architecture, opts: { frames?: boolean } = {}): StructureGraph {
  for (const [a, z] of structure.numbers.entries()) {
    if (!arch.elements.includes(z)) {
      throw new HamError('E_UNSUPPORTED_ELEMENT', `atom ${a + 1} is ${elementSymbol(z)}, which this model does not cover (it covers ${arch.elements.map(elementSymbol).join(', ')})`);
    }
  }
  const nl = neighborList(structure, arch.cutoff);
  const E = nl.i.length;
  const index = new Map<string, number>();
  for (let e = 0; e < E; e++) index.set(blockKey(nl.i[e], nl.j[e], nl.R.subarray(3 * e, 3 * e + 3)), e);
  const reverse = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const r = index.get(blockKey(nl.j[e], nl.i[e], [-nl.R[3 * e], -nl.R[3 * e + 1], -nl.R[3 * e + 2]]));
    if (r === undefined) throw new HamError('E_INTERNAL', 'neighbour list is not symmetric');
    reverse[e] = r;
  }
  return {
    numbers: structure.numbers,
    src: nl.j,
    dst: nl.i,
    R: nl.R,
    reverse,
    vec: nl.vec,
    rbf: besselBasis(nl.dist, arch.cutoff, arch.radialBasis),
    envelope: Float32Array.from(nl.dist, (d) => envelope(d / arch.cutoff)),
    frame: opts.frames === false ? undefined : edgeFrameWigner(nl.vec, E, arch.lmax),
  };
}

/** Nodes or edges feeding one block type's decoder, with their targets when training. */
export interface DecoderGroup {
  type: BlockType;
  /** Node (on-site) or canonical-edge (off-site) indices into the batch. */
  rows: Int32Array;
  /** Off-site types of one element: the reverse edge of each row (the two directions are averaged). */
  reverse?: Int32Array;
  /** Which structure and stored block each row predicts (-1 when the data have no such block). */
  sample: Int32Array;
  block: Int32Array;
  /** Normalised targets [rows, nCoefficients] and [rows, nShellPairs] (rows without a stored block excluded). */
  coef?: Float32Array;
  trace?: Float32Array;
  /** Loss weight of each coefficient [nCoefficients] (see lossWeights). */
  weight?: Float32Array;
}

/**
 * Loss weights w = σ_group / σ̄ (σ̄ the count-weighted mean σ of all coefficients): the squared error of normalised
 * coefficients weighted by σ is, in raw units, Σ σ ε²_raw/σ², half-way between equalising every group (w = 1) and
 * raw MSE (w = σ²), so groups count roughly in proportion to their share of the entrywise MAE.
 */
export function lossWeights(norm: Map<string, TypeNormalization>): Map<string, Float32Array> {
  let sum = 0;
  let count = 0;
  for (const n of norm.values()) for (const s of n.coefStd) { sum += s * n.count; count += n.count; }
  const mean = count > 0 ? sum / count : 1;
  return new Map([...norm].map(([k, n]) => [k, Float32Array.from(n.coefStd, (s) => s / mean)]));
}

export interface GraphBatch {
  nStructures: number;
  nNodes: number;
  nEdges: number;
  nodeOffsets: Int32Array;
  species: Float32Array;
  src: Int32Array;
  dst: Int32Array;
  vec: Float64Array;
  rbf: Float32Array;
  envelope: Float32Array;
  /** Edge frames of every edge; absent when the batch is for HamiltonianNet.forwardChunked. */
  frame?: Float32Array;
  groups: DecoderGroup[];
}

/** A batch whose edge frames are made chunk by chunk. */
export type ChunkedBatch = Omit<GraphBatch, 'frame'>;

export interface BatchInput {
  graph: StructureGraph;
  /** The labelled sample when training or evaluating. */
  sample?: HamiltonianSample;
}

export function makeBatch(
  inputs: readonly BatchInput[], arch: Architecture, types: Map<string, BlockType>,
  norm?: Map<string, TypeNormalization>,
): GraphBatch {
  const nNodes = inputs.reduce((a, x) => a + x.graph.numbers.length, 0);
  const nEdges = inputs.reduce((a, x) => a + x.graph.src.length, 0);
  const nSpecies = arch.elements.length;
  const species = new Float32Array(nNodes * nSpecies);
  const src = new Int32Array(nEdges);
  const dst = new Int32Array(nEdges);
  const rbf = new Float32Array(nEdges * arch.radialBasis);
  const env = new Float32Array(nEdges);
  const dim2 = (arch.lmax + 1) ** 4;
  const withFrames = inputs.every((x) => x.graph.frame);
  const frame = withFrames ? new Float32Array(nEdges * dim2) : undefined;
  const vec = new Float64Array(nEdges * 3);
  const nodeOffsets = new Int32Array(inputs.length + 1);
  const rows = new Map<string, { rows: number[]; reverse: number[]; sample: number[]; block: number[] }>();
  const add = (key: string, row: number, rev: number, s: number, b: number) => {
    const g = rows.get(key) ?? { rows: [], reverse: [], sample: [], block: [] };
    g.rows.push(row); g.reverse.push(rev); g.sample.push(s); g.block.push(b);
    rows.set(key, g);
  };
  let n0 = 0;
  let e0 = 0;
  inputs.forEach(({ graph, sample }, s) => {
    nodeOffsets[s] = n0;
    const z = graph.numbers;
    const stored = sample ? blockIndex(sample.blocks) : undefined;
    z.forEach((zi, a) => {
      species[(n0 + a) * nSpecies + arch.elements.indexOf(zi)] = 1;
      add(onsiteKey(zi), n0 + a, -1, s, stored ? stored.get(blockKey(a, a, [0, 0, 0])) ?? -1 : -1);
    });
    const E = graph.src.length;
    for (let e = 0; e < E; e++) {
      src[e0 + e] = n0 + graph.src[e];
      dst[e0 + e] = n0 + graph.dst[e];
      const i = graph.dst[e];
      const j = graph.src[e];
      if (isCanonicalPair(z[i], z[j], i, j, graph.R, 3 * e)) {
        const b = stored ? stored.get(blockKey(i, j, graph.R.subarray(3 * e, 3 * e + 3))) ?? -1 : -1;
        add(offsiteKey(z[i], z[j]), e0 + e, e0 + graph.reverse[e], s, b);
      }
    }
    rbf.set(graph.rbf, e0 * arch.radialBasis);
    env.set(graph.envelope, e0);
    frame?.set(graph.frame!, e0 * dim2);
    vec.set(graph.vec, e0 * 3);
    n0 += z.length;
    e0 += E;
  });
  nodeOffsets[inputs.length] = n0;

  const weights = norm ? lossWeights(norm) : undefined;
  const groups: DecoderGroup[] = [];
  for (const [key, g] of rows) {
    const type = types.get(key)!;
    // Training keeps only rows with a stored reference block; prediction keeps every row.
    const keep = norm ? g.block.map((b, k) => (b >= 0 ? k : -1)).filter((k) => k >= 0) : g.rows.map((_, k) => k);
    if (keep.length === 0) continue;
    const group: DecoderGroup = {
      type,
      rows: Int32Array.from(keep, (k) => g.rows[k]),
      sample: Int32Array.from(keep, (k) => g.sample[k]),
      block: Int32Array.from(keep, (k) => g.block[k]),
    };
    if (!type.onsite && type.zRow === type.zCol) group.reverse = Int32Array.from(keep, (k) => g.reverse[k]);
    if (norm) {
      const nm = norm.get(key)!;
      const nc = type.plan.nCoefficients;
      const np = type.plan.shellPairs.length;
      group.coef = new Float32Array(keep.length * nc);
      group.trace = new Float32Array(keep.length * np);
      group.weight = weights!.get(key);
      keep.forEach((k, r) => {
        const t = blockTargets(type, blockData(inputs[g.sample[k]].sample!.blocks, 'H', g.block[k]));
        for (let c = 0; c < nc; c++) group.coef![r * nc + c] = (t.coef[c] - nm.coefMean[c]) / nm.coefStd[c];
        for (let p = 0; p < np; p++) group.trace![r * np + p] = (t.trace[p] - nm.traceMean[p]) / nm.traceStd[p];
      });
    }
    groups.push(group);
  }
  groups.sort((a, b) => (a.type.key < b.type.key ? -1 : 1));
  return { nStructures: inputs.length, nNodes, nEdges, nodeOffsets, species, src, dst, vec, rbf, envelope: env, frame, groups };
}
