/**
 * Runtime microbenchmarks: the numbers that decide how the model batches its work (DESIGN.md §8). On every backend
 * that starts here: per-op overhead, matMul and batchMatMul throughput, gather / scatter-add forward and backward
 * (ours, and the kernels they were chosen over), splitting and concatenating along an inner axis (ours and tfjs'),
 * and what taking a gradient costs.
 *
 *   npx tsx bench/runtime-microbench.ts [tensorflow|wasm|cpu ...]
 *
 * Each figure is the median of timed repetitions after two warm-up runs. One element of each output is read back:
 * that makes asynchronous backends finish, without timing a copy of the whole output out of wasm memory.
 */
import os from 'node:os';
import { concatAlong, splitAlong } from '../core/nn/axis-ops.ts';
import { gatherRows, indexTensor, segmentSum } from '../core/nn/graph-ops.ts';
import { BACKEND_NAMES, initBackend } from '../core/runtime/backend.ts';
import { Rng } from '../core/runtime/rng.ts';
import * as tf from '../core/runtime/tf.ts';

const MIN_TOTAL_MS = 400;
const MIN_REPS = 3;

/** Median wall time in ms of `run`, until its outputs are ready. */
function measure(run: () => tf.TensorContainer): number {
  const once = () => {
    const t0 = performance.now();
    tf.tidy(() => {
      for (const t of [run()].flat()) if (t instanceof tf.Tensor) firstElement(t).dataSync();
    });
    return performance.now() - t0;
  };
  once();
  once();
  const times: number[] = [];
  for (let total = 0; times.length < MIN_REPS || total < MIN_TOTAL_MS; ) {
    times.push(once());
    total += times[times.length - 1];
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

function firstElement(t: tf.Tensor): tf.Tensor {
  return t.rank === 0 ? t : tf.slice(t, new Array<number>(t.rank).fill(0), new Array<number>(t.rank).fill(1));
}

function report(label: string, value: string): void {
  console.log(`  ${label.padEnd(58)} ${value}`);
}

const ms = (t: number) => `${t < 1 ? t.toFixed(3) : t.toFixed(1)} ms`;
const gflops = (flop: number, t: number) => `${(flop / t / 1e6).toFixed(2)} GFLOP/s`;

function perOpOverhead(): void {
  const ops = 1000;
  const one = tf.ones([4]);
  const t = measure(() => {
    let y = one;
    for (let i = 0; i < ops; i++) y = tf.add(y, one);
    return y;
  });
  report(`${ops} chained adds of [4]`, `${ms(t)}  (${((t / ops) * 1000).toFixed(1)} µs/op)`);
  one.dispose();
}

function matMulThroughput(): void {
  const n = 512;
  const a = tf.randomNormal([n, n]);
  const t = measure(() => tf.matMul(a, a as tf.Tensor2D));
  report(`matMul ${n}×${n} @ ${n}×${n}`, `${ms(t)}  ${gflops(2 * n ** 3, t)}`);
  a.dispose();
}

/** The tensor-product shape of the model: per edge a [5, 9] coupling times [9, 32] features. */
function batchMatMulThroughput(): void {
  for (const edges of [300, 3000]) {
    const a = tf.randomNormal([edges, 5, 9]) as tf.Tensor3D;
    const b = tf.randomNormal([edges, 9, 32]) as tf.Tensor3D;
    const dy = tf.randomNormal([edges, 5, 32]);
    const flop = 2 * edges * 5 * 9 * 32;
    const fwd = measure(() => tf.matMul(a, b));
    report(`batchMatMul [${edges},5,9]@[${edges},9,32] forward`, `${ms(fwd)}  ${gflops(flop, fwd)}`);
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D));
    const both = measure(() => grads([a, b], dy));
    report('  forward + backward (both operands)', `${ms(both)}  ${gflops(3 * flop, both)}`);
    const viaBroadcast = measure(() => tf.sum(tf.mul(tf.expandDims(a, 3), tf.expandDims(b, 1)), 2));
    report('  same product as broadcast-multiply + sum (alternative)', ms(viaBroadcast));
    tf.dispose([a, b, dy]);
  }
}

/**
 * Node → edge gathers and edge → node sums: ours forward, and forward + backward for a given upstream gradient; then
 * the kernels they were chosen over, forward only. tf.unsortedSegmentSum runs only on native TensorFlow: the wasm
 * backend lacks the kernel, and the cpu kernel multiplies x by a full-size mask per segment (minutes at 1000 segments).
 */
