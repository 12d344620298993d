import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // pkcs11js is an optional native addon, loaded only when a profile's key is on a PKCS#11 token, and
      // keytar one loaded on the first keychain call: electron-vite externalizes `dependencies` only, so
      // name them here.
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') }, external: ['keytar', 'pkcs11js'] },
    },
  },
  preload: {
    // A sandboxed preload can require nothing but `electron`: bundle everything into one CommonJS file.
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      // electron-vite leaves bundles unminified; the window loads faster from a lean, minified one.
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});
