/**
 * `hamstudio bands`: the band structure of a crystal along a high-symmetry path (DESIGN.md §4) from H(R), S(R) —
 * a DeepH folder (DFT data or a saved prediction) or a structure file predicted on the spot — with energies absolute
 * and relative to the Fermi level, as text, JSON, CSV and a figure, optionally beside a reference's bands on the
 * same path with the band error within ±2 eV of E_F.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { HamError } from '../../contracts/errors.ts';
import { detectLayout } from '../../datasets/detect.ts';
import { loadDataset } from '../../datasets/load.ts';
import type { HamiltonianSample } from '../../datasets/sample.ts';
import { writeFileAtomic } from '../../io/atomic-write.ts';
import { DEFAULT_OVERLAP_THRESHOLD } from '../../physics/hermitian-eigen.ts';
import { bandError, type BandError } from '../../physics/band-error.ts';
import { bandPlotSvg, svgToPng, type BandSeries } from '../../export/band-plot.ts';
import { asEigenvalues, bandsCsv, bandsOfSample, electronCountMesh, type BandsResult, type FermiSpec } from '../../physics/band-report.ts';
import { defaultModelFor, resolveModel } from '../../model/model-registry.ts';
import { predictCrystal } from '../../model/predict-crystal.ts';
import { PREDICTED_OVERLAP_THRESHOLD } from '../../model/two-center-overlap.ts';
import { initBackend } from '../../runtime/backend.ts';
import { readStructures } from '../../structure/read.ts';
import { isPeriodic } from '../../structure/structure.ts';
import { bandPath } from '../../physics/kpath.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const DEFAULT_POINTS = 100;
const DEFAULT_SMEARING = 0.02;
const NEAR_FERMI = 2;

function parseMesh(text: string): [number, number, number] {
  const m = text.split(/[,x×]/).map(Number);
  if (m.length !== 3 || !m.every((v) => Number.isInteger(v) && v >= 1)) throw new HamError('E_INPUT', `bands: --mesh must be three positive integers like 6,6,1 (got '${text}')`);
  return m as [number, number, number];
}

/** A crystal's H(R), S(R) and what its source says about E_F and the overlap. */
interface CrystalInput {
  sample: HamiltonianSample;
  kmesh?: [number, number, number];
  /** S(R) comes from a model's overlap head (drop more near-dependent directions). */
  predictedOverlap: boolean;
  /** Valence electrons per cell, when a model or a saved prediction knows them. */
  electrons?: number;
  /** Where the H(R) came from, for the report. */
  origin: string;
}

const isMesh = (v: unknown): v is [number, number, number] => Array.isArray(v) && v.length === 3 && v.every((x) => Number.isInteger(x) && x >= 1);

async function loadFolder(input: string): Promise<CrystalInput> {
  const layout = detectLayout(input);
  if (layout.format === 'matrix-stack') throw new HamError('E_INPUT', 'a matrix stack holds molecules; bands need a crystal (a DeepH folder or a structure file with a cell)', { file: input });
  if (layout.folders.length > 0) {
    throw new HamError('E_INPUT', `a dataset root of ${layout.folders.length} structures; give one structure folder, e.g. ${path.join(input, layout.folders[0])}`, { file: input });
  }
  const ds = await loadDataset(input);
  const sample = ds.samples[0];
  if (!sample.structure.cell) throw new HamError('E_INPUT', 'the structure has no cell', { file: input });
  const meta = ds.metadata ?? {};
  const electrons = typeof meta.valence_electrons === 'number' ? meta.valence_electrons : undefined;
  return {
    sample, kmesh: isMesh(meta.kmesh) ? meta.kmesh : undefined, electrons,
    predictedOverlap: typeof meta.overlap === 'string' && meta.overlap.startsWith('predicted'), origin: input,
  };
}

async function loadCrystal(input: string, modelName: string | undefined, backendName: string | undefined): Promise<CrystalInput> {
  let isFile = false;
  try {
    isFile = statSync(input).isFile();
  } catch {
    throw new HamError('E_NOT_FOUND', 'no such file or folder', { file: input });
  }
  if (!isFile) {
    if (modelName) throw new HamError('E_INPUT', 'bands: --model applies to a structure file; a folder already holds H(R)', { file: input });
    return loadFolder(input);
  }
  const structure = (await readStructures(input))[0];
  if (!isPeriodic(structure)) throw new HamError('E_INPUT', 'the structure has no cell: bands need a crystal (POSCAR, CIF or extended XYZ with a lattice)', { file: input });
  await initBackend(backendName);
  const { model, info } = modelName ? resolveModel(modelName) : defaultModelFor(structure.numbers, true);
  const p = predictCrystal(model, structure, input);
  const counts = model.valenceElectrons;
  const electrons = counts && structure.numbers.every((z) => counts[z] !== undefined) ? structure.numbers.reduce((a, z) => a + counts[z], 0) : undefined;
  return { sample: p.sample, predictedOverlap: true, electrons, origin: `${input}, predicted by ${info.name}` };
}

