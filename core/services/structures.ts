/**
 * Structures the user has opened, kept in memory by id so later calls (predict) name them instead of resending
 * the file. The first frame of a multi-frame file is the one opened. A labelled structure of a dataset keeps its
 * DFT reference (H, S in wiki order and the dataset's unit) here, server-side, for predictions to be compared with.
 */
import { randomUUID } from 'node:crypto';
import { loadBasisSet, elementShells } from '../basis/library.ts';
import { orbitalLayout, type OrbitalLayout } from '../basis/orbital-layout.ts';
import type { OpenLabelledRequest, OpenStructureRequest, ReferenceSource, StructureSummary } from '../contracts/api.ts';
import { loadStructureSample } from '../datasets/load.ts';
import { orbitalCount as sampleOrbitals, type HamiltonianSample } from '../datasets/sample.ts';
import { HamError, isHamError } from '../contracts/errors.ts';
import { parseStructures } from '../structure/read.ts';
import { listModels } from '../model/model-registry.ts';
import { elementSymbol } from '../structure/elements.ts';
import { isPeriodic, type Structure } from '../structure/structure.ts';

/** Basis the summary counts orbitals in: the one every shipped model uses so far. */
const SUMMARY_BASIS = 'def2-SVP';

export interface StructureReference {
  sample: HamiltonianSample;
  source: ReferenceSource;
}

export interface OpenedStructure {
  name: string;
  structure: Structure;
  reference?: StructureReference;
}

export class StructureStore {
  private readonly opened = new Map<string, OpenedStructure>();

  open({ name, text }: OpenStructureRequest): StructureSummary {
    const frames = parseStructures(text, name);
    const id = randomUUID();
    this.opened.set(id, { name, structure: frames[0] });
    return summarize(id, name, frames.length, frames[0]);
  }

  /** A structure of a dataset with its reference; the orbitals counted are the dataset's own. */
  async openLabelled({ path, index }: OpenLabelledRequest): Promise<StructureSummary> {
    const { sample, format, basis } = await loadStructureSample(path, index);
    if (isPeriodic(sample.structure) && !sample.blocks.S) {
      throw new HamError('E_FORMAT', 'the reference has no overlaps (overlaps.h5): its bands need S(R)', { file: path });
    }
    const id = randomUUID();
    const source: ReferenceSource = { path, id: sample.id, format, unit: sample.unit };
    this.opened.set(id, { name: sample.id, structure: sample.structure, reference: { sample, source } });
    const perAtom = sample.atomShells.map((ls) => ls.reduce((a, l) => a + 2 * l + 1, 0));
    return summarize(id, sample.id, 1, sample.structure, { source, orbitals: { basis: basis ?? 'of the dataset', count: sampleOrbitals(sample), perAtom } });
  }

  get(id: string): OpenedStructure {
    const hit = this.opened.get(id);
    if (!hit) throw new HamError('E_NOT_FOUND', 'no open structure with this id (open it again)', { key: 'structureId' });
    return hit;
  }
}

function summarize(id: string, name: string, frames: number, s: Structure, labelled?: { source: ReferenceSource; orbitals: StructureSummary['orbitals'] }): StructureSummary {
  const symbols = s.numbers.map(elementSymbol);
  const counts = new Map<string, number>();
  for (const sym of symbols) counts.set(sym, (counts.get(sym) ?? 0) + 1);
  const elements = [...counts].map(([symbol, count]) => ({ symbol, count }));
  return {
    id, name, frames, symbols, positions: s.positions, elements,
    formula: hillFormula(counts),
    cell: s.cell ?? null,
    periodic: isPeriodic(s),
    orbitals: labelled?.orbitals ?? (isPeriodic(s) ? crystalOrbitalCount(s.numbers) : orbitalCount(s.numbers)),
    reference: labelled?.source ?? null,
  };
}

/** Orbitals per cell in the basis of the shipped crystal model that would predict it. */
function crystalOrbitalCount(numbers: readonly number[]): StructureSummary['orbitals'] {
  const model = listModels().find((m) => m.crystal && numbers.every((z) => m.elements.includes(z)));
  if (!model) return { basis: 'none', count: null, reason: 'no shipped crystal model covers these elements' };
  return layoutCounts(model.basis, orbitalLayout(numbers, new Map(Object.entries(model.shells).map(([z, ls]) => [Number(z), ls]))));
}

const layoutCounts = (basis: string, layout: OrbitalLayout): StructureSummary['orbitals'] => ({
  basis, count: layout.n, perAtom: layout.atomOffsets.slice(1).map((end, a) => end - layout.atomOffsets[a]),
});

function orbitalCount(numbers: readonly number[]): StructureSummary['orbitals'] {
  try {
    const basis = loadBasisSet(SUMMARY_BASIS);
    const shells = new Map([...new Set(numbers)].map((z) => [z, elementShells(basis, z).map((sh) => sh.l)]));
    return layoutCounts(SUMMARY_BASIS, orbitalLayout(numbers, shells));
  } catch (e) {
    if (!isHamError(e)) throw e;
    return { basis: SUMMARY_BASIS, count: null, reason: e.message };
  }
}

/** Hill order: C, then H, then the rest alphabetically; without carbon, all alphabetically (H2O, C2H6O). */
function hillFormula(counts: ReadonlyMap<string, number>): string {
  const symbols = [...counts.keys()].sort();
  const first = counts.has('C') ? ['C', 'H'].filter((s) => counts.has(s)) : [];
  return [...first, ...symbols.filter((s) => !first.includes(s))]
    .map((s) => (counts.get(s) === 1 ? s : `${s}${counts.get(s)}`)).join('');
}
