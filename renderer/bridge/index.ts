/**
 * The renderer's only access to the app (DESIGN.md §2): one object with the API's methods, over whichever
 * transport this window has — Electron IPC when the preload exposed `window.hamstudioIpc`, else HTTP (browser mode).
 */
import type { HamStudioApi } from '../../core/contracts/api.ts';
import { createHttpTransport, tokenFromHash } from './http-transport.ts';
import { createIpcTransport, type IpcInvoker } from './ipc-transport.ts';
import type { Transport } from './transport.ts';

export { ApiCallError } from './transport.ts';

export function createBridge(t: Transport): HamStudioApi {
  return {
    info: (r) => t.call('info', r),
    listExamples: (r) => t.call('listExamples', r),
    listModels: (r) => t.call('listModels', r),
    openStructure: (r) => t.call('openStructure', r),
    listRecent: (r) => t.call('listRecent', r),
    openRecent: (r) => t.call('openRecent', r),
    openLabelled: (r) => t.call('openLabelled', r),
    predict: (r) => t.call('predict', r),
    crystalMatrices: (r) => t.call('crystalMatrices', r),
    bands: (r) => t.call('bands', r),
    listExportFormats: (r) => t.call('listExportFormats', r),
    exportPrediction: (r) => t.call('exportPrediction', r),
    listRuns: (r) => t.call('listRuns', r),
    estimateFinetune: (r) => t.call('estimateFinetune', r),
    startFinetune: (r) => t.call('startFinetune', r),
    startTraining: (r) => t.call('startTraining', r),
    cancelRun: (r) => t.call('cancelRun', r),
    resumeRun: (r) => t.call('resumeRun', r),
    registerRunModel: (r) => t.call('registerRunModel', r),
  };
}

let current: HamStudioApi | undefined;

export function bridge(): HamStudioApi {
  const ipc = (window as { hamstudioIpc?: IpcInvoker }).hamstudioIpc;
  current ??= createBridge(ipc ? createIpcTransport(ipc) : createHttpTransport(tokenFromHash(window.location.hash) ?? ''));
  return current;
}

/** The desktop app's folder dialog (the preload's), or undefined in browser mode, where the user types the path. */
export function folderDialog(): (() => Promise<string | null>) | undefined {
  const ipc = (window as { hamstudioIpc?: { chooseFolder?: () => Promise<string | null> } }).hamstudioIpc;
  const choose = ipc?.chooseFolder;
  return choose ? () => choose() : undefined;
}