/** The mesh for counting electrons: --mesh, else the data's SCF mesh or an automatic one. */
function fermiMesh(c: CrystalInput, given: string | undefined): [number, number, number] {
  return given ? parseMesh(given) : electronCountMesh(c.sample, c.kmesh);
}

/** Band energies − E_F within ±2 eV at each labelled point, for the text report. */
function nearFermiLines(r: BandsResult): string[] {
  return r.labels.map(({ index, label }) => {
    const near = r.energies_minus_fermi[index].filter((e) => Math.abs(e) <= NEAR_FERMI).map((e) => e.toFixed(3).padStart(7));
    return `  ${label.padEnd(4)} ${r.distance[index].toFixed(3).padStart(6)}  ${near.join(' ') || '(none)'}`;
  });
}

export const bandsCommand: Command = {
  name: 'bands',
  summary: 'band structure of a crystal along a high-symmetry k-path (JSON, CSV, PNG/SVG)',
  usage: `Usage: hamstudio bands <deeph-folder | structure-file> [--model <name|path>] [--kpath auto|"G-M-K-G"|"G=0,0,0-X=0.5,0,0"]
                       [--points N] [--out bands.json] [--csv bands.csv] [--png bands.png] [--svg bands.svg]
                       [--reference <deeph-folder>] [--electrons N [--mesh n1,n2,n3] [--smearing eV]]
                       [--overlap-threshold x]

Solves H(k) C = S(k) C E with the Bloch sums of H(R), S(R) along a k-path. The input is a DeepH folder (DFT data,
or a prediction saved by hamstudio predict) or a structure file with a cell (POSCAR, CIF, extended XYZ), which
the model (--model, default the shipped crystal model for its elements) predicts first.
--kpath auto (default) recognises sc, fcc, bcc, tetragonal and hexagonal cells and square, rectangular and
hexagonal slabs (Setyawan–Curtarolo points); a custom path joins labels of that table with '-' (G is Γ; '|' breaks
the path) or gives coordinates, LABEL=f1,f2,f3, fractional in the reciprocal basis. --points (default
${DEFAULT_POINTS}) are spread over the segments in proportion to their length.

The Fermi level is the DFT data's own (info.json) when it has one; otherwise it is found from the valence
electrons per cell — --electrons, or the count the model learned from its training data — on a Γ-centred mesh
(--mesh, default the data's SCF mesh or about 0.25 1/Å spacing) with Fermi–Dirac smearing (--smearing, default
${DEFAULT_SMEARING} eV). Overlap eigenvalues below --overlap-threshold × the largest are dropped (default
${DEFAULT_OVERLAP_THRESHOLD} for DFT overlaps, ${PREDICTED_OVERLAP_THRESHOLD} for a model's predicted S).
--reference computes a DeepH folder's bands on the same path and reports the band error within ±${NEAR_FERMI} eV of its
E_F; the figure then shows both. --out writes JSON (k-points, distances in 1/Å, labels, E_F, energies absolute
and − E_F, eV); --csv one row per k-point and band; --png/--svg the figure (ε − E_F from −4 to 4 eV).`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('bands', args, {
      kpath: { type: 'string' }, points: { type: 'string' }, out: { type: 'string' }, csv: { type: 'string' },
      png: { type: 'string' }, svg: { type: 'string' }, reference: { type: 'string' }, model: { type: 'string' },
      electrons: { type: 'string' }, mesh: { type: 'string' }, smearing: { type: 'string' }, 'overlap-threshold': { type: 'string' },
      backend: { type: 'string' },
    });
    if (positionals.length !== 1) throw new HamError('E_INPUT', 'bands: give exactly one DeepH structure folder or structure file');
    const points = numberOption('bands', 'points', values.points, DEFAULT_POINTS);
    const t0 = performance.now();
    const input = await loadCrystal(positionals[0], values.model, values.backend);
    const { sample } = input;
    const kpath = bandPath(sample.structure, values.kpath ?? 'auto', points);
    const threshold = numberOption('bands', 'overlap-threshold', values['overlap-threshold'], input.predictedOverlap ? PREDICTED_OVERLAP_THRESHOLD : DEFAULT_OVERLAP_THRESHOLD);
    const smearing = numberOption('bands', 'smearing', values.smearing, DEFAULT_SMEARING);
    const given = values.electrons !== undefined ? numberOption('bands', 'electrons', values.electrons, 0) : undefined;
    let fermi: FermiSpec;
    if (given !== undefined) fermi = { electrons: given, mesh: fermiMesh(input, values.mesh), smearing, why: '--electrons' };
    else if (sample.references.fermiLevel !== undefined) {
      if (values.mesh !== undefined || values.smearing !== undefined) throw new HamError('E_INPUT', 'bands: --mesh and --smearing apply only when E_F is found from an electron count (--electrons)');
      fermi = { dataset: true };
    } else if (input.electrons !== undefined) fermi = { electrons: input.electrons, mesh: fermiMesh(input, values.mesh), smearing, why: 'valence electrons learned by the model' };
    else throw new HamError('E_INPUT', `${sample.id}: the data give no Fermi level and no electron count; pass --electrons N (valence electrons per cell)`);
    const r = bandsOfSample(sample, kpath, fermi, threshold);

    let reference: BandsResult | undefined;
    let error: BandError | undefined;
    if (values.reference) {
      const ref = await loadFolder(values.reference);
      const refFermi: FermiSpec = ref.sample.references.fermiLevel !== undefined ? { dataset: true }
        : { electrons: ref.electrons ?? given ?? input.electrons ?? NaN, mesh: fermiMesh(ref, values.mesh), smearing, why: 'as the prediction' };
      if ('electrons' in refFermi && !Number.isFinite(refFermi.electrons)) throw new HamError('E_INPUT', 'bands: the reference gives no Fermi level; pass --electrons N', { file: values.reference });
      reference = bandsOfSample(ref.sample, kpath, refFermi, ref.predictedOverlap ? PREDICTED_OVERLAP_THRESHOLD : DEFAULT_OVERLAP_THRESHOLD);
      error = bandError(asEigenvalues(r), asEigenvalues(reference), reference.fermi_level, NEAR_FERMI);
    }
    const seconds = (performance.now() - t0) / 1000;
    const result = reference ? { ...r, reference: { id: reference.id, fermi_level: reference.fermi_level, energies: reference.energies }, band_error: error } : r;
    if (values.out) writeFileAtomic(path.resolve(values.out), `${JSON.stringify(result)}\n`);
    if (values.csv) writeFileAtomic(path.resolve(values.csv), bandsCsv(r));
    if (values.png || values.svg) {
      const series: BandSeries[] = [{ name: input.predictedOverlap ? 'predicted' : 'bands', distance: r.distance, energies: r.energies_minus_fermi }];
      if (reference) series.push({ name: 'reference', distance: reference.distance, energies: reference.energies_minus_fermi });
      const svg = bandPlotSvg(series, { title: `${path.basename(r.id)} — ${r.kpath}`, labels: r.labels });
      if (values.svg) writeFileAtomic(path.resolve(values.svg), svg);
      if (values.png) writeFileAtomic(path.resolve(values.png), svgToPng(svg));
    }
    const dropped = Math.max(...r.dropped_overlap_eigenvalues);
    io.out([
      `structure    ${r.id} (${sample.structure.numbers.length} atoms, ${r.n_orbitals} orbitals; ${input.origin})`,
      `k-path       ${r.kpath} (${r.lattice ?? 'custom'}), ${r.distance.length} k-points, length ${r.distance[r.distance.length - 1].toFixed(4)} 1/Å`,
      `Fermi level  ${r.fermi_level.toFixed(6)} eV (${r.fermi_level_source})`,
      `overlap      ${dropped === 0 ? 'no near-dependent directions dropped' : `up to ${dropped} near-dependent directions dropped per k-point (threshold ${threshold}); ${r.n_bands} bands kept`}`,
      `ε − E_F within ±${NEAR_FERMI} eV at the labelled points (eV):`,
      ...nearFermiLines(r),
      ...(error ? [`band error   ${(error.mae * 1000).toFixed(2)} meV mean, ${(error.max * 1000).toFixed(2)} meV max over ${error.count} eigenvalues within ±${NEAR_FERMI} eV of the reference E_F (${reference!.fermi_level.toFixed(4)} eV)`] : []),
      `time         ${seconds.toFixed(1)} s`,
      ...[values.out, values.csv, values.png, values.svg].filter(Boolean).map((f) => `written      ${f}`),
    ].join('\n'));
    return 0;
  },
};
