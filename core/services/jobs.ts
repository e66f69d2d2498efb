/**
 * What the services need of a job runner (DESIGN.md §2, §6): long work — training, fine-tuning — runs in a separate
 * process the main process supervises (main/jobs/supervisor.ts), never in the one that answers the renderer. The
 * services prepare a run's inputs and its `hamstudio` command line; the runner owns processes and the run store.
 */
import type { RunInfo, RunKind } from '../contracts/api.ts';

export interface JobSpec {
  kind: RunKind;
  title: string;
  /** The hamstudio command and its arguments, without --out (the runner gives each run its own folder). */
  args: string[];
  /** Files to place in the run folder before it starts (e.g. the structure to fine-tune on), name → text. */
  files?: Record<string, string>;
  /** Epoch budget, for progress. */
  epochs?: number;
}

export interface JobRunner {
  start(spec: JobSpec): RunInfo;
  list(): RunInfo[];
  cancel(id: string): RunInfo;
  resume(id: string): RunInfo;
  /** The folder a finished run's model is registered from (a training run's folder, a fine-tuning's model/). */
  modelSource(id: string): string;
}
