/**
 * Candidate structures from short molecular dynamics with xtb (GFN2-xTB; Debian's `xtb`), as the issue "Guided
 * fine-tuning" asks for when xtb is installed: an NVT run at `temperature` for about 100 fs per snapshot after a
 * 20 % equilibration, snapshots dumped evenly (xtb's $md block: temp, time in ps, dump in fs, 1 fs steps, no SHAKE,
 * real hydrogen masses). Runs in a temporary folder; xtb's trajectory (xtb.trj, XYZ frames) is read back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HamError } from '../contracts/errors.ts';
import { readXyz, writeXyz } from '../structure/formats/xyz.ts';
import type { Structure } from '../structure/structure.ts';

const XTB = () => process.env.HAMSTUDIO_XTB ?? 'xtb';
const FS_PER_SNAPSHOT = 100;
const EQUILIBRATION = 0.2;

export function xtbAvailable(): boolean {
  const r = spawnSync(XTB(), ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

export function mdSnapshots(structure: Structure, count: number, temperature: number): Structure[] {
  if (!Number.isInteger(count) || count < 1) throw new HamError('E_INPUT', `the number of structures must be a positive integer (got ${count})`);
  if (!(temperature > 0 && temperature <= 3000)) throw new HamError('E_INPUT', `the MD temperature must be between 0 and 3000 K (got ${temperature})`);
  if (!xtbAvailable()) throw new HamError('E_EXTERNAL_TOOL', `xtb is not installed (needed for MD sampling); install it with: apt-get install xtb, or sample with thermal displacements`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-xtb-'));
  try {
    const production = count * FS_PER_SNAPSHOT;
    const total = production / (1 - EQUILIBRATION);
    writeFileSync(path.join(dir, 'mol.xyz'), writeXyz({ ...structure, info: undefined }));
    writeFileSync(path.join(dir, 'md.inp'), `$md\n   temp=${temperature}\n   time=${(total / 1000).toFixed(4)}\n   dump=${FS_PER_SNAPSHOT.toFixed(1)}\n   step=1.0\n   hmass=1\n   shake=0\n$end\n`);
    const r = spawnSync(XTB(), ['mol.xyz', '--input', 'md.inp', '--md'], { cwd: dir, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    if (r.status !== 0) {
      const last = `${r.stderr}\n${r.stdout}`.trim().split('\n').filter((l) => /error|abnormal/i.test(l)).slice(-1)[0] ?? `exit code ${r.status}`;
      throw new HamError('E_EXTERNAL_TOOL', `xtb MD failed: ${last.trim()}`);
    }
    const frames = readXyz(readFileSync(path.join(dir, 'xtb.trj'), 'utf8'), 'xtb.trj');
    if (frames.length < count) throw new HamError('E_EXTERNAL_TOOL', `xtb wrote ${frames.length} frames, ${count} were asked for`);
    return frames.slice(-count).map((f) => ({ numbers: structure.numbers, positions: f.positions }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
