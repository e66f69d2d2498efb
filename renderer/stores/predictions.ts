/** The prediction of the opened structure: H, S, orbital energies and their labels. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Prediction } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

export const usePredictionsStore = defineStore('predictions', () => {
  const current = ref<Prediction>();
  const error = ref<string>();
  const busy = ref(false);

  async function predict(structureId: string, model?: string) {
    busy.value = true;
    error.value = undefined;
    try {
      current.value = await bridge().predict(model === undefined ? { structureId } : { structureId, model });
      return true;
    } catch (e) {
      error.value = describeError(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { current, error, busy, predict };
});
