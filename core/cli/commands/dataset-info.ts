/**
 * `hamstudio dataset info <folder>`: what a dataset folder holds — the layout detected, structures, elements and
 * basis, units and orbital order of the files, orbitals, blocks, graph edges within a cutoff, and the statistics
 * of H per element pair and shell pair (core/datasets/statistics.ts) that training normalises with.
 */
import { conventionDescription, type OrbitalConvention } from '../../basis/conventions.ts';
import { datasetStatistics, type DatasetStatistics, type ShellPairStatistics } from '../../datasets/statistics.ts';
import { loadDataset, type LoadedDataset } from '../../datasets/load.ts';
import { isOnsite, orbitalCount, type HamiltonianSample } from '../../datasets/sample.ts';
import { elementSymbol } from '../../structure/elements.ts';
import { neighborList } from '../../structure/neighbors.ts';
import { isPeriodic } from '../../structure/structure.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const NAME = 'dataset info';
const DEFAULT_CUTOFF = 5;
const L_LETTERS = 'spdfghik';

const USAGE = `Usage: hamstudio dataset info <folder> [--cutoff Å] [--json]

Detects the layout of a dataset folder (matrix stack, legacy DeepH folder or root of folders, DeepH-dock) and
prints its structures, elements, basis shells, units, the orbital order of the files, orbitals and blocks per
structure, graph edges within the cutoff, and statistics of H per element pair and shell pair.

Options:
  --cutoff Å   radius for counting graph edges (default ${DEFAULT_CUTOFF} Å; periodic images included for crystals)
  --json       print one JSON object instead of the text report`;

interface Range {
  min: number;
  max: number;
  mean: number;
  total: number;
}

function range(values: number[]): Range {
  const total = values.reduce((a, v) => a + v, 0);
  return { min: Math.min(...values), max: Math.max(...values), mean: values.length ? total / values.length : 0, total };
}

function formatRange(r: Range): string {
  return r.min === r.max ? `${r.min}` : `${r.min}–${r.max} (mean ${r.mean.toFixed(1)})`;
}

