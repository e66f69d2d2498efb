/**
 * The prediction of the opened structure: for a molecule H, S and orbital energies; for a crystal H(R), S(R) at the
 * chosen translation and, once asked for, its bands and DOS. With a DFT reference, the reference H and the error
 * follow the translation; its errors by block type stay those of the whole prediction.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BandsReport, Prediction, Translation } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

export const usePredictionsStore = defineStore('predictions', () => {
  const current = ref<Prediction>();
  const bands = ref<BandsReport>();
  const error = ref<string>();
  const busy = ref(false);

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = undefined;
    try {
      return await work();
    } catch (e) {
      error.value = describeError(e);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function predict(structureId: string, model?: string) {
    const result = await run(() => bridge().predict(model === undefined ? { structureId } : { structureId, model }));
    if (result) {
      current.value = result;
      bands.value = undefined;
    }
    return result !== undefined;
  }

  /** Show H(R), S(R) of the current crystal at another translation. */
  async function selectTranslation(R: Translation) {
    const c = current.value;
    if (c?.kind !== 'crystal') return;
    const m = await run(() => bridge().crystalMatrices({ structureId: c.structureId, R }));
    if (m && current.value === c) {
      const { reference, ...at } = m;
      current.value = { ...c, ...at, reference: c.reference && reference ? { ...c.reference, ...reference } : c.reference };
    }
  }

  async function loadBands() {
    const c = current.value;
    if (c?.kind !== 'crystal' || bands.value) return;
    const b = await run(() => bridge().bands({ structureId: c.structureId }));
    if (b && current.value === c) bands.value = b;
  }

  return { current, bands, error, busy, predict, selectTranslation, loadBands };
});
