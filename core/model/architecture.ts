/**
 * The network's architecture as stored in model.json and given by `--config` (DESIGN.md §5). Everything that
 * determines the parameter shapes lives here; training settings live in the run configuration.
 */
import { HamError } from '../contracts/errors.ts';
import type { EnergyUnit } from '../contracts/units.ts';

export const ARCHS = ['baseline', 'trace', 'tracegrad'] as const;
/** The paper's ablation: the equivariant network alone; plus trace supervision; plus the gradient mechanism. */
export type Arch = (typeof ARCHS)[number];

export interface Architecture {
  arch: Arch;
  /** Atomic numbers the model covers, in species order. */
  elements: number[];
  /** l of each shell per atomic number (the basis the model predicts in). */
  shells: Record<string, number[]>;
  /** Basis-set name, e.g. "def2-SVP" or "dzp (GPAW)". */
  basis: string;
  unit: EnergyUnit;
  /** Highest l of the hidden features (must reach 2·(highest shell l) for the decoders). */
  lmax: number;
  /** Highest l of the edge spherical harmonics. */
  shLmax: number;
  /** Channels per l. */
  channels: number;
  layers: number;
  /** Neighbour cutoff, Å. */
  cutoff: number;
  radialBasis: number;
  radialHidden: number;
  /** Mean number of neighbours used to scale aggregated messages (set from the training data). */
  avgNeighbors: number;
  tracegrad: { invariants: number; hidden: number; zDim: number; alphaInit: number };
}

export const DEFAULT_ARCHITECTURE: Omit<Architecture, 'elements' | 'shells' | 'basis' | 'unit' | 'avgNeighbors'> = {
  arch: 'tracegrad',
  lmax: 4,
  shLmax: 4,
  channels: 32,
  layers: 3,
  cutoff: 5,
  radialBasis: 8,
  radialHidden: 64,
  tracegrad: { invariants: 8, hidden: 32, zDim: 16, alphaInit: 0.1 },
};

/** Check an architecture read from a file; names the key that is wrong. */
export function validateArchitecture(a: Architecture, file: string): Architecture {
  const bad = (key: string, what: string): never => { throw new HamError('E_FORMAT', `${what}`, { file, key }); };
  if (!(ARCHS as readonly string[]).includes(a.arch)) bad('arch', `arch must be one of ${ARCHS.join(', ')}, got '${a.arch}'`);
  for (const key of ['lmax', 'shLmax', 'channels', 'layers', 'radialBasis', 'radialHidden'] as const) {
    if (!Number.isInteger(a[key]) || a[key] < (key === 'lmax' || key === 'shLmax' ? 0 : 1)) bad(key, `${key} must be a positive integer, got ${a[key]}`);
  }
  if (!(a.cutoff > 0)) bad('cutoff', `cutoff must be a positive length in Å, got ${a.cutoff}`);
  const maxShellL = Math.max(...Object.values(a.shells).flat());
  if (a.lmax < 2 * maxShellL) bad('lmax', `lmax ${a.lmax} cannot represent blocks between shells of l = ${maxShellL} (needs ${2 * maxShellL})`);
  if (a.lmax > 6 || a.shLmax > 6) bad('lmax', 'lmax and shLmax are limited to 6');
  for (const z of a.elements) if (!a.shells[String(z)]) bad('shells', `no shells for element Z=${z}`);
  return a;
}
