/** The Electron preload (sandboxed; bundled to CommonJS by main/electron-build.ts). */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeApi } from './preload-api.ts';

exposeApi(contextBridge, ipcRenderer);
