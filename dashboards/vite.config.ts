import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dashboard is served by the API server from `dashboards/dist` on the same origin
 * (`/` with SPA fallback, API under `/v1`), so every request is same-origin and needs no
 * CORS. In development Vite proxies `/v1` to the API on port 8080 (override with
 * LICENSKOLL_API).
 */
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The size budget is enforced by scripts/size.mjs on gzipped initial JS, not here.
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    proxy: {
      '/v1': { target: process.env.LICENSKOLL_API ?? 'http://localhost:8080', changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/v1': { target: process.env.LICENSKOLL_API ?? 'http://localhost:8080', changeOrigin: true },
    },
  },
});
