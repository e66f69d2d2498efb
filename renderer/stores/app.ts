/** The session: what the app runs on, and which view is shown. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

export type ViewName = 'structures' | 'hamiltonian' | 'spectrum' | 'export' | 'runs' | 'models';

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo>();
  const error = ref<string>();
  const view = ref<ViewName>('structures');

  async function load() {
    try {
      info.value = await bridge().info({});
    } catch (e) {
      error.value = describeError(e);
    }
  }

  return { info, error, view, load };
});
