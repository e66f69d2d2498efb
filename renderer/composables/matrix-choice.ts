/**
 * Which matrices the Hamiltonian view offers for a prediction: H and S, and with a DFT reference also the reference
 * H and the error H_pred − H_ref (for a crystal all at the selected R), each with its title and unit.
 */
import type { Prediction, Translation } from '../../core/contracts/api.ts';

export type MatrixChoice = 'H' | 'S' | 'reference' | 'error';

export interface ShownMatrix {
  choice: MatrixChoice;
  title: string;
  values: number[];
  /** Unit of the entries; empty for S. */
  unit: string;
}

export const CHOICE_LABELS: Record<MatrixChoice, string> = { H: 'H', S: 'S', reference: 'reference H', error: 'error' };

export const translationLabel = (R: Translation) => `(${R.join(', ')})`;

export function matrixChoices(p: Prediction): MatrixChoice[] {
  return p.reference ? ['H', 'S', 'reference', 'error'] : ['H', 'S'];
}

export function shownMatrix(p: Prediction, choice: MatrixChoice): ShownMatrix {
  const at = (name: string) => (p.kind === 'crystal' ? `${name}(R = ${translationLabel(p.R)})` : name);
  const ref = p.reference;
  if (choice === 'S') return { choice, title: at('S'), values: p.S, unit: '' };
  if (choice === 'reference' && ref) return { choice, title: `${at('H')} reference (${ref.source.id})`, values: ref.H, unit: p.unit };
  if (choice === 'error' && ref) return { choice, title: `${at('H')} error: predicted − reference`, values: ref.error, unit: p.unit };
  return { choice: 'H', title: at('H'), values: p.H, unit: p.unit };
}