/** Chemical formula in Hill order (C, H, then alphabetical). */
function formula(numbers: number[]): string {
  const counts = new Map<string, number>();
  for (const z of numbers) counts.set(elementSymbol(z), (counts.get(elementSymbol(z)) ?? 0) + 1);
  const hill = [...counts.keys()].sort((a, b) => {
    const rank = (s: string) => (s === 'C' ? 0 : s === 'H' && counts.has('C') ? 1 : 2);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  return hill.map((s) => `${s}${counts.get(s) === 1 ? '' : counts.get(s)}`).join('');
}

export interface DatasetSummary {
  path: string;
  format: string;
  dataFolder: string;
  skippedFolders: string[];
  structures: number;
  elements: string[];
  formula?: string;
  atoms: Range;
  basis?: string;
  shells: Record<string, number[]>;
  unit: string;
  fileOrbitalOrders: OrbitalConvention[];
  orbitals: Range;
  blocks: { onsite: Range; offsite: Range };
  edges: { cutoff: number; method: string; perStructure: Range };
  statistics: DatasetStatistics;
}

export function summarizeDataset(ds: LoadedDataset, cutoff: number): DatasetSummary {
  const { samples } = ds;
  const zs = [...new Set(samples.flatMap((s) => s.structure.numbers))].sort((a, b) => a - b);
  const shells: Record<string, number[]> = {};
  for (const z of zs) {
    const s = samples.find((x) => x.structure.numbers.includes(z)) as HamiltonianSample;
    shells[elementSymbol(z)] = s.atomShells[s.structure.numbers.indexOf(z)];
  }
  const sameAtoms = samples.every((s) => s.structure.numbers.join() === samples[0].structure.numbers.join());
  const onsite = samples.map((s) => s.blocks.i.reduce((n, _, b) => n + (isOnsite(s.blocks, b) ? 1 : 0), 0));
  const edges = samples.map((s) => neighborList(s.structure, cutoff).i.length);
  return {
    path: ds.path,
    format: ds.format,
    dataFolder: ds.layout.dir,
    skippedFolders: ds.layout.skipped,
    structures: samples.length,
    elements: zs.map(elementSymbol),
    formula: sameAtoms && samples.length > 0 ? formula(samples[0].structure.numbers) : undefined,
    atoms: range(samples.map((s) => s.structure.numbers.length)),
    basis: ds.basis,
    shells,
    unit: ds.unit,
    fileOrbitalOrders: ds.fileOrbitalOrders,
    orbitals: range(samples.map(orbitalCount)),
    blocks: { onsite: range(onsite), offsite: range(samples.map((s, k) => s.blocks.i.length - onsite[k])) },
    edges: {
      cutoff,
      method: samples.some((s) => isPeriodic(s.structure)) ? 'ordered pairs (i, j, R) incl. periodic images, cell-list neighbour search'
        : 'ordered atom pairs i ≠ j, cell-list neighbour search',
      perStructure: range(edges),
    },
    statistics: datasetStatistics(samples, 'H'),
  };
}

function fmt(x: number): string {
  return x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(3);
}

/** Rows (Z_j, Z_i, l_b, l_a) repeat (Z_i, Z_j, l_a, l_b) transposed; the text report shows one of each. */
function canonical(r: ShellPairStatistics): boolean {
  return r.zi < r.zj || (r.zi === r.zj && r.la <= r.lb);
}

function statisticsTable(st: DatasetStatistics): string[] {
  const header = ['pair', 'l', 'site', 'blocks', 'mean', 'std', 'mean ‖B‖²', 'std ‖B‖²'];
  const rows = st.shellPairs.filter(canonical).map((r) => [
    `${elementSymbol(r.zi)}-${elementSymbol(r.zj)}`, `${L_LETTERS[r.la]}-${L_LETTERS[r.lb]}`, r.onsite ? 'on' : 'off',
    String(r.blocks), fmt(r.entries.mean), fmt(r.entries.std), fmt(r.frobenius2.mean), fmt(r.frobenius2.std),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `  ${cells.map((v, c) => (c < 3 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ')}`;
  return [line(header), ...rows.map(line)];
}

export function formatSummary(s: DatasetSummary): string {
  const orbitalsOf = (ls: number[]) => ls.reduce((a, l) => a + 2 * l + 1, 0);
  const unitWord = s.unit === 'hartree' ? 'Hartree' : s.unit;
  const lines = [
    `dataset      ${s.path}${s.dataFolder !== s.path ? ` (data in ${s.dataFolder})` : ''}`,
    `format       ${s.format}`,
    `structures   ${s.structures}${s.skippedFolders.length ? ` (sub-folders not in the layout, skipped: ${s.skippedFolders.join(', ')})` : ''}`,
    `elements     ${s.elements.join(', ')}${s.formula ? `; every structure ${s.formula}` : ''} (${formatRange(s.atoms)} atoms)`,
    `basis        ${s.basis ?? 'not named by the files'}`,
    `shells       ${Object.entries(s.shells).map(([el, ls]) => `${el}: ${ls.map((l) => L_LETTERS[l]).join(' ')} (${orbitalsOf(ls)})`).join('; ')}`,
    `units        H in ${unitWord}, S dimensionless, positions Å`,
    `file order   ${s.fileOrbitalOrders.map((o) => `${o} — ${conventionDescription(o)}`).join('; ')}; read into wiki order`,
    `orbitals     ${formatRange(s.orbitals)} per structure`,
    `blocks       on-site ${formatRange(s.blocks.onsite)}, off-site ${formatRange(s.blocks.offsite)} per structure; ${s.blocks.onsite.total + s.blocks.offsite.total} in all`,
    `edges        ${formatRange(s.edges.perStructure)} per structure within ${s.edges.cutoff} Å (${s.edges.method})`,
    '',
    `H statistics (${unitWord}) per element pair and shell pair over ${s.statistics.samples} structures; ‖B‖² = squared Frobenius norm of the sub-block; transposed pairs (equal numbers) omitted:`,
    ...statisticsTable(s.statistics),
  ];
  return lines.join('\n');
}

export const datasetInfoCommand: Command = {
  name: NAME,
  summary: 'layout, contents and statistics of a dataset folder',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(NAME, args, { cutoff: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) {
      io.err(`hamstudio ${NAME}: give exactly one dataset folder\n\n${USAGE}`);
      return 2;
    }
    const cutoff = numberOption(NAME, 'cutoff', values.cutoff, DEFAULT_CUTOFF);
    const summary = summarizeDataset(await loadDataset(positionals[0]), cutoff);
    io.out(values.json ? JSON.stringify(summary) : formatSummary(summary));
    return 0;
  },
};
