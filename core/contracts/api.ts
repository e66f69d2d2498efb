/**
 * The one typed API of the app (DESIGN.md §2): every method's request and response, and the envelope a transport
 * carries them in. The Electron preload (later) and the browser-mode server carry exactly these types; the renderer
 * imports them as types only. Units: positions in Å, energies in the model's unit (`unit`), matrices row-major in
 * the internal "wiki" orbital order.
 */
import type { ErrorCode, ErrorLocation } from './errors.ts';
import type { EnergyUnit } from './units.ts';

export type Vec3 = [number, number, number];

/** What the app runs on: shown in the status bar and in bug reports. */
export interface AppInfo {
  name: string;
  version: string;
  node: string;
  /** TensorFlow.js backend that runs predictions (e.g. "wasm"). */
  backend: string;
  modelsDir: string;
  basisSets: string[];
}

/** A structure file shipped in resources/examples. */
export interface ExampleEntry {
  name: string;
  text: string;
}

export interface ModelSummary {
  name: string;
  arch: string;
  /** Element symbols the model covers. */
  elements: string[];
  basis: string;
  unit: EnergyUnit;
  /** Molecules (analytic overlaps) or crystals (an overlap head). */
  kind: 'molecule' | 'crystal';
  description: string | null;
  /** Best validation MAE during training, in `unit`, and its on-site and off-site parts. */
  validation: { mae: number; onsite: number; offsite: number; epoch: number } | null;
  /** The exact commands that trained it, the first training first (more than one when it was trained further). */
  trainingCommands: string[];
  /** Datasets it was trained on (paths as recorded). */
  trainingData: string[];
  parameters: number;
  software: string;
}

export interface OpenStructureRequest {
  /** File name: decides the format (with the content) and names the file in errors. */
  name: string;
  text: string;
}

export interface StructureSummary {
  /** Handle for later calls (predict); valid while the app runs. */
  id: string;
  name: string;
  /** Frames in the file; the first is the one opened. */
  frames: number;
  /** Element symbol of each atom, in file order. */
  symbols: string[];
  positions: Vec3[];
  /** Element → atom count, in order of first appearance. */
  elements: { symbol: string; count: number }[];
  formula: string;
  /** Lattice vectors as rows (Å), or null for a molecule. */
  cell: [Vec3, Vec3, Vec3] | null;
  periodic: boolean;
  /** Orbital count in the default basis set, or null with the reason when the basis does not cover the structure. */
  orbitals: { basis: string; count: number; perAtom: number[] } | { basis: string; count: null; reason: string };
  /** The DFT reference opened with the structure (openLabelled), or null: predictions are then compared with it. */
  reference: ReferenceSource | null;
}

/** A labelled structure of a dataset folder the user gave (browser mode: typed; Electron: chosen in a dialog). */
export interface OpenLabelledRequest {
  /** A legacy DeepH structure folder, a DeepH dataset root or a matrix-stack folder. */
  path: string;
  /** Which structure of a matrix stack or DeepH root (0-based); not needed for a single structure folder. */
  index?: number;
}

export interface ReferenceSource {
  /** The folder as the user gave it. */
  path: string;
  /** The structure within it, e.g. "water-pbe-def2svp/7". */
  id: string;
  format: 'matrix-stack' | 'deeph-legacy' | 'deeph-new';
  /** Unit of the reference H (the dataset's, which a model must share). */
  unit: EnergyUnit;
}

/** A structure opened lately (newest first); `reopenable` is false for a file too large to have been kept. */
export interface RecentStructure {
  /** Handle for openRecent. */
  id: string;
  name: string;
  formula: string;
  atoms: number;
  periodic: boolean;
  /** Opened with its DFT reference from a dataset folder. */
  labelled: boolean;
  /** ISO time. */
  opened: string;
  reopenable: boolean;
}

export interface PredictRequest {
  structureId: string;
  /** Model name (shipped) or folder; default: the first shipped model covering the elements. */
  model?: string;
}

