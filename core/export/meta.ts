/**
 * The meta.json written beside exported arrays and scripts (formats §4: every export states its units and orbital
 * convention): the structure, the shells per atom, the orbital order with its description, units, basis and where
 * the matrices came from.
 */
import { conventionDescription, type OrbitalConvention } from '../basis/conventions.ts';
import { softwareVersion } from '../runtime/version.ts';
import type { ExportSource } from './source.ts';

const EXPORT_META_FORMAT = 'hamstudio-export';

export function exportMeta(
  source: ExportSource, format: string, order: OrbitalConvention, units: Record<string, string>, files: Record<string, string>,
): Record<string, unknown> {
  const { structure, atomShells } = source.sample;
  return {
    format: EXPORT_META_FORMAT,
    version: 1,
    export: format,
    software: softwareVersion(),
    kind: source.kind,
    units,
    orbital_order: order,
    orbital_order_note: conventionDescription(order),
    atomic_numbers: structure.numbers,
    positions: structure.positions,
    ...(structure.cell ? { cell: structure.cell } : {}),
    shells: atomShells,
    basis: source.basis,
    predicted: source.predicted,
    ...source.provenance,
    files,
  };
}