function gatherScatter(rng: Rng): void {
  const sizes = [
    { rows: 10_000, nodes: 1000, channels: 128 },
    { rows: 300, nodes: 30, channels: 64 },
  ];
  for (const { rows, nodes, channels } of sizes) {
    const label = `${rows} rows × ${channels} ↔ ${nodes} nodes`;
    const idx = indexTensor(Array.from({ length: rows }, () => rng.int(nodes)), nodes);
    const nodeX = tf.randomNormal([nodes, channels]);
    const edgeX = tf.randomNormal([rows, channels]);
    const gatherGrad = tf.grad((x: tf.Tensor) => gatherRows(x, idx));
    const scatterGrad = tf.grad((x: tf.Tensor) => segmentSum(x, idx, nodes));
    report(`gatherRows ${label}: forward`, ms(measure(() => gatherRows(nodeX, idx))));
    report('  forward + backward', ms(measure(() => gatherGrad(nodeX, edgeX))));
    report(`segmentSum ${label}: forward`, ms(measure(() => segmentSum(edgeX, idx, nodes))));
    report('  forward + backward', ms(measure(() => scatterGrad(edgeX, nodeX))));
    const oneRowPerSegment = tf.range(0, rows, 1, 'int32');
    report('  gather kernel: GatherNd', ms(measure(() => tf.gatherND(nodeX, idx))));
    report('  gather kernel: SparseSegmentSum, one row per segment', ms(measure(() => tf.sparse.sparseSegmentSum(nodeX, idx.reshape([-1]) as tf.Tensor1D, oneRowPerSegment))));
    report('  gather kernel: GatherV2 (tf.gather)', ms(measure(() => tf.gather(nodeX, idx.reshape([-1])))));
    report('  scatter-add kernel: ScatterNd', ms(measure(() => tf.scatterND(idx, edgeX, [nodes, channels]))));
    report(
      '  scatter-add kernel: one-hot matMul',
      ms(measure(() => tf.matMul(tf.oneHot(idx.reshape([-1]) as tf.Tensor1D, nodes, 1, 0, 'float32') as tf.Tensor2D, edgeX as tf.Tensor2D, true))),
    );
    if (tf.getBackend() === 'tensorflow') {
      report('  scatter-add kernel: UnsortedSegmentSum', ms(measure(() => tf.unsortedSegmentSum(edgeX, idx.reshape([-1]) as tf.Tensor1D, nodes))));
    }
    tf.dispose([idx, nodeX, edgeX, oneRowPerSegment]);
  }
}

/** Splitting [E, 25, C] features by degree and concatenating them back: tfjs' ops against axis-ops.ts. */
function splitConcat(): void {
  const sizes = [1, 3, 5, 7, 9];
  for (const [E, C] of [[576, 96], [8192, 32]]) {
    const x = tf.randomNormal([E, 25, C]);
    const parts = tf.split(x, sizes, 1);
    report(`split [${E}, 25, ${C}] by l: tf.split`, ms(measure(() => tf.split(x, sizes, 1))));
    report('  splitAlong (transpose + gather)', ms(measure(() => splitAlong(x, sizes, 1))));
    report(`  concat back: tf.concat`, ms(measure(() => tf.concat(parts, 1))));
    report('  concatAlong (transposes + axis-0 concat)', ms(measure(() => concatAlong(parts, 1))));
    tf.dispose([x, ...parts]);
  }
}

/** 200 small ops (100 × multiply-then-sine, then a sum): forward alone, under tf.grad and under tf.variableGrads. */
function gradientOverhead(): void {
  const steps = 100;
  const ops = 2 * steps + 1;
  for (const shape of [[16, 16], [256, 256]]) {
    const scales = Array.from({ length: steps }, (_, i) => tf.scalar(1 + i / 1000));
    const chain = (x: tf.Tensor) => tf.sum(scales.reduce((y, c) => tf.sin(tf.mul(y, c)), x));
    const x = tf.randomNormal(shape);
    const v = tf.variable(x);
    const fwd = measure(() => chain(x));
    const grad = measure(() => tf.grad(chain)(x));
    const vgrad = measure(() => {
      const { value, grads } = tf.variableGrads(() => chain(v) as tf.Scalar, [v]);
      return [value, ...Object.values(grads)];
    });
    const ratio = (t: number) => `${ms(t)}  (${(t / fwd).toFixed(2)}× forward)`;
    report(`200-op graph on [${shape}]: forward`, `${ms(fwd)}  (${((fwd / ops) * 1000).toFixed(1)} µs/op)`);
    report('  tf.grad', ratio(grad));
    report('  tf.variableGrads', ratio(vgrad));
    tf.dispose([...scales, x, v]);
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), tfjs ${tf.version.tfjs}`);
  for (const name of requested.length > 0 ? requested : BACKEND_NAMES) {
    const info = await initBackend(name).catch((e: unknown) => {
      console.log(`\n${name}: not available (${e instanceof Error ? e.message : String(e)})`);
    });
    if (!info) continue;
    console.log(`\n${info.name} (${info.package} ${info.version}; simd ${info.simd}, threads ${info.threads}, gpu ${info.gpu})`);
    const rng = new Rng(7);
    perOpOverhead();
    matMulThroughput();
    batchMatMulThroughput();
    gatherScatter(rng);
    splitConcat();
    gradientOverhead();
  }
}

await main();
