// Post-hoc weight averaging (SWA-style) of a run's snapshots: average epochs >= from, evaluate the validation split.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from './core/runtime/backend.ts';
import { loadModel } from './core/model/model-file.ts';
import { loadDataset } from './core/datasets/load.ts';
import { evaluate } from './core/training/evaluate.ts';
await initBackend('wasm');
const [run, fromArg, toArg] = process.argv.slice(2);
const from = Number(fromArg), to = Number(toArg ?? 1e9);
const snaps = readdirSync(path.join(run, 'snapshots')).map((f) => [Number(f.match(/w-(\d+)/)![1]), f] as const).filter(([e]) => e >= from && e <= to);
const tmpl = path.join(run, 'checkpoints', 'last');
const json = JSON.parse(readFileSync(path.join(tmpl, 'model.json'), 'utf8'));
let acc: Float64Array | undefined;
for (const [, f] of snaps) {
  const b = readFileSync(path.join(run, 'snapshots', f));
  const w = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  acc ??= new Float64Array(w.length);
  w.forEach((v, k) => { acc![k] += v; });
}
const avg = Float32Array.from(acc!, (v) => v / snaps.length);
const dir = mkdtempSync(path.join(os.tmpdir(), 'avg-'));
const bytes = Buffer.from(avg.buffer);
json.parameters.sha256 = createHash('sha256').update(bytes).digest('hex');
writeFileSync(path.join(dir, 'weights.bin'), bytes);
writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
const exclude = process.env.EXCLUDE ? [process.env.EXCLUDE] : undefined;
const runJson = JSON.parse(readFileSync(path.join(run, 'run.json'), 'utf8'));
for (const [label, d] of [['avg', dir], ['best', path.join(run, 'checkpoints', 'best')]] as const) {
  const { model } = loadModel(d);
  const parts: string[] = [];
  for (const data of runJson.request.data as string[]) {
    const ds = await loadDataset(data, { exclude });
    const { splitIndices } = await import('./core/datasets/split.ts');
    const split = splitIndices(ds.samples.length, { unit: 'fraction', val: runJson.request.valFraction, test: 0 }, runJson.request.seed);
    const r = evaluate(model, split.val.map((k: number) => ds.samples[k]));
    parts.push(`${path.basename(data)} ${r.mae_H.toExponential(3)}${r.mae_bands !== undefined ? ` bands ${r.mae_bands.toExponential(3)}` : ''}`);
  }
  console.log(label, label === 'avg' ? `(${snaps.length} snapshots ${snaps.map(([e]) => e).join(',')})` : '', parts.join(' | '));
}