/** One basis function (matrix row). */
export interface OrbitalLabel {
  atom: number;
  element: string;
  /** Index of the shell within its atom. */
  shell: number;
  l: number;
  m: number;
}

/** Entrywise |pred − ref| statistics over a set of matrix entries, in `MatrixErrors.unit`. */
export interface ErrorStats {
  mae: number;
  maxAbs: number;
  count: number;
}

/** One block type (on-site per element, off-site per element pair), or one shell pair within it. */
export interface BlockTypeErrors extends ErrorStats {
  onsite: boolean;
  /** One symbol on-site; the pair off-site, lower atomic number first. */
  elements: string[];
  /** Angular momenta (row, column) of the shell pair, oriented as `elements`; null for the whole block type. */
  shells: [number, number] | null;
}

/**
 * Errors of a predicted matrix against the reference over the reference's stored blocks (DESIGN.md §7; a block
 * the prediction lacks counts as zero), in `unit`: μEh or meV for H, dimensionless (empty) for S.
 */
export interface MatrixErrors {
  unit: string;
  all: ErrorStats;
  onsite: ErrorStats;
  offsite: ErrorStats;
  /** Each block type followed by its shell pairs. */
  byType: BlockTypeErrors[];
}

/** The reference H at the matrices' translation and the error H_pred − H_ref there, n × n in the prediction's unit. */
export interface ReferenceMatrices {
  H: number[];
  error: number[];
}

export interface MoleculeReference extends ReferenceMatrices {
  source: ReferenceSource;
  errors: { H: MatrixErrors };
  /** Eigenvalues of the reference H with the same analytic S as the prediction, ascending, in the unit. */
  orbitalEnergies: number[];
  homo: number;
  lumo: number;
  gap: number;
  /** Mean |ε_pred − ε_ref| over occupied orbitals, in the unit, and the mean |cos| of occupied coefficient vectors. */
  maeEpsOcc: number;
  psiSimilarity: number;
}

export interface CrystalReference extends ReferenceMatrices {
  source: ReferenceSource;
  /** S: the model's overlap head against the DFT overlaps. */
  errors: { H: MatrixErrors; S: MatrixErrors };
}

export interface MoleculePrediction {
  kind: 'molecule';
  structureId: string;
  n: number;
  unit: EnergyUnit;
  /** n × n, row-major, in `unit`. */
  H: number[];
  /** n × n, row-major, dimensionless (analytic overlap of the Gaussian basis). */
  S: number[];
  /** Ascending, in `unit` (length n minus dropped linearly dependent functions). */
  orbitalEnergies: number[];
  occupied: number;
  homo: number;
  lumo: number;
  gap: number;
  /** First orbital of each atom, length atoms + 1. */
  atomOffsets: number[];
  orbitals: OrbitalLabel[];
  model: { name: string; arch: string; basis: string };
  backend: string;
  timingsMs: { loadModel: number; predict: number; overlapAndEigen: number };
  /** When the structure was opened with a DFT reference. */
  reference?: MoleculeReference;
}

/** Integer lattice translation (in lattice vectors). */
export type Translation = [number, number, number];

/** A crystal's predicted H(R), S(R): the translations present, and the matrices at R = 0 (others by crystalMatrices). */
export interface CrystalPrediction {
  kind: 'crystal';
  structureId: string;
  /** Orbitals per cell. */
  n: number;
  unit: EnergyUnit;
  /** Every R with a predicted block, R = (0, 0, 0) first, then by distance. */
  translations: Translation[];
  R: Translation;
  /** n × n at R, row-major: H in `unit`, S dimensionless. */
  H: number[];
  S: number[];
  atomOffsets: number[];
  orbitals: OrbitalLabel[];
  /** Where S(R) comes from (the model's overlap head). */
  overlap: string;
  /** Valence electrons per cell the model knows, or null (then bands need a count). */
  valenceElectrons: number | null;
  model: { name: string; arch: string; basis: string };
  backend: string;
  timingsMs: { loadModel: number; predict: number; overlap: number };
  /** When the structure was opened with a DFT reference: its H at R and the errors. */
  reference?: CrystalReference;
}

