/**
 * The trainable parameters of a network, by name: created once with their initialiser, listed for the optimiser,
 * and serialised to / from flat Float32 buffers for model files and checkpoints. Names are stable paths like
 * "layer1/tp/radial/w0", so a checkpoint maps onto a freshly built network of the same architecture.
 */
import * as tf from '../runtime/tf.ts';
import { HamError } from '../contracts/errors.ts';
import type { Rng } from '../runtime/rng.ts';

export interface SerializedParams {
  names: string[];
  shapes: number[][];
  /** Concatenated float32 values of all parameters, in `names` order. */
  data: Float32Array;
}

export class Params {
  private readonly vars = new Map<string, tf.Variable>();

  constructor(private readonly rng: Rng) {}

  /** A parameter drawn from N(0, std²) (std defaults to 1/sqrt(fan-in) of the first axis). */
  normal(name: string, shape: number[], std = 1 / Math.sqrt(shape[0] ?? 1)): tf.Variable {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let k = 0; k < n; k++) v[k] = this.rng.normal() * std;
    return this.add(name, tf.tensor(v, shape));
  }

  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    if (this.vars.has(name)) throw new HamError('E_INTERNAL', `parameter ${name} defined twice`);
    // tfjs variable names are process-global, so let tfjs pick them; ours live in the map.
    const v = tf.variable(init, true);
    init.dispose();
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new HamError('E_INTERNAL', `no parameter ${name}`);
    return v;
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  count(): number {
    return this.variables().reduce((a, v) => a + v.size, 0);
  }

  serialize(): SerializedParams {
    const names = this.names();
    const shapes = names.map((n) => this.get(n).shape);
    const data = new Float32Array(this.count());
    let off = 0;
    for (const n of names) {
      const vals = this.get(n).dataSync() as Float32Array;
      data.set(vals, off);
      off += vals.length;
    }
    return { names, shapes, data };
  }

  /** Overwrite every parameter from a serialised set; names and shapes must match exactly. */
  load(s: SerializedParams, source: string): void {
    const mine = this.names();
    const missing = mine.filter((n) => !s.names.includes(n));
    const extra = s.names.filter((n) => !this.vars.has(n));
    if (missing.length || extra.length) {
      throw new HamError('E_FORMAT', `parameters do not match the architecture (missing: ${missing.slice(0, 3).join(', ') || 'none'}; unexpected: ${extra.slice(0, 3).join(', ') || 'none'})`, { file: source });
    }
    let off = 0;
    s.names.forEach((n, k) => {
      const v = this.get(n);
      const size = s.shapes[k].reduce((a, b) => a * b, 1);
      if (s.shapes[k].join('x') !== v.shape.join('x')) {
        throw new HamError('E_FORMAT', `parameter ${n} has shape ${s.shapes[k].join('×')}, the architecture needs ${v.shape.join('×')}`, { file: source });
      }
      // assign() shares the new tensor's data; the tensor object itself must go, or every load leaks a copy.
      tf.tidy(() => v.assign(tf.tensor(s.data.subarray(off, off + size), v.shape)));
      off += size;
    });
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
