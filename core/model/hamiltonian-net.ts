/**
 * The Hamiltonian network (DESIGN.md §5): an equivariant message-passing network in the family of DeepH-E3 and
 * QHNet with TraceGrad modules, and Wigner–Eckart decoders to on-site and off-site blocks.
 *
 *   x_i ← embedding(Z_i) (scalars);  e_ij ← radial embedding (scalars)
 *   per layer t:
 *     m_ij = Conv_t([x_j, e_ij]; r_ij)                            node messages: SO(2) convolution (so2-convolution.ts)
 *     x_i ← x_i + Gate(W Σ_j m_ij/√n̄ + W' x_i);  x ← TraceGrad(x)
 *     u_ij = Conv'_t([x_i, x_j, e_ij]; r_ij)                      edge update (DeepH-E3 style)
 *     e_ij ← e_ij + Gate(W u_ij);                  e ← TraceGrad(e)
 *   Edge features are kept in each edge's own frame (the SO(2) convolutions' frame): every map applied to them is
 *   equivariant, so it commutes with the rotation, and only the last layer's e_ij are rotated back, for the decoders.
 *   That saves rotating e_ij into the frame twice a layer and u_ij back once (a third of the rotations).
 *   on-site block of atom i: irrep-L outputs of a linear map of x_i, per element; off-site block (i, j, R): of
 *   e_ij, per element pair, predicted in the canonical direction (for equal elements the average of e_ij and the
 *   transposed prediction from e_ji), so H_ji(−R) = H_ij(R)ᵀ exactly. The trace head reads z of the TraceGrad
 *   modules of the last layer.
 * Outputs are normalised Wigner–Eckart coefficients in each type's L-major order (block-types.ts).
 */
import * as tf from '../runtime/tf.ts';
import { HamError } from '../contracts/errors.ts';
import { matMul } from '../nn/matmul.ts';
import type { Architecture } from './architecture.ts';
import { assembleBlock, projectBlock } from './block-plan.ts';
import type { BlockType } from './block-types.ts';
import type { ChunkedBatch, GraphBatch } from './graph-batch.ts';
import { concatAlong, splitAlong } from '../nn/axis-ops.ts';
import { gatherRows, segmentSum, type RowIndex } from '../nn/graph-ops.ts';
import { channelMix, concatChannels, silu, type IrrepFeatures } from '../nn/irrep-features.ts';
import type { Params } from '../nn/params.ts';
import { edgeFrameTensors, rotateFeatures, SO2Convolution, type EdgeFrameTensors } from '../nn/so2-convolution.ts';
import { edgeFrameWigner } from '../nn/edge-frame.ts';
import { TraceGradModule } from '../nn/tracegrad.ts';

export interface GroupPrediction {
  /** Normalised coefficients [rows, nCoefficients]. */
  coef: tf.Tensor2D;
  /** Normalised trace predictions [rows, nShellPairs] (absent for arch "baseline"). */
  trace?: tf.Tensor2D;
}

/** The batch's index and geometry tensors, made once per batch. */
interface BatchTensors {
  species: tf.Tensor2D;
  src: RowIndex;
  dst: RowIndex;
  frame: EdgeFrameTensors;
  rows: RowIndex[];
  reverse: (RowIndex | undefined)[];
}

class RadialMlp {
  private readonly w: tf.Variable[];
  private readonly b: tf.Variable[];
  constructor(params: Params, prefix: string, nIn: number, hidden: number, private readonly nOut: number) {
    this.w = [params.normal(`${prefix}/w0`, [nIn, hidden]), params.normal(`${prefix}/w1`, [hidden, hidden]), params.normal(`${prefix}/w2`, [hidden, nOut])];
    this.b = [params.constant(`${prefix}/b0`, [hidden], 0), params.constant(`${prefix}/b1`, [hidden], 0)];
  }
  apply(rbf: tf.Tensor2D): tf.Tensor2D {
    const h0 = silu(matMul(rbf, this.w[0]).add(this.b[0]));
    const h1 = silu(matMul(h0, this.w[1]).add(this.b[1]));
    return matMul(h1, this.w[2]);
  }
  get outputs(): number { return this.nOut; }
}

