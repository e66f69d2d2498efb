// The renderer bundle (npm run build:renderer → renderer/dist), served by browser mode and loaded by Electron.
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset paths: the same bundle works from http:// (browser mode) and file:// (Electron).
  base: './',
  plugins: [vue()],
  // 3Dmol.js is one ~600 kB chunk, loaded only when a structure is shown.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
});
