import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The admin portal: built into dist/web, served by Gatehouse at /admin (src/http/admin-portal.ts). */
export default defineConfig({
  root: here,
  base: '/admin/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // no inline module-preload polyfill script: the CSP allows only the portal's own files
    modulePreload: { polyfill: false },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/sso': 'http://127.0.0.1:8080', '/oauth': 'http://127.0.0.1:8080' } },
});
