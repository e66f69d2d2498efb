/**
 * The Python interpreter that runs the external scientific codes (psi4 and GPAW labellers, the SLEPc band solver):
 * Debian's python3, which finds Debian's packages; HAMSTUDIO_PYTHON overrides it.
 */
import { spawnSync } from 'node:child_process';
import { HamError } from '../contracts/errors.ts';

export const python = (): string => process.env.HAMSTUDIO_PYTHON ?? '/usr/bin/python3';

/** The output of `python -c code`, or E_EXTERNAL_TOOL with `hint` when the interpreter or the module is missing. */
export function pythonProbe(code: string, what: string, hint: string): string {
  const r = spawnSync(python(), ['-c', code], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new HamError('E_EXTERNAL_TOOL', `${what} is not available to ${python()}; ${hint}`);
  return r.stdout.trim();
}