/** Per-l channel mixing x_l W_l. */
class IrrepLinear {
  private readonly w: tf.Variable[];
  constructor(params: Params, prefix: string, lmax: number, cIn: number, cOut: number) {
    this.w = Array.from({ length: lmax + 1 }, (_, l) => params.normal(`${prefix}/w${l}`, [cIn, cOut]));
  }
  apply(x: IrrepFeatures): IrrepFeatures {
    return x.map((xl, l) => channelMix(xl, this.w[l] as tf.Tensor2D));
  }
}

/** Gated non-linearity: SiLU on scalars, σ(scalar gates) on each l > 0 (Weiler et al. 2018; e3nn Gate). */
class Gate {
  private readonly wg: tf.Variable;
  private readonly bg: tf.Variable;
  constructor(params: Params, prefix: string, private readonly lmax: number, c: number) {
    this.wg = params.normal(`${prefix}/wg`, [c, lmax * c]);
    this.bg = params.constant(`${prefix}/bg`, [lmax * c], 0);
  }
  apply(x: IrrepFeatures): IrrepFeatures {
    const [rows, , c] = x[0].shape;
    const s = x[0].reshape([rows, c]);
    const gates = tf.sigmoid(matMul(s, this.wg).add(this.bg)).reshape([rows, this.lmax, 1, c]);
    return x.map((xl, l) => (l === 0 ? silu(xl) : xl.mul(gates.slice([0, l - 1, 0, 0], [rows, 1, 1, c]).reshape([rows, 1, c]))) as tf.Tensor3D);
  }
}

const addFeatures = (a: IrrepFeatures, b: IrrepFeatures): IrrepFeatures => a.map((al, l) => al.add(b[l]) as tf.Tensor3D);

/**
 * Gather rows of per-l features (node features onto edges, or a decoder's rows), one gather per l: gathering the
 * concatenation instead needs two regroupings of transposes, each costing as much as a gather.
 */
const gatherFeatures = (x: IrrepFeatures, idx: RowIndex): IrrepFeatures => x.map((xl) => gatherRows(xl, idx));

const segmentSumFeatures = (x: IrrepFeatures, ids: RowIndex, n: number, scale: number): IrrepFeatures => x.map((xl) => segmentSum(xl, ids, n).mul(scale) as tf.Tensor3D);


interface Layer {
  message: SO2Convolution; update: IrrepLinear; self: IrrepLinear; gate: Gate;
  edgeConv: SO2Convolution; edgeOut: IrrepLinear; edgeGate: Gate;
  nodeTg?: TraceGradModule; edgeTg?: TraceGradModule;
}

/** A decoder group's inputs: per l [rows, 2l+1, c], and the reverse edges' for off-site types of one element. */
export interface DecoderInputs {
  rows: IrrepFeatures;
  reverse?: IrrepFeatures;
}

interface Decoder {
  type: BlockType;
  /** Per L: [c, slots_L], absent where the type has no slot. */
  w: (tf.Variable | undefined)[];
  /** L = 0 bias (the normalised mean is zero, but a bias helps types with few samples). */
  trace?: tf.Variable;
  /** For off-site types of one element: the signed permutation taking coefficients of a block to its transpose's. */
  transpose?: tf.Tensor2D;
}

export class HamiltonianNet {
  private readonly embed: tf.Variable;
  private readonly edgeEmbed: RadialMlp;
  private readonly layers: Layer[] = [];
  private readonly decoders = new Map<string, Decoder>();

