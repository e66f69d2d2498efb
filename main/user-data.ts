/** The user's data folder of the app (run store, recent structures): HAMSTUDIO_DATA_DIR, else XDG's data home. */
import os from 'node:os';
import path from 'node:path';

export function userDataDir(): string {
  if (process.env.HAMSTUDIO_DATA_DIR) return process.env.HAMSTUDIO_DATA_DIR;
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'hamstudio');
}

export const recentStructuresFile = () => path.join(userDataDir(), 'recent.json');
