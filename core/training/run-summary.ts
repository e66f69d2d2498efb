/** Summaries of run folders (run.json + metrics.jsonl) for comparing runs side by side. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import type { EpochMetrics } from './trainer.ts';

export interface RunSummary {
  dir: string;
  arch: string;
  seed: number;
  parameters: number;
  epochs: number;
  bestValMae: number;
  bestEpoch: number;
  lastValMae: number;
  minutes: number;
  structuresPerSecond: number;
  unit: EnergyUnit;
  finished: boolean;
}

export function summarizeRun(dir: string): RunSummary {
  const runFile = path.join(dir, 'run.json');
  if (!existsSync(runFile)) throw new HamError('E_NOT_FOUND', `not a run folder (no run.json)`, { file: dir });
  const run = JSON.parse(readFileSync(runFile, 'utf8')) as { architecture: { arch: string; unit: EnergyUnit }; settings: { seed: number }; parameters: number };
  const metricsFile = path.join(dir, 'metrics.jsonl');
  const metrics: EpochMetrics[] = existsSync(metricsFile)
    ? readFileSync(metricsFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EpochMetrics)
    : [];
  const best = metrics.reduce<EpochMetrics | undefined>((b, m) => (!b || m.valMae < b.valMae ? m : b), undefined);
  const last = metrics[metrics.length - 1];
  const speeds = metrics.map((m) => m.samplesPerSecond).sort((a, b) => a - b);
  return {
    dir, arch: run.architecture.arch, seed: run.settings.seed, parameters: run.parameters, epochs: last?.epoch ?? 0,
    bestValMae: best?.valMae ?? NaN, bestEpoch: best?.epoch ?? 0, lastValMae: last?.valMae ?? NaN,
    minutes: (last?.elapsedSeconds ?? 0) / 60, structuresPerSecond: speeds[Math.floor(speeds.length / 2)] ?? NaN,
    unit: run.architecture.unit, finished: existsSync(path.join(dir, 'model', 'model.json')),
  };
}
