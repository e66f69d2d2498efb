/**
 * A loaded dataset: its samples (always wiki order, see sample.ts) plus what the files said about themselves, so
 * that `dataset info`, training runs and model files can report the source faithfully.
 */
import type { OrbitalConvention } from '../basis/conventions.ts';
import type { EnergyUnit } from '../contracts/units.ts';
import type { HamiltonianSample } from './sample.ts';

export const DATASET_FORMATS = ['matrix-stack', 'deeph-legacy', 'deeph-new'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export interface HamiltonianDataset {
  /** The folder as given. */
  path: string;
  format: DatasetFormat;
  /** Orbital order(s) the files are stored in (distinct values; samples are converted to wiki on reading). */
  fileOrbitalOrders: OrbitalConvention[];
  /** Energy unit of every sample's H. */
  unit: EnergyUnit;
  /** Basis-set name when the files say it (meta.json `basis`, info.json `basis`). */
  basis?: string;
  samples: HamiltonianSample[];
  /** The dataset's own description: meta.json for a matrix stack or a DeepH root that has one, else info.json. */
  metadata: Record<string, unknown>;
}