export type Prediction = MoleculePrediction | CrystalPrediction;

export interface CrystalMatricesRequest {
  structureId: string;
  R: Translation;
}

export interface CrystalMatrices {
  R: Translation;
  H: number[];
  S: number[];
  /** When the structure has a DFT reference. */
  reference?: ReferenceMatrices;
}

export interface BandsRequest {
  structureId: string;
  /** 'auto' (default) or a path like "G-M-K-G" (see hamstudio bands --help). */
  kpath?: string;
  /** k-points along the path (default 60). */
  points?: number;
}

/** Bands along a k-path and the DOS, energies in eV relative to E_F. */
export interface BandsReport {
  kpath: string;
  lattice: string | null;
  /** Cumulative path length per k-point, 1/Å. */
  distance: number[];
  labels: { label: string; distance: number }[];
  /** nK × nBands (only bands that come within ±10 eV of E_F), ε − E_F in eV. */
  energies: number[][];
  fermiLevel: number;
  fermiSource: string;
  dos: { energies: number[]; values: number[]; sigma: number; mesh: [number, number, number] };
  droppedOverlap: number;
  seconds: number;
  /** When the structure has a DFT reference: its bands on the same k-points (ε − its own E_F) and the band error. */
  reference?: BandsReference;
}

export interface BandsReference {
  /** nK × nBands, same band selection rule as `energies`. */
  energies: number[][];
  fermiLevel: number;
  fermiSource: string;
  /** |ε_pred − ε_ref| in eV over reference eigenvalues within ±window eV of the reference E_F (DESIGN.md §4). */
  error: { mae: number; max: number; count: number; window: number };
}

export interface ExportFormatSummary {
  name: string;
  summary: string;
  kinds: ('molecule' | 'crystal')[];
  /** Orbital orders the user may choose, or null when the format fixes one (then `defaultOrder` is it). */
  orders: string[] | null;
  defaultOrder: string | null;
}

export interface ExportPredictionRequest {
  structureId: string;
  format: string;
  order?: string;
}

export interface ExportedFile {
  /** Path inside the export (e.g. "water.molden", "run_psi4.py"). */
  name: string;
  bytes: number;
  /** The file's content, base64; the renderer saves it where the user chooses. */
  base64: string;
}

export interface ExportedPrediction {
  format: string;
  order: string;
  files: ExportedFile[];
}

export type RunKind = 'train' | 'finetune';
/** queued → running → done | failed | cancelled; a run that was running when the app stopped is interrupted. */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface RunEvent {
  type: 'queued' | 'progress' | 'metric' | 'log' | 'done' | 'failed' | 'cancelled';
  /** ISO time. */
  time: string;
  text: string;
}

/** A training or fine-tuning run of the app's run store (one folder per run). */
export interface RunInfo {
  id: string;
  kind: RunKind;
  title: string;
  status: RunStatus;
  created: string;
  /** Validation curve so far: H MAE, and for crystals the band MAE within ±2 eV of E_F, both in `unit`. */
  curve: { epoch: number; valMae: number; valMaeBands?: number }[];
  unit: string | null;
  /** Epochs asked for, when the run has an epoch budget. */
  epochs: number | null;
  /** Why it failed (the tool's own message), or null. */
  reason: string | null;
  /** The latest events, oldest first. */
  events: RunEvent[];
  /**
   * Fine-tuning: the before/after comparison on the held-out snapshots once done (H MAE and, for molecules, the
   * occupied orbital energies' MAE, both in `unit`, the error unit: μEh or meV), and the report's file in the run folder.
   */
  result: { before: number; after: number; epsBefore: number | null; epsAfter: number | null; improved: boolean; unit: string; report: string } | null;
  /** Can be continued (interrupted, cancelled or failed runs). */
  resumable: boolean;
}

