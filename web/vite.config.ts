import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The operator console: built into web/dist and served by Tocsin under /console/. */
export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    // Hashed file names under assets/: served as immutable, while index.html is never cached.
    assetsDir: 'assets',
    sourcemap: false,
    // One bundle for the whole console (about 500 KB, 140 KB as brotli, cached for a year), and
    // the campus map (Leaflet) in a chunk of its own, loaded when a map is opened: on loopback the
    // main bundle loads in under half a second; warn only when it grows well past that.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite web` during development: the API comes from a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:3000', '/login': 'http://127.0.0.1:3000' },
  },
});
