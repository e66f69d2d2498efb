/** The run store as the app shows it: runs listed and, while any is active, polled once a second. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { EstimateFinetuneRequest, FinetuneEstimate, RunInfo, StartFinetuneRequest, StartTrainingRequest } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

const POLL_MS = 1000;

export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunInfo[]>([]);
  const error = ref<string>();
  /** The timed SCF of the structure to fine-tune on, and whether it is being measured. */
  const estimate = ref<FinetuneEstimate>();
  const estimating = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function refresh() {
    try {
      runs.value = await bridge().listRuns({});
    } catch (e) {
      error.value = describeError(e);
    }
    clearTimeout(timer);
    if (runs.value.some((r) => r.status === 'running' || r.status === 'queued')) timer = setTimeout(() => void refresh(), POLL_MS);
  }

  async function act(work: () => Promise<unknown>) {
    error.value = undefined;
    try {
      await work();
    } catch (e) {
      error.value = describeError(e);
    }
    await refresh();
  }

  async function estimateCost(r: EstimateFinetuneRequest) {
    error.value = undefined;
    estimate.value = undefined;
    estimating.value = true;
    try {
      estimate.value = await bridge().estimateFinetune(r);
    } catch (e) {
      error.value = describeError(e);
    } finally {
      estimating.value = false;
    }
  }

  return {
    runs, error, refresh, estimate, estimating, estimateCost,
    startFinetune: (r: StartFinetuneRequest) => act(() => bridge().startFinetune(r)),
    startTraining: (r: StartTrainingRequest) => act(() => bridge().startTraining(r)),
    cancel: (id: string) => act(() => bridge().cancelRun({ id })),
    resume: (id: string) => act(() => bridge().resumeRun({ id })),
    /** Put a finished run's model into the library; the models list is refreshed by the caller. */
    register: (id: string, name: string) => act(() => bridge().registerRunModel({ id, name })),
    stopPolling: () => clearTimeout(timer),
  };
});
