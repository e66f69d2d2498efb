/**
 * Growing a trained model deeper without changing what it computes (function-preserving growth, Net2Net: Chen,
 * Goodfellow & Shlens, ICLR 2016): the old layers keep their weights and new message-passing layers are appended
 * whose residual updates start at zero. Each layer adds Gate(·) of linear maps to its inputs (hamiltonian-net.ts)
 * and its TraceGrad modules add α·v, so with the node update, self and edge-out maps and both α zero a new layer is
 * the identity (SiLU(0) = 0 and the l > 0 gates multiply zero), while the gradients reaching those maps and α are
 * not zero, so training moves them. The decoders read the last layer's features, which start out unchanged; only
 * the trace head, which reads the last layer's z for the trace loss, starts elsewhere.
 */
import { HamError } from '../contracts/errors.ts';
import * as tf from '../runtime/tf.ts';
import { HamiltonianModel } from './hamiltonian-model.ts';

/** The parameters of layer t whose zero makes it the identity. */
function residualOutputs(t: number, model: HamiltonianModel): string[] {
  const p = `layer${t}`;
  const maps = ['update', 'self', 'edge_out'].flatMap((m) => Array.from({ length: model.arch.lmax + 1 }, (_, l) => `${p}/${m}/w${l}`));
  return model.arch.arch === 'baseline' ? maps : [...maps, `${p}/node_tracegrad/alpha`, `${p}/edge_tracegrad/alpha`];
}

/** Refuses a layer count a model of `old` layers cannot grow to (checked before a run folder is made). */
export function checkGrowth(old: number, layers: number): void {
  if (!Number.isInteger(layers) || layers < old) throw new HamError('E_INPUT', `a model of ${old} layers can grow to more layers, not to ${layers}`);
}

export function growLayers(model: HamiltonianModel, layers: number, seed: number): HamiltonianModel {
  const old = model.arch.layers;
  checkGrowth(old, layers);
  const grown = new HamiltonianModel({ ...model.arch, layers }, model.normalization, seed);
  grown.overlap = model.overlap;
  grown.valenceElectrons = model.valenceElectrons;
  for (const name of model.params.names()) grown.params.get(name).assign(model.params.get(name));
  for (let t = old; t < layers; t++) {
    for (const name of residualOutputs(t, model)) {
      const v = grown.params.get(name);
      tf.tidy(() => v.assign(tf.zerosLike(v)));
    }
  }
  return grown;
}