  constructor(readonly arch: Architecture, readonly params: Params, types: Map<string, BlockType>) {
    const { lmax, channels: c, radialBasis: nR, radialHidden: h } = arch;
    this.embed = params.normal('embed', [arch.elements.length, c], 1);
    this.edgeEmbed = new RadialMlp(params, 'edge_embed', nR, h, c);
    const tgCfg = { lmax, channels: c, ...arch.tracegrad };
    for (let t = 0; t < arch.layers; t++) {
      const p = `layer${t}`;
      this.layers.push({
        message: new SO2Convolution(params, `${p}/message`, lmax, 2 * c, c, nR, h),
        update: new IrrepLinear(params, `${p}/update`, lmax, c, c),
        self: new IrrepLinear(params, `${p}/self`, lmax, c, c),
        gate: new Gate(params, `${p}/gate`, lmax, c),
        edgeConv: new SO2Convolution(params, `${p}/edge_conv`, lmax, 3 * c, c, nR, h),
        edgeOut: new IrrepLinear(params, `${p}/edge_out`, lmax, c, c),
        edgeGate: new Gate(params, `${p}/edge_gate`, lmax, c),
        nodeTg: arch.arch === 'baseline' ? undefined : new TraceGradModule(params, `${p}/node_tracegrad`, tgCfg),
        edgeTg: arch.arch === 'baseline' ? undefined : new TraceGradModule(params, `${p}/edge_tracegrad`, tgCfg),
      });
    }
    for (const [key, type] of types) {
      const w = type.plan.slotsPerL.map((n, L) => (n > 0 ? params.normal(`decoder/${key}/L${L}`, [c, n], 1 / Math.sqrt(c)) : undefined));
      const trace = arch.arch === 'baseline' ? undefined : params.normal(`trace_head/${key}`, [arch.tracegrad.zDim, type.plan.shellPairs.length]);
      const dec: Decoder = { type, w, trace };
      if (!type.onsite && type.zRow === type.zCol) dec.transpose = transposeMatrix(type);
      this.decoders.set(key, dec);
    }
  }

  private tensors(batch: GraphBatch): BatchTensors {
    return {
      species: tf.tensor2d(batch.species, [batch.nNodes, this.arch.elements.length]),
      src: column(batch.src),
      dst: column(batch.dst),
      frame: frameTensors(batch, this.arch),
      rows: batch.groups.map((g) => column(g.rows)),
      reverse: batch.groups.map((g) => (g.reverse ? column(g.reverse) : undefined)),
    };
  }

  /** Initial node features: the species embedding as scalars. */
  private initialNodes(species: tf.Tensor2D): IrrepFeatures {
    const rows = species.shape[0];
    return [matMul(species, this.embed).reshape([rows, 1, this.arch.channels]) as tf.Tensor3D, ...this.zeroIrreps(rows)];
  }

  /** Initial edge features: the radial embedding as scalars. */
  private initialEdges(rbf: tf.Tensor2D): IrrepFeatures {
    const rows = rbf.shape[0];
    return [this.edgeEmbed.apply(rbf).reshape([rows, 1, this.arch.channels]) as tf.Tensor3D, ...this.zeroIrreps(rows)];
  }

  private zeroIrreps(rows: number): tf.Tensor3D[] {
    return Array.from({ length: this.arch.lmax }, (_, k) => tf.zeros([rows, 2 * k + 3, this.arch.channels]) as tf.Tensor3D);
  }

  /** Messages m_ij along edges (source j → destination i) before aggregation; e in the edge frame. */
  private messages(L: Layer, x: IrrepFeatures, e: IrrepFeatures, src: RowIndex, frame: EdgeFrameTensors): IrrepFeatures {
    return L.message.apply(gatherFeatures(x, src), frame, e);
  }

