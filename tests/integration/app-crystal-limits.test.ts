/**
 * The app shows a crystal's H(R), S(R) as dense n × n matrices and solves its bands densely, so a cell beyond the
 * dense limit is refused before the (long) prediction, with the command-line route named.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HamStudioApi } from '../../core/contracts/api.ts';
import { DENSE_BANDS_LIMIT } from '../../core/physics/bands.ts';
import { createServices } from '../../core/services/index.ts';

let services: HamStudioApi;
beforeAll(() => { services = createServices(); });

/** An n × n graphene supercell as POSCAR text (2 atoms per primitive cell, 12 Å of vacuum). */
function graphenePoscar(n: number): string {
  const a = 2.46;
  const lines = ['graphene', '1.0', `${n * a} 0 0`, `${(n * a) / 2} ${(n * a * Math.sqrt(3)) / 2} 0`, '0 0 12', 'C', String(2 * n * n), 'Direct'];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      lines.push(`${i / n} ${j / n} 0.5`, `${(i + 1 / 3) / n} ${(j + 1 / 3) / n} 0.5`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('crystals in the app', () => {
  it(`refuses a cell of more than ${DENSE_BANDS_LIMIT} orbitals and points to the command line`, async () => {
    const { id } = await services.openStructure({ name: 'graphene-13x13.vasp', text: graphenePoscar(13) });
    await expect(services.predict({ structureId: id })).rejects.toMatchObject({
      code: 'E_INPUT', message: expect.stringMatching(/has 4394 orbitals; the app shows crystals of up to 4000\. .*hamstudio bands --window/),
    });
  }, 60_000);
});
