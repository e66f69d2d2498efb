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
import { orbitalCount, type HamiltonianSample } from '../../datasets/sample.ts';
import { energyFactor } from '../../contracts/units.ts';
import { writeFileAtomic } from '../../io/atomic-write.ts';
import { DEFAULT_OVERLAP_THRESHOLD } from '../../physics/hermitian-eigen.ts';
import { bandError, type BandError } from '../../physics/band-error.ts';
import { bandPlotSvg, svgToPng, type BandSeries } from '../../export/band-plot.ts';
import { asEigenvalues, bandsCsv, bandsOfSample, electronCountMesh, windowBandsOfSample, type BandsResult, type FermiSpec } from '../../physics/band-report.ts';
import { DENSE_BANDS_LIMIT } from '../../physics/bands.ts';
import { defaultModelFor, resolveModel } from '../../model/model-registry.ts';
import { predictCrystal } from '../../model/predict-crystal.ts';
import { PREDICTED_OVERLAP_THRESHOLD } from '../../model/two-center-overlap.ts';
import { initBackend } from '../../runtime/backend.ts';
import { readStructures } from '../../structure/read.ts';
import { isPeriodic } from '../../structure/structure.ts';
import { bandPath, type KPath } from '../../physics/kpath.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { CliIO, Command } from '../command.ts';

const DEFAULT_POINTS = 100;
const DEFAULT_SMEARING = 0.02;
const NEAR_FERMI = 2;
const DEFAULT_WINDOW = 24;

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

type BandsValues = Record<string, string | boolean | undefined>;

/** All bands (dense), with E_F from the data or from an electron count. */
function denseBands(input: CrystalInput, kpath: KPath, values: BandsValues, threshold: number, smearing: number, given: number | undefined): BandsResult {
  const { sample } = input;
  if (values.center !== undefined) throw new HamError('E_INPUT', 'bands: --center applies to a window of bands (--window N)');
  let fermi: FermiSpec;
  if (given !== undefined) fermi = { electrons: given, mesh: fermiMesh(input, values.mesh as string | undefined), smearing, why: '--electrons' };
  else if (sample.references.fermiLevel !== undefined) {
    if (values.mesh !== undefined || values.smearing !== undefined) throw new HamError('E_INPUT', 'bands: --mesh and --smearing apply only when E_F is found from an electron count (--electrons)');
    fermi = { dataset: true };
  } else if (input.electrons !== undefined) fermi = { electrons: input.electrons, mesh: fermiMesh(input, values.mesh as string | undefined), smearing, why: 'valence electrons learned by the model' };
  else throw new HamError('E_INPUT', `${sample.id}: the data give no Fermi level and no electron count; pass --electrons N (valence electrons per cell)`);
  return bandsOfSample(sample, kpath, fermi, threshold);
}

/** A window of bands from the sparse solver around --center or the data's E_F. */
async function windowBands(input: CrystalInput, kpath: KPath, values: BandsValues, threshold: number, io: CliIO): Promise<BandsResult> {
  const { sample } = input;
  const n = orbitalCount(sample);
  for (const key of ['electrons', 'mesh', 'smearing', 'reference'] as const) {
    if (values[key] !== undefined) throw new HamError('E_INPUT', `bands: --${key} needs all bands, which a window of bands (${n > DENSE_BANDS_LIMIT ? `${n} orbitals, more than ${DENSE_BANDS_LIMIT}` : '--window'}) does not have`);
  }
  const count = numberOption('bands', 'window', values.window as string | undefined, DEFAULT_WINDOW);
  if (!Number.isInteger(count) || count < 1 || count > n) throw new HamError('E_INPUT', `bands: --window must be an integer from 1 to the ${n} orbitals`);
  let center: number;
  let source: string;
  if (values.center !== undefined) {
    center = numberOption('bands', 'center', values.center as string, 0);
    source = '--center';
  } else if (sample.references.fermiLevel !== undefined) {
    center = sample.references.fermiLevel * energyFactor(sample.unit, 'eV');
    source = 'info.json fermi_level';
  } else {
    throw new HamError('E_INPUT', `${sample.id}: a window of bands (${n} orbitals) needs an energy to centre on and the data give no Fermi level; pass --center E (eV), e.g. the Fermi level hamstudio bands prints for a smaller cell of the same material`);
  }
  return windowBandsOfSample(sample, kpath, center, source, { count, threshold, onProgress: (line) => io.err(line) });
}

