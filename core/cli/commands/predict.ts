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
import { initBackend } from '../../runtime/backend.ts';
import { readStructures } from '../../structure/read.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const ORDERS: OrbitalConvention[] = ['wiki', 'psi4', 'pyscf'];

export const predictCommand: Command = {
  name: 'predict',
  summary: 'predict H, S and orbital energies of a structure',
  usage: `Usage: hamstudio predict <structure-file> --out <dir> [--model <name|path>] [--order wiki|psi4|pyscf] [--frame k] [--force]

Writes H.npy (float64, n×n, in the model's unit), S.npy (analytic overlap of the Gaussian basis),
orbital_energies.npy and meta.json (units, orbital order, shells per atom, elements, model, timings).
Without --model, the first shipped model that covers the structure's elements is used. An existing, non-empty
--out folder is replaced only with --force.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('predict', args, {
      out: { type: 'string' }, model: { type: 'string' }, order: { type: 'string' }, frame: { type: 'string' }, backend: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new HamError('E_INPUT', 'predict: give exactly one structure file');
    if (!values.out) throw new HamError('E_INPUT', 'predict: --out <dir> is required');
    const out = path.resolve(values.out);
    if (!values.force && existsSync(out) && readdirSync(out).length > 0) {
      throw new HamError('E_INPUT', 'folder exists and is not empty; choose another --out or replace it with --force', { file: out });
    }
    const order = (values.order ?? 'wiki') as OrbitalConvention;
    if (!isOrbitalConvention(order) || !ORDERS.includes(order)) throw new HamError('E_INPUT', `predict: --order must be one of ${ORDERS.join(', ')}`);
    const file = positionals[0];
    const frames = await readStructures(file);
    const k = values.frame ? Number(values.frame) : 0;
    if (!Number.isInteger(k) || k < 0 || k >= frames.length) throw new HamError('E_INPUT', `predict: --frame must be 0…${frames.length - 1}`, { file });
    const structure = frames[k];
    const backend = await initBackend(values.backend);
    const t0 = performance.now();
    const { model, info, dir } = values.model ? resolveModel(values.model) : defaultModelFor(structure.numbers);
    const loadMs = performance.now() - t0;
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