  /** x ← x + Gate(W Σ_j m_ij/√n̄ + W' x), then the node TraceGrad module. */
  private updateNodes(L: Layer, x: IrrepFeatures, agg: IrrepFeatures, useGradient: boolean): { x: IrrepFeatures; z?: tf.Tensor2D } {
    const y = addFeatures(x, L.gate.apply(addFeatures(L.update.apply(agg), L.self.apply(x))));
    if (!L.nodeTg) return { x: y };
    const { f, z } = L.nodeTg.apply(y, useGradient);
    return { x: f, z };
  }

  /**
   * e_ij ← e_ij + Gate(W Conv'([x_i, x_j, e_ij])), then the edge TraceGrad module, all in the edge frame; with
   * `last`, the result is rotated back to the global frame for the decoders.
   */
  private updateEdges(L: Layer, x: IrrepFeatures, e: IrrepFeatures, dst: RowIndex, src: RowIndex, frame: EdgeFrameTensors, useGradient: boolean, last: boolean): { e: IrrepFeatures; z?: tf.Tensor2D } {
    const u = L.edgeConv.apply(concatChannels(gatherFeatures(x, dst), gatherFeatures(x, src)), frame, e, false);
    const y = addFeatures(e, L.edgeGate.apply(L.edgeOut.apply(u)));
    const { f, z } = L.edgeTg ? L.edgeTg.apply(y, useGradient) : { f: y, z: undefined };
    return { e: last ? rotateFeatures(f, frame.DT) : f, z };
  }

  /** Normalised coefficients of a decoder from the features of its rows (and, for one element, of the reverse edges). */
  private decode(dec: Decoder, rows: IrrepFeatures, reverse?: IrrepFeatures): tf.Tensor2D {
    const n = rows[0].shape[0];
    const one = (sel: IrrepFeatures) => tf.concat(dec.w.flatMap((w, Lout) => {
      if (!w) return [];
      const y = channelMix(sel[Lout], w as tf.Tensor2D); // [rows, 2L+1, slots]
      return [y.transpose([0, 2, 1]).reshape([n, -1])];
    }), 1) as tf.Tensor2D;
    const coef = one(rows);
    return dec.transpose && reverse ? (coef.add(matMul(one(reverse), dec.transpose)).mul(0.5) as tf.Tensor2D) : coef;
  }

  /** The message-passing layers: the last layer's node and edge features (e in the global frame) and z. */
  private encode(batch: GraphBatch): { T: BatchTensors; x: IrrepFeatures; e: IrrepFeatures; zNode?: tf.Tensor2D; zEdge?: tf.Tensor2D } {
    const T = this.tensors(batch);
    let x = this.initialNodes(T.species);
    let e = this.initialEdges(T.frame.rbf);
    const useGradient = this.arch.arch === 'tracegrad';
    let zNode: tf.Tensor2D | undefined;
    let zEdge: tf.Tensor2D | undefined;
    const scale = 1 / Math.sqrt(this.arch.avgNeighbors);
    this.layers.forEach((L, t) => {
      const agg = segmentSumFeatures(this.messages(L, x, e, T.src, T.frame), T.dst, batch.nNodes, scale);
      ({ x, z: zNode } = this.updateNodes(L, x, agg, useGradient));
      ({ e, z: zEdge } = this.updateEdges(L, x, e, T.dst, T.src, T.frame, useGradient, t === this.layers.length - 1));
    });
    return { T, x, e, zNode, zEdge };
  }

  /** The features each decoder group reads (its rows, and the reverse edges for one element), in batch.groups order. */
  private groupInputs(batch: GraphBatch, enc: ReturnType<HamiltonianNet['encode']>): DecoderInputs[] {
    return batch.groups.map((g, k) => {
      const feats = g.type.onsite ? enc.x : enc.e;
      const rev = enc.T.reverse[k];
      return { rows: gatherFeatures(feats, enc.T.rows[k]), reverse: rev && gatherFeatures(feats, rev) };
    });
  }

