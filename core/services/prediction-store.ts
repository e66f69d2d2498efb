/** The last prediction of each opened structure, kept as what an export writes from (core/export/source.ts). */
import { HamError } from '../contracts/errors.ts';
import type { ExportSource } from '../export/source.ts';

export class PredictionStore {
  private readonly sources = new Map<string, ExportSource>();

  set(structureId: string, source: ExportSource): void {
    this.sources.set(structureId, source);
  }

  get(structureId: string): ExportSource {
    const hit = this.sources.get(structureId);
    if (!hit) throw new HamError('E_NOT_FOUND', 'predict this structure first', { key: 'structureId' });
    return hit;
  }
}
