/**
 * The Electron main process (DESIGN.md §2): one window on the built renderer with context isolation, sandbox and
 * no Node integration, a strict Content-Security-Policy, no navigation away and no new windows; every API call comes
 * over one IPC channel from that window and goes through the same router table as browser mode; training and
 * fine-tuning run in utility processes the job supervisor owns; dataset folders are read only at or below one chosen
 * in its folder dialog. Started by main/app.ts as `electron <bundle of this file>`.
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices } from '../../core/services/index.ts';
import { JobSupervisor } from '../jobs/supervisor.ts';
import { recentStructuresFile } from '../user-data.ts';
import { createRouter } from '../server/router.ts';
import { CSP } from '../server/csp.ts';
import { ChosenFolders } from './chosen-folders.ts';
import { API_CHANNEL, CHOOSE_FOLDER_CHANNEL, createChooseFolderHandler, createIpcHandler } from './ipc.ts';
import { utilityProcessLauncher } from './utility-launcher.ts';

// Set by main/app.ts from a source checkout; a packaged app finds them beside this bundle (out/electron/).
const rendererIndex = process.env.HAMSTUDIO_RENDERER_INDEX ?? path.join(import.meta.dirname, '../../renderer/dist/index.html');
const preload = process.env.HAMSTUDIO_PRELOAD ?? path.join(import.meta.dirname, 'preload.cjs');

async function open(): Promise<void> {
  const jobs = new JobSupervisor(undefined, process.env, utilityProcessLauncher);
  const chosen = new ChosenFolders();
  const route = createRouter(createServices(jobs, recentStructuresFile()), (e) => console.error(e), (p) => chosen.allows(p));
  const handle = createIpcHandler(route, pathToFileURL(rendererIndex).href);
  ipcMain.handle(API_CHANNEL, (event, method: unknown, request: unknown) => handle(event.senderFrame?.url, method, request));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  const win = new BrowserWindow({
    width: 1400, height: 900, title: 'Hamiltonian Studio',
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
  });
  const chooseFolder = createChooseFolderHandler(pathToFileURL(rendererIndex).href, async () => {
    const r = await dialog.showOpenDialog(win, { title: 'A dataset folder with DFT data', properties: ['openDirectory'] });
    return r.canceled ? undefined : r.filePaths[0];
  }, chosen);
  ipcMain.handle(CHOOSE_FOLDER_CHANNEL, (event) => chooseFolder(event.senderFrame?.url));
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  app.on('before-quit', () => jobs.shutdown());
  await win.loadFile(path.resolve(rendererIndex));
}

app.whenReady().then(open).catch((e: unknown) => {
  console.error(`hamstudio: ${e instanceof Error ? e.message : String(e)}`);
  app.exit(2);
});
app.on('window-all-closed', () => app.quit());