export interface StartFinetuneRequest {
  structureId: string;
  /** Shipped model name; default the model for the structure's elements. */
  model?: string;
  /** Snapshots to label. */
  n: number;
  epochs: number;
  sampling?: 'md' | 'thermal';
  /** Minutes of DFT allowed: the job times one SCF and labels only as many snapshots as fit (at most `n`). */
  budgetMinutes?: number;
}

/** The structure to fine-tune on and the model (as for predict). */
export type EstimateFinetuneRequest = PredictRequest;

/** The DFT cost of labelling one snapshot, measured by running one SCF on the structure as opened. */
export interface FinetuneEstimate {
  /** The labelling code and its version, e.g. "psi4 1.3.2". */
  code: string;
  /** Functional/basis, e.g. "PBE/def2-SVP". */
  method: string;
  secondsPerStructure: number;
  /** DFT processes a fine-tuning runs at once. */
  jobs: number;
  /** Snapshots labelled per minute of budget, as the fine-tuning job counts them. */
  snapshotsPerMinute: number;
  orbitals: number;
}

export interface StartTrainingRequest {
  /** A dataset folder the user gave. */
  data: string;
  epochs: number;
  arch?: 'baseline' | 'trace' | 'tracegrad';
  /** A shipped model to train further (its weights, architecture and normalisation; excludes `arch`). */
  init?: string;
  /** The H loss (`hamstudio train --loss`); absent: mse. */
  loss?: 'mse' | 'rmse+mae';
}

/** A run or a recent structure, by its id. */
export interface IdRequest {
  id: string;
}

export interface RegisterRunRequest {
  id: string;
  /** Name in the model library (letters, digits, '.', '_', '-'). */
  name: string;
}

export type EmptyRequest = Record<string, never>;

/** Method name → request and response: the table every transport and the router are typed from. */
export interface ApiMethods {
  info: { request: EmptyRequest; response: AppInfo };
  listExamples: { request: EmptyRequest; response: ExampleEntry[] };
  listModels: { request: EmptyRequest; response: ModelSummary[] };
  openStructure: { request: OpenStructureRequest; response: StructureSummary };
  listRecent: { request: EmptyRequest; response: RecentStructure[] };
  openRecent: { request: IdRequest; response: StructureSummary };
  openLabelled: { request: OpenLabelledRequest; response: StructureSummary };
  predict: { request: PredictRequest; response: Prediction };
  crystalMatrices: { request: CrystalMatricesRequest; response: CrystalMatrices };
  bands: { request: BandsRequest; response: BandsReport };
  listExportFormats: { request: EmptyRequest; response: ExportFormatSummary[] };
  exportPrediction: { request: ExportPredictionRequest; response: ExportedPrediction };
  listRuns: { request: EmptyRequest; response: RunInfo[] };
  estimateFinetune: { request: EstimateFinetuneRequest; response: FinetuneEstimate };
  startFinetune: { request: StartFinetuneRequest; response: RunInfo };
  startTraining: { request: StartTrainingRequest; response: RunInfo };
  cancelRun: { request: IdRequest; response: RunInfo };
  resumeRun: { request: IdRequest; response: RunInfo };
  registerRunModel: { request: RegisterRunRequest; response: ModelSummary[] };
}

export type ApiMethod = keyof ApiMethods;
export type ApiRequest<M extends ApiMethod> = ApiMethods[M]['request'];
export type ApiResult<M extends ApiMethod> = ApiMethods[M]['response'];

/** The services behind the API (core/services), and the object the renderer's bridge exposes. */
export type HamStudioApi = { [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResult<M>> };

export interface ApiError {
  code: ErrorCode;
  message: string;
  location?: ErrorLocation;
}

/** What a transport returns for one call. */
export type ApiResponse<M extends ApiMethod> = { ok: true; result: ApiResult<M> } | { ok: false; error: ApiError };
