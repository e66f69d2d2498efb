/** `hamstudio predict`: H (and S, orbital energies) of a structure file from a model, as .npy with meta.json. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { convertMatrix, isOrbitalConvention, type OrbitalConvention } from '../../basis/conventions.ts';
import { HamError } from '../../contracts/errors.ts';
import { writeDirectoryAtomic, writeFileAtomic } from '../../io/atomic-write.ts';
import { PREDICTION_FORMAT } from '../../export/prediction-folder.ts';
import { encodeNpy } from '../../io/npy.ts';
import { defaultModelFor, resolveModel } from '../../model/model-registry.ts';
import { predictMolecule } from '../../model/predict-molecule.ts';
import { predictCrystal } from '../../model/predict-crystal.ts';
import { DENSE_LIMIT, writeCrystalPrediction } from '../../export/crystal-prediction-folder.ts';
import { readDeephLegacyFolder } from '../../datasets/deeph-legacy.ts';
import { isPeriodic } from '../../structure/structure.ts';
import { initBackend } from '../../runtime/backend.ts';
import { readStructures } from '../../structure/read.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const ORDERS: OrbitalConvention[] = ['wiki', 'psi4', 'pyscf'];

export const predictCommand: Command = {
  name: 'predict',
  summary: 'predict H, S and orbital energies of a structure',
  usage: `Usage: hamstudio predict <structure-file> --out <dir> [--model <name|path>] [--order <order>] [--frame k] [--force]
                         [--overlap <deeph-folder>]

Molecules (no cell): writes H.npy (float64, n×n, in the model's unit), S.npy (analytic overlap of the Gaussian
basis), orbital_energies.npy and meta.json (units, orbital order, shells per atom, elements, model, timings);
--order wiki | psi4 | pyscf.
Crystals (POSCAR, CIF, extended XYZ with a lattice): writes H(R) and S(R) of every on-site block and every pair
(i, j, R) within the model's cutoff as a legacy DeepH folder (hamiltonians_pred.h5, overlaps.h5, lat.dat, …), as
R.npy, H_R.npy and S_R.npy (nR × n × n, up to ${DENSE_LIMIT} orbitals) and meta.json. S(R) comes from the model's
overlap head, or from --overlap, a DeepH folder of the same structure whose overlaps.h5 the DFT code wrote;
meta.json says which. --order wiki (default) or any DeepH convention (openmx, gpaw, …).
Without --model, the first shipped model that covers the structure's elements (and, for a crystal, has an
overlap head) is used. An existing, non-empty --out folder is replaced only with --force.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('predict', args, {
      out: { type: 'string' }, model: { type: 'string' }, order: { type: 'string' }, frame: { type: 'string' }, backend: { type: 'string' },
      force: { type: 'boolean' }, overlap: { type: 'string' },
    });
    if (positionals.length !== 1) throw new HamError('E_INPUT', 'predict: give exactly one structure file');
    if (!values.out) throw new HamError('E_INPUT', 'predict: --out <dir> is required');
    const out = path.resolve(values.out);
    if (!values.force && existsSync(out) && readdirSync(out).length > 0) {
      throw new HamError('E_INPUT', 'folder exists and is not empty; choose another --out or replace it with --force', { file: out });
    }
    const file = positionals[0];
    const frames = await readStructures(file);
    const k = values.frame ? Number(values.frame) : 0;
    if (!Number.isInteger(k) || k < 0 || k >= frames.length) throw new HamError('E_INPUT', `predict: --frame must be 0…${frames.length - 1}`, { file });
    const structure = frames[k];
    const crystal = isPeriodic(structure);
    const order = (values.order ?? 'wiki') as OrbitalConvention;
    if (!isOrbitalConvention(order) || (!crystal && !ORDERS.includes(order))) {
      throw new HamError('E_INPUT', `predict: --order must be one of ${crystal ? 'the orbital conventions (wiki, openmx, gpaw, …)' : ORDERS.join(', ')}`);
    }
    if (values.overlap && !crystal) throw new HamError('E_INPUT', 'predict: --overlap is for crystals; a molecule gets the analytic overlap of its Gaussian basis');
    const backend = await initBackend(values.backend);
    const t0 = performance.now();
    const { model, info, dir } = values.model ? resolveModel(values.model) : defaultModelFor(structure.numbers, crystal);
    const loadMs = performance.now() - t0;
    if (crystal) {
      const user = values.overlap ? (await readDeephLegacyFolder(values.overlap)).sample.blocks : undefined;
      const p = predictCrystal(model, structure, file, user);
      const counts = model.valenceElectrons;
      const electrons = counts && structure.numbers.every((z) => counts[z] !== undefined) ? structure.numbers.reduce((a, z) => a + counts[z], 0) : undefined;
      const { dense } = await writeCrystalPrediction(out, p.sample, order, {
        structure: file, overlap: p.overlap, basis: model.arch.basis, valenceElectrons: electrons, backend: backend.name,
        model: { name: info.name, path: dir, arch: model.arch.arch }, timingsMs: { load_model: loadMs, ...p.timingsMs },
      });
      io.out(`${structure.numbers.length} atoms, ${p.sample.blocks.i.length} blocks; H(R) in ${model.arch.unit}, ${order} order; S(R) ${p.overlap}; `
        + `prediction ${(p.timingsMs.graph + p.timingsMs.predict).toFixed(0)} ms; written to ${values.out}${dense ? '' : ' (DeepH folder only)'}`);
      return 0;
    }
    const { H, S, n, layout, eigen: eig, timingsMs } = predictMolecule(model, structure, path.basename(file));
    const ls = layout.shellLs;
    await writeDirectoryAtomic(out, (tmp) => {
      const f64 = (name: string, shape: number[], data: Float64Array) => writeFileAtomic(path.join(tmp, name), encodeNpy(shape, data));
      f64('H.npy', [n, n], convertMatrix(H, ls, 'wiki', order));
      f64('S.npy', [n, n], convertMatrix(S, ls, 'wiki', order));
      f64('orbital_energies.npy', [eig.m], eig.values);
      writeFileAtomic(path.join(tmp, 'meta.json'), `${JSON.stringify({
        format: PREDICTION_FORMAT, version: 1, structure: path.resolve(file), frame: k,
        units: { H: model.arch.unit, S: 'dimensionless', orbital_energies: model.arch.unit, positions: 'angstrom' },
        orbital_order: order, atomic_numbers: structure.numbers, positions: structure.positions, shells: layout.atomShells,
        basis: model.arch.basis, overlap: 'analytic (Gaussian basis)', dropped_overlap_eigenvalues: eig.dropped,
        model: { name: info.name, path: dir, arch: model.arch.arch }, backend: backend.name,
        timings_ms: { load_model: loadMs, predict: timingsMs.predict, overlap_and_eigen: timingsMs.overlapAndEigen },
      }, null, 1)}\n`);
    }, { replace: true });
    io.out(`${n} orbitals; H in ${model.arch.unit}, ${order} order; prediction ${timingsMs.predict.toFixed(0)} ms; written to ${values.out}`);
    return 0;
  },
};
