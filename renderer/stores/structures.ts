/** Structures: the shipped examples and the structure the user opened (by example, file input or drop). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExampleEntry, StructureSummary } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

export const useStructuresStore = defineStore('structures', () => {
  const examples = ref<ExampleEntry[]>([]);
  const current = ref<StructureSummary>();
  const error = ref<string>();
  const busy = ref(false);

  async function loadExamples() {
    try {
      examples.value = await bridge().listExamples({});
    } catch (e) {
      error.value = describeError(e);
    }
  }

  async function open(name: string, text: string) {
    busy.value = true;
    error.value = undefined;
    try {
      current.value = await bridge().openStructure({ name, text });
    } catch (e) {
      error.value = describeError(e);
    } finally {
      busy.value = false;
    }
  }

  return { examples, current, error, busy, loadExamples, open };
});
