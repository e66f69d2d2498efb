/**
 * Growing a trained model without changing what it computes (function-preserving growth, Net2Net: Chen, Goodfellow
 * & Shlens, ICLR 2016), so training continues from its predictions with more capacity.
 *
 * Depth: the old layers keep their weights and new message-passing layers are appended whose residual updates start
 * at zero. Each layer adds Gate(·) of linear maps to its inputs (hamiltonian-net.ts) and its TraceGrad modules add
 * α·v, so with the node update, self and edge-out maps and both α zero a new layer is the identity (SiLU(0) = 0 and
 * the l > 0 gates multiply zero), while the gradients reaching those maps and α are not zero. The decoders read the
 * last layer's features, which start out unchanged; only the trace head, which reads the last layer's z for the
 * trace loss, starts elsewhere.
 *
 * Width: more Bessel functions (n = N+1 … N'; the first N are unchanged, radial.ts), more hidden units in the radial
 * MLPs (the edge embedding and every SO(2) convolution's radial weights), and more channels per l in every feature.
 * One rule for every grown matrix: its trained entries keep their meaning (each axis maps old indices to new ones,
 * `AxisLayout`), the entries from new inputs (basis functions, hidden units, channels) to old outputs start at zero,
 * so the old units compute what they computed and the new ones are not read yet, and the new outputs keep their random
 * start, so the new units compute something and the zero entries receive gradients. The TraceGrad contractions' new
 * channel rows start at zero too (their invariants s = Σ (fWᵃ)(fWᵇ) are outputs of both), and with them the new
 * channels of v. Grown biases keep their initial values (0, or 1 for the radial gates).
 */
import { HamError } from '../contracts/errors.ts';
import * as tf from '../runtime/tf.ts';
import type { Architecture } from './architecture.ts';
import { HamiltonianModel } from './hamiltonian-model.ts';

/** The grown sizes (absent: unchanged). */
export interface Growth {
  layers?: number;
  radialBasis?: number;
  radialHidden?: number;
  /** Channels per l of the node and edge features. */
  channels?: number;
}

const GROWABLE = ['layers', 'radialBasis', 'radialHidden', 'channels'] as const;

/** Refuses sizes a model of architecture `arch` cannot grow to (checked before a run folder is made). */
export function checkGrowth(arch: Architecture, growth: Growth): void {
  const names = { layers: 'layers', radialBasis: 'radial basis functions', radialHidden: 'radial hidden units', channels: 'channels' } as const;
  for (const key of GROWABLE) {
    const n = growth[key];
    if (n !== undefined && (!Number.isInteger(n) || n < arch[key])) throw new HamError('E_INPUT', `a model of ${arch[key]} ${names[key]} can grow to more ${names[key]}, not to ${n}`);
  }
}

/** The architecture a growth leads to. */
export function grownArchitecture(arch: Architecture, growth: Growth): Architecture {
  checkGrowth(arch, growth);
  const grown = { ...arch };
  for (const key of GROWABLE) grown[key] = growth[key] ?? arch[key];
  return grown;
}

/** The parameters of layer t whose zero makes it the identity. */
function residualOutputs(t: number, model: HamiltonianModel): string[] {
  const p = `layer${t}`;
  const maps = ['update', 'self', 'edge_out'].flatMap((m) => Array.from({ length: model.arch.lmax + 1 }, (_, l) => `${p}/${m}/w${l}`));
  return model.arch.arch === 'baseline' ? maps : [...maps, `${p}/node_tracegrad/alpha`, `${p}/edge_tracegrad/alpha`];
}

/**
 * How an axis of a parameter maps old indices to new: `tail` keeps them (new entries come after: basis functions,
 * hidden units, the f_0 inputs at the end of TraceGrad's MLP input), `channels` spreads channel-innermost blocks
 * (index = block·c + channel, as every (row, channel) packing here is laid out) from c to C channels.
 */
type AxisLayout = 'tail' | 'channels';

/**
 * Each parameter's axes whose layout is `channels` (all others: `tail`), by name. The SO(2) weights pack (m-row,
 * input segment, channel) on rows and (m-row, channel) on columns, the radial gates and the Gate's weights (row or
 * degree, channel) on columns: all channel-innermost.
 */
const CHANNEL_AXES: [RegExp, AxisLayout[]][] = [
  [/^embed$|^edge_embed\/w2$|\/radial1$/, ['tail', 'channels']],
  [/\/(message|edge_conv)\/w(0|[12]_m\d+)$|\/(update|self|edge_out)\/w\d+$|\/(gate|edge_gate)\/wg$/, ['channels', 'channels']],
  [/\/radial_b1$|\/(gate|edge_gate)\/bg$/, ['channels']],
  [/_tracegrad\/w[ab]\d+$|^decoder\//, ['channels', 'tail']],
];

function axisLayouts(name: string, rank: number): AxisLayout[] {
  return CHANNEL_AXES.find(([re]) => re.test(name))?.[1] ?? Array<AxisLayout>(rank).fill('tail');
}

/** The new index of each old index along an axis of length n (c → C channels). */
function axisMap(layout: AxisLayout, n: number, c: number, C: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (layout === 'tail' ? i : Math.floor(i / c) * C + (i % c)));
}

/** `old` grown into `fresh` (the new model's initial value) by the rule above; E_INTERNAL if the layouts do not fit. */
function embedGrown(name: string, old: tf.Tensor, fresh: tf.Tensor, c: number, C: number): Float32Array {
  const layouts = axisLayouts(name, old.rank);
  const maps = old.shape.map((n, a) => axisMap(layouts[a], n, c, C));
  if (layouts.length !== old.rank || maps.some((m, a) => m[m.length - 1] >= fresh.shape[a])) throw new HamError('E_INTERNAL', `growth cannot place ${name} (${old.shape.join('×')} → ${fresh.shape.join('×')})`);
  const out = fresh.dataSync().slice() as Float32Array;
  const src = old.dataSync();
  if (old.rank === 1) {
    maps[0].forEach((to, i) => { out[to] = src[i]; });
    return out;
  }
  const [rows, cols] = old.shape;
  const [R, N] = fresh.shape as [number, number];
  // Old outputs (columns) see nothing of the new inputs: zero them, then put the old block back in place.
  for (const col of maps[1]) for (let r = 0; r < R; r++) out[r * N + col] = 0;
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[maps[0][r] * N + maps[1][k]] = src[r * cols + k];
  return out;
}

export function growModel(model: HamiltonianModel, growth: Growth, seed: number): HamiltonianModel {
  const grown = new HamiltonianModel(grownArchitecture(model.arch, growth), model.normalization, seed);
  grown.overlap = model.overlap;
  grown.valenceElectrons = model.valenceElectrons;
  for (const name of model.params.names()) {
    const old = model.params.get(name);
    const v = grown.params.get(name);
    if (old.shape.join() === v.shape.join()) { v.assign(old); continue; }
    tf.tidy(() => v.assign(tf.tensor(embedGrown(name, old, v, model.arch.channels, grown.arch.channels), v.shape)));
  }
  for (let t = model.arch.layers; t < grown.arch.layers; t++) {
    for (const name of residualOutputs(t, model)) {
      const v = grown.params.get(name);
      tf.tidy(() => v.assign(tf.zerosLike(v)));
    }
  }
  return grown;
}