/** The report's lines on E_F (or the window) and the overlap. */
function summaryLines(r: BandsResult, threshold: number): string[] {
  if (r.window) {
    const spurious = Math.max(...r.window.spurious_dropped);
    return [
      `window       eigenvalues nearest ${r.window.center.toFixed(6)} eV (${r.fermi_level_source}), complete within ±${r.window.half_width.toFixed(3)} eV; ${r.window.solver}, ${r.window.seconds.toFixed(1)} s`,
      `overlap      ${spurious === 0 ? 'no spurious states' : `up to ${spurious} spurious states per k-point dropped (directions of the window's span with overlap below ${threshold} of S's largest eigenvalue)`}`,
    ];
  }
  const dropped = Math.max(...r.dropped_overlap_eigenvalues);
  return [
    `Fermi level  ${r.fermi_level.toFixed(6)} eV (${r.fermi_level_source})`,
    `overlap      ${dropped === 0 ? 'no near-dependent directions dropped' : `up to ${dropped} near-dependent directions dropped per k-point (threshold ${threshold}); ${r.n_bands} bands kept`}`,
  ];
}

export const bandsCommand: Command = {
  name: 'bands',
  summary: 'band structure of a crystal along a high-symmetry k-path (JSON, CSV, PNG/SVG)',
  usage: `Usage: hamstudio bands <deeph-folder | structure-file> [--model <name|path>] [--kpath auto|"G-M-K-G"|"G=0,0,0-X=0.5,0,0"]
                       [--points N] [--out bands.json] [--csv bands.csv] [--png bands.png] [--svg bands.svg]
                       [--reference <deeph-folder>] [--electrons N [--mesh n1,n2,n3] [--smearing eV]]
                       [--overlap-threshold x] [--window N] [--center eV]

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
and − E_F, eV); --csv one row per k-point and band; --png/--svg the figure (ε − E_F from −4 to 4 eV).

Cells of more than ${DENSE_BANDS_LIMIT} orbitals, or any cell with --window, get a window of bands instead: at each
k-point the N (default ${DEFAULT_WINDOW}) eigenvalues nearest --center (eV; default the data's Fermi level) from a
sparse shift-and-invert solver (SLEPc with MUMPS, Debian's python3-slepc4py-complex), keeping those within the
interval around the centre that is complete at every k-point. States of the overlap's near-null space are
recognised by their S-norm (below --overlap-threshold × the largest overlap eigenvalue) and dropped. Energies are
then relative to the centre, the figure shows points, and --electrons and --reference do not apply.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('bands', args, {
      kpath: { type: 'string' }, points: { type: 'string' }, out: { type: 'string' }, csv: { type: 'string' },
      png: { type: 'string' }, svg: { type: 'string' }, reference: { type: 'string' }, model: { type: 'string' },
      electrons: { type: 'string' }, mesh: { type: 'string' }, smearing: { type: 'string' }, 'overlap-threshold': { type: 'string' },
      backend: { type: 'string' }, window: { type: 'string' }, center: { type: 'string' },
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
    const windowed = values.window !== undefined || orbitalCount(sample) > DENSE_BANDS_LIMIT;
    const r = windowed ? await windowBands(input, kpath, values, threshold, io) : denseBands(input, kpath, values, threshold, smearing, given);
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
      const series: BandSeries[] = [{ name: input.predictedOverlap ? 'predicted' : 'bands', distance: r.distance, energies: r.energies_minus_fermi, points: r.window !== undefined }];
      if (reference) series.push({ name: 'reference', distance: reference.distance, energies: reference.energies_minus_fermi });
      const svg = bandPlotSvg(series, { title: `${path.basename(r.id)} — ${r.kpath}`, labels: r.labels });
      if (values.svg) writeFileAtomic(path.resolve(values.svg), svg);
      if (values.png) writeFileAtomic(path.resolve(values.png), svgToPng(svg));
    }
    io.out([
      `structure    ${r.id} (${sample.structure.numbers.length} atoms, ${r.n_orbitals} orbitals; ${input.origin})`,
      `k-path       ${r.kpath} (${r.lattice ?? 'custom'}), ${r.distance.length} k-points, length ${r.distance[r.distance.length - 1].toFixed(4)} 1/Å`,
      ...summaryLines(r, threshold),
      `ε − ${r.window ? 'centre' : 'E_F'} within ±${NEAR_FERMI} eV at the labelled points (eV):`,
      ...nearFermiLines(r),
      ...(error ? [`band error   ${(error.mae * 1000).toFixed(2)} meV mean, ${(error.max * 1000).toFixed(2)} meV max over ${error.count} eigenvalues within ±${NEAR_FERMI} eV of the reference E_F (${reference!.fermi_level.toFixed(4)} eV)`] : []),
      `time         ${seconds.toFixed(1)} s`,
      ...[values.out, values.csv, values.png, values.svg].filter(Boolean).map((f) => `written      ${f}`),
    ].join('\n'));
    return 0;
  },
};
