/**
 * Structures: the shipped examples and the structure the user opened (by example, file input or drop, or a labelled
 * structure of a dataset folder).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExampleEntry, RecentStructure, StructureSummary } from '../../core/contracts/api.ts';
import { bridge } from '../bridge/index.ts';
import { describeError } from './errors.ts';

export const useStructuresStore = defineStore('structures', () => {
  const examples = ref<ExampleEntry[]>([]);
  /** Structures opened lately, newest first (kept by the app across sessions). */
  const recent = ref<RecentStructure[]>([]);
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

  async function loadRecent() {
    try {
      recent.value = await bridge().listRecent({});
    } catch (e) {
      error.value = describeError(e);
    }
  }

  async function load(work: () => Promise<StructureSummary>) {
    busy.value = true;
    error.value = undefined;
    try {
      current.value = await work();
    } catch (e) {
      error.value = describeError(e);
    } finally {
      busy.value = false;
    }
    await loadRecent();
  }

  const open = (name: string, text: string) => load(() => bridge().openStructure({ name, text }));

  /** A structure of a dataset folder with its DFT reference; `index` picks it in a matrix stack or dataset root. */
  const openLabelled = (path: string, index?: number) => load(() => bridge().openLabelled(index === undefined ? { path } : { path, index }));

  const openRecent = (id: string) => load(() => bridge().openRecent({ id }));

  return { examples, recent, current, error, busy, loadExamples, loadRecent, open, openLabelled, openRecent };
});
