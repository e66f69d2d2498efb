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
 * Radial networks: more Bessel functions (n = N+1 … N'; the first N are unchanged, radial.ts) and more hidden units
 * in the radial MLPs (the edge embedding and every SO(2) convolution's radial weights). A grown matrix keeps its
 * trained block; the rows fed by the new inputs (new basis functions, new hidden units) start at zero, so the old
 * units compute what they computed and the new units' outputs are not used yet, while the new columns keep their
 * random start, so the new units compute something and the zero rows receive gradients. New biases start at zero.
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
}

/** Refuses sizes a model of architecture `arch` cannot grow to (checked before a run folder is made). */
export function checkGrowth(arch: Architecture, growth: Growth): void {
  const names = { layers: 'layers', radialBasis: 'radial basis functions', radialHidden: 'radial hidden units' } as const;
  for (const key of ['layers', 'radialBasis', 'radialHidden'] as const) {
    const n = growth[key];
    if (n !== undefined && (!Number.isInteger(n) || n < arch[key])) throw new HamError('E_INPUT', `a model of ${arch[key]} ${names[key]} can grow to more ${names[key]}, not to ${n}`);
  }
}

/** The architecture a growth leads to. */
export function grownArchitecture(arch: Architecture, growth: Growth): Architecture {
  checkGrowth(arch, growth);
  return { ...arch, layers: growth.layers ?? arch.layers, radialBasis: growth.radialBasis ?? arch.radialBasis, radialHidden: growth.radialHidden ?? arch.radialHidden };
}

/** The parameters of layer t whose zero makes it the identity. */
function residualOutputs(t: number, model: HamiltonianModel): string[] {
  const p = `layer${t}`;
  const maps = ['update', 'self', 'edge_out'].flatMap((m) => Array.from({ length: model.arch.lmax + 1 }, (_, l) => `${p}/${m}/w${l}`));
  return model.arch.arch === 'baseline' ? maps : [...maps, `${p}/node_tracegrad/alpha`, `${p}/edge_tracegrad/alpha`];
}

/** A radial parameter grown to `fresh`'s shape: the old block, zero rows below it, fresh columns beside it. */
function embedGrown(old: tf.Tensor, fresh: tf.Tensor): tf.Tensor {
  if (old.rank === 1) return tf.concat([old, tf.zeros([fresh.shape[0] - old.shape[0]])]);
  const [r, c] = old.shape;
  const [R, C] = fresh.shape;
  const top = C > c ? tf.concat([old, fresh.slice([0, c], [r, C - c])], 1) : old;
  return R > r ? tf.concat([top, tf.zeros([R - r, C])], 0) : top;
}

export function growModel(model: HamiltonianModel, growth: Growth, seed: number): HamiltonianModel {
  const grown = new HamiltonianModel(grownArchitecture(model.arch, growth), model.normalization, seed);
  grown.overlap = model.overlap;
  grown.valenceElectrons = model.valenceElectrons;
  for (const name of model.params.names()) {
    const old = model.params.get(name);
    const v = grown.params.get(name);
    if (old.shape.join() === v.shape.join()) { v.assign(old); continue; }
    // Only the radial networks' sizes change; any other shape change would not preserve the function.
    if (!/(^edge_embed\/|\/radial)/.test(name)) throw new HamError('E_INTERNAL', `growth changed the shape of ${name}`);
    tf.tidy(() => v.assign(embedGrown(old, v)));
  }
  for (let t = model.arch.layers; t < grown.arch.layers; t++) {
    for (const name of residualOutputs(t, model)) {
      const v = grown.params.get(name);
      tf.tidy(() => v.assign(tf.zerosLike(v)));
    }
  }
  return grown;
}
