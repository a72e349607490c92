/**
 * Builds the web application: sources in `web/`, output in `web/dist` (which the server serves).
 * `npx vite --config web/vite.config.ts` runs it in development, with `/api` passed on to a server on
 * http://127.0.0.1:8177 (`prrt serve`). The Host header is kept, so the server's origin check accepts
 * the development page's requests.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the server's Content-Security-Policy allows files from its origin only.
    assetsInlineLimit: 0,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': 'http://127.0.0.1:8177' },
    // The web app imports the pure plot and clinical modules from `src/`.
    fs: { allow: [repoRoot] },
  },
  preview: { host: '127.0.0.1', port: 4173 },
});