  /** Forward pass: predictions per decoder group of the batch, in batch.groups order. */
  forward(batch: GraphBatch): GroupPrediction[] {
    const enc = this.encode(batch);
    return this.groupInputs(batch, enc).map((input, k) => {
      const g = batch.groups[k];
      const dec = this.decoders.get(g.type.key)!;
      const coef = this.decode(dec, input.rows, input.reverse);
      const z = g.type.onsite ? enc.zNode : enc.zEdge;
      const trace = dec.trace && z ? (matMul(gatherRows(z, enc.T.rows[k]) as tf.Tensor2D, dec.trace) as tf.Tensor2D) : undefined;
      return { coef, trace };
    });
  }

  /** The decoders' inputs alone (decoder-refit.ts fits the linear decoders to them). */
  decoderInputs(batch: GraphBatch): DecoderInputs[] {
    return this.groupInputs(batch, this.encode(batch));
  }

  /**
   * A decoder's linear maps: per L the weight variable [c, slots_L] (absent without slots), and for off-site types of
   * one element the signed permutation P [n, n] with which the reverse edge's coefficients enter (coef = ½(f(x_ij) +
   * f(x_ji) P)), row-major.
   */
  decoderMaps(key: string): { weights: (tf.Variable | undefined)[]; transpose?: Float32Array } {
    const dec = this.decoders.get(key);
    if (!dec) throw new HamError('E_INTERNAL', `no decoder for block type ${key}`);
    return { weights: dec.w, transpose: dec.transpose?.dataSync() as Float32Array | undefined };
  }

  /**
   * Inference on graphs too large for one pass (DESIGN.md §8): the same layers, with edges taken `chunk` at a time.
   * Edge features live in one float32 array between layers (E × (lmax+1)² × c), edge frames are made per chunk
   * from the bond vectors, and the node aggregation is summed over chunks, so memory beyond the O(E) features is
   * bounded by the chunk. Returns the normalised coefficients per decoder group, like forward().coef.
   */
  forwardChunked(batch: ChunkedBatch, chunk: number): Float32Array[] {
    const { lmax, channels: c } = this.arch;
    const width = (lmax + 1) ** 2 * c;
    const sizes = Array.from({ length: lmax + 1 }, (_, l) => 2 * l + 1);
    const E = batch.src.length;
    const useGradient = this.arch.arch === 'tracegrad';
    const scale = 1 / Math.sqrt(this.arch.avgNeighbors);
    const toFeatures = (data: Float32Array, rows: number): IrrepFeatures => splitAlong(tf.tensor3d(data, [rows, (lmax + 1) ** 2, c]), sizes, 1);
    const fromFeatures = (f: IrrepFeatures): Float32Array => concatAlong(f, 1).dataSync() as Float32Array;
    const ranges: [number, number][] = [];
    for (let a = 0; a < E; a += chunk) ranges.push([a, Math.min(E, a + chunk)]);
    const frameOf = ([a, b]: [number, number]): EdgeFrameTensors => {
      return edgeFrameTensors(edgeFrameWigner(batch.vec.subarray(3 * a, 3 * b), b - a, lmax), b - a, lmax,
        tf.tensor2d(batch.rbf.subarray(a * this.arch.radialBasis, b * this.arch.radialBasis), [b - a, this.arch.radialBasis]),
        tf.tensor2d(batch.envelope.subarray(a, b), [b - a, 1]));
    };
    const index = (arr: Int32Array, [a, b]: [number, number]) => column(arr.subarray(a, b));

    const eData = new Float32Array(E * width);
    for (const r of ranges) {
      tf.tidy(() => { eData.set(fromFeatures(this.initialEdges(tf.tensor2d(batch.rbf.subarray(r[0] * this.arch.radialBasis, r[1] * this.arch.radialBasis), [r[1] - r[0], this.arch.radialBasis]))), r[0] * width); });
    }
    let xData = tf.tidy(() => fromFeatures(this.initialNodes(tf.tensor2d(batch.species, [batch.nNodes, this.arch.elements.length]))));
    for (const [t, L] of this.layers.entries()) {
      const agg = new Float32Array(batch.nNodes * width);
      let x = toFeatures(xData, batch.nNodes);
      for (const r of ranges) {
        tf.tidy(() => {
          const m = this.messages(L, x, toFeatures(eData.subarray(r[0] * width, r[1] * width), r[1] - r[0]), index(batch.src, r), frameOf(r));
          const part = segmentSum(tf.concat(m, 1), index(batch.dst, r), batch.nNodes).dataSync();
          for (let k = 0; k < part.length; k++) agg[k] += part[k] * scale;
        });
      }
      xData = tf.tidy(() => fromFeatures(this.updateNodes(L, x, toFeatures(agg, batch.nNodes), useGradient).x));
      tf.dispose(x);
      x = toFeatures(xData, batch.nNodes);
      for (const r of ranges) {
        tf.tidy(() => {
          const e = toFeatures(eData.subarray(r[0] * width, r[1] * width), r[1] - r[0]);
          const y = this.updateEdges(L, x, e, index(batch.dst, r), index(batch.src, r), frameOf(r), useGradient, t === this.layers.length - 1).e;
          eData.set(fromFeatures(y), r[0] * width);
        });
      }
      tf.dispose(x);
    }
    const rowsOf = (data: Float32Array, rows: Int32Array): IrrepFeatures => {
      const out = new Float32Array(rows.length * width);
      rows.forEach((row, k) => out.set(data.subarray(row * width, (row + 1) * width), k * width));
      return toFeatures(out, rows.length);
    };
    return batch.groups.map((g) => {
      const dec = this.decoders.get(g.type.key)!;
      const data = g.type.onsite ? xData : eData;
      const nc = g.type.plan.nCoefficients;
      const out = new Float32Array(g.rows.length * nc);
      for (let a = 0; a < g.rows.length; a += chunk) {
        const b = Math.min(g.rows.length, a + chunk);
        tf.tidy(() => {
          const coef = this.decode(dec, rowsOf(data, g.rows.subarray(a, b)), g.reverse && rowsOf(data, g.reverse.subarray(a, b)));
          out.set(coef.dataSync() as Float32Array, a * nc);
        });
      }
      return out;
    });
  }
}

