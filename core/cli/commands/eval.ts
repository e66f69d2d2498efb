/** `hamstudio eval`: a model's accuracy on a dataset (DESIGN.md §7 metrics, in the dataset's unit). */
import path from 'node:path';
import { HamError } from '../../contracts/errors.ts';
import { formatError } from '../../contracts/units.ts';
import { loadDataset } from '../../datasets/load.ts';
import { resolveModel } from '../../model/model-registry.ts';
import { initBackend } from '../../runtime/backend.ts';
import { checkCompatible, evaluate } from '../../training/evaluate.ts';
import { heldOutSamples } from '../../training/training-data.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

export const evalCommand: Command = {
  name: 'eval',
  summary: "a model's errors on a dataset (H MAE, orbital energies, wavefunctions)",
  usage: `Usage: hamstudio eval --model <name|path> --data <dataset> [--exclude <folder> …] [--held-out] [--json] [--backend <b>]

With --held-out, only the structures of the dataset that the model's training held out for validation (the split
recorded in its model.json), e.g. hamstudio eval --model hco-def2svp --data ../shared/datasets/ethanol-pbe-def2svp --held-out.
--exclude leaves a structure folder of a DeepH root out, as train's --exclude does; a split recorded for a dataset
trained without some folders is found only with the same ones left out, e.g.
hamstudio eval --model graphene-dzp --data ../shared/datasets/graphene-3x3-pbe-dzp --exclude pristine --held-out.

Errors are in the dataset's unit (Hartree for matrix stacks, eV for DeepH folders): mean |ΔH| over all entries
per structure, averaged over structures, split into on-site and off-site blocks; for molecules also the mean
|Δε| over occupied orbitals and the wavefunction similarity (QH9 protocol), solving with the reference S; for
crystals with reference eigenvalues on their k-mesh (our DeepH datasets) the band MAE within ±2 eV of E_F, from the
predicted H with the model's predicted S (and the S MAE), or with the reference S when the model has no overlap head;
also with both band sets relative to their own Fermi level (E − E_F, the rigid shift of the eigenvalues' reference
left out). With --json, one JSON object on stdout: {"n_structures", "unit", "mae_H", "mae_H_onsite",
"mae_H_offsite", "mae_eps_occ", "psi_similarity", "mae_bands", "mae_bands_aligned", "mae_S",
"seconds_per_structure"} (keys that do not apply are absent).`,
  async run(args, io) {
    const { values } = parseCommandArgs('eval', args, { model: { type: 'string' }, data: { type: 'string' }, exclude: { type: 'string', multiple: true }, 'held-out': { type: 'boolean' }, json: { type: 'boolean' }, backend: { type: 'string' } }, false);
    if (!values.model || !values.data) throw new HamError('E_INPUT', 'eval: --model and --data are required');
    await initBackend(values.backend);
    const { model, info } = resolveModel(values.model);
    const ds = await loadDataset(values.data, { exclude: values.exclude });
    const samples = values['held-out'] ? heldOutSamples(info.training, ds) : ds.samples;
    checkCompatible(model, samples, path.resolve(values.data));
    const r = evaluate(model, samples);
    if (values.json) {
      io.out(JSON.stringify(r));
      return 0;
    }
    io.out([
      `model        ${info.name} (${model.arch.arch}, ${model.arch.basis})`,
      `data         ${values.data} (${r.n_structures} structures${values['held-out'] ? ', held out in training' : ''})`,
      `H MAE        ${formatError(r.mae_H, r.unit)} (on-site ${formatError(r.mae_H_onsite, r.unit)}, off-site ${formatError(r.mae_H_offsite, r.unit)}; largest |ΔH| ${formatError(r.max_abs_H, r.unit)})`,
      ...(r.mae_eps_occ !== undefined ? [`ε_occ MAE    ${formatError(r.mae_eps_occ, r.unit)}`, `ψ similarity ${(100 * r.psi_similarity!).toFixed(3)} %`] : []),
      ...(r.mae_S !== undefined ? [`S MAE        ${r.mae_S.toExponential(2)} (overlap head)`] : []),
      ...(r.mae_bands !== undefined ? [`band MAE     ${formatError(r.mae_bands, r.unit)} within ±2 eV of E_F on the reference k-mesh (largest ${formatError(r.max_abs_bands!, r.unit)}; S ${r.bands_overlap})`] : []),
      ...(r.mae_bands_aligned !== undefined ? [`             ${formatError(r.mae_bands_aligned, r.unit)} with each band set relative to its own E_F`] : []),
      `time         ${(1000 * r.seconds_per_structure).toFixed(1)} ms per structure`,
    ].join('\n'));
    return 0;
  },
};
