/**
 * The export formats, one module each, listed in one table (in the manner of ASE's `ase.io.formats`): the CLI's
 * --format, the app's export menu and the service all read it, so adding a format is one module and one line here.
 */
import { HamError } from '../contracts/errors.ts';
import { deephFormat } from './deeph.ts';
import { deephNewFormat } from './deeph-new.ts';
import type { ExportFormat } from './format.ts';
import { moldenFormat } from './molden.ts';
import { npyFormat } from './npy.ts';
import { psi4Format } from './psi4.ts';
import { pyscfFormat } from './pyscf.ts';
import { wannier90Format } from './wannier90.ts';

export const EXPORT_FORMATS: readonly ExportFormat[] = [npyFormat, pyscfFormat, psi4Format, moldenFormat, deephFormat, deephNewFormat, wannier90Format];

export function exportFormat(name: string): ExportFormat {
  const format = EXPORT_FORMATS.find((f) => f.name === name);
  if (!format) throw new HamError('E_INPUT', `unknown export format '${name}'; known: ${EXPORT_FORMATS.map((f) => f.name).join(', ')}`);
  return format;
}
