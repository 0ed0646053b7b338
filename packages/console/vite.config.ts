import { defineConfig } from 'vite';

/**
 * The console is served by the REST server under `/console/` (or a prefix in front of it): asset
 * URLs are relative and resolve against the `<base>` the server writes into the page.
 */
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
