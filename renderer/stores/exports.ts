/** Export formats and the files of the last export, ready to be saved by the user. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExportedPrediction, ExportFormatSummary } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

export const useExportsStore = defineStore('exports', () => {
  const formats = ref<ExportFormatSummary[]>([]);
  const last = ref<ExportedPrediction>();
  const error = ref<string>();
  const busy = ref(false);

  async function load() {
    if (formats.value.length > 0) return;
    try {
      formats.value = await bridge().listExportFormats({});
    } catch (e) {
      error.value = describeError(e);
    }
  }

  async function run(structureId: string, format: string, order?: string) {
    busy.value = true;
    error.value = undefined;
    last.value = undefined;
    try {
      last.value = await bridge().exportPrediction(order ? { structureId, format, order } : { structureId, format });
    } catch (e) {
      error.value = describeError(e);
    } finally {
      busy.value = false;
    }
  }

  return { formats, last, error, busy, load, run };
});
