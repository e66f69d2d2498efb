/** Models installed with the app, and the one the user picked (none: the default for the structure's elements). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ModelSummary } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

export const useModelsStore = defineStore('models', () => {
  const models = ref<ModelSummary[]>([]);
  const selected = ref<string>();
  const error = ref<string>();

  async function load() {
    try {
      models.value = await bridge().listModels({});
    } catch (e) {
      error.value = describeError(e);
    }
  }

  return { models, selected, error, load };
});
