#!/usr/bin/env node
// `npm start`: the app (Electron window, or browser mode on 127.0.0.1), from the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { startApp } = await import('../main/app.ts');
try {
  const server = await startApp(process.argv.slice(2));
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(`hamstudio-app: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