/** Batch indices (already checked by graph construction) as a RowIndex. */
const column = (values: Int32Array): RowIndex => tf.tensor2d(values, [values.length, 1], 'int32');

function frameTensors(batch: GraphBatch, arch: Architecture): EdgeFrameTensors {
  if (!batch.frame) throw new HamError('E_INTERNAL', 'a batch without edge frames is for forwardChunked');
  return edgeFrameTensors(batch.frame, batch.nEdges, arch.lmax, tf.tensor2d(batch.rbf, [batch.nEdges, arch.radialBasis]), tf.tensor2d(batch.envelope, [batch.nEdges, 1]));
}

/**
 * The signed permutation P (network order, row vector convention: x_transposed = x P) that maps the coefficients of
 * a block between shells of one element to those of its transpose, found numerically from the plan so it cannot
 * disagree with the CG sign convention.
 */
function transposeMatrix(type: BlockType): tf.Tensor2D {
  const { plan, netIndex } = type;
  const n = plan.nCoefficients;
  const P = new Float32Array(n * n);
  const unit = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    unit.fill(0);
    unit[k] = 1;
    const block = assembleBlock(plan, unit);
    const t = new Float64Array(block.length);
    for (let r = 0; r < plan.rows; r++) for (let col = 0; col < plan.cols; col++) t[col * plan.rows + r] = block[r * plan.cols + col];
    const y = projectBlock(plan, t);
    y.forEach((v, j) => { if (v !== 0) P[netIndex[k] * n + netIndex[j]] = v; });
  }
  return tf.tensor2d(P, [n, n]);
}
