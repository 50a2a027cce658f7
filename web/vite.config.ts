import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { precompressDir } from '../src/web/precompress.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.FEALTY_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

/** The dev server's SPA fallback knows only /index.html; portal deep links need the portal's page. */
function portalFallback(): Plugin {
  return {
    name: 'fealty-portal-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        if (path === '/portal' || (path.startsWith('/portal/') && !path.slice(8).includes('.'))) req.url = '/portal/index.html';
        next();
      });
    },
  };
}

/**
 * Brotli and gzip copies of every text file of the build, written once here so the server sends
 * them as they are (src/web/serve-web.ts) rather than compressing on each request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'fealty-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : `${config.root}/${config.build.outDir}`;
    },
    async closeBundle() {
      const t = await precompressDir(outDir);
      const kB = (n: number) => `${(n / 1000).toFixed(0)} kB`;
      this.info(`precompressed ${t.files} files: ${kB(t.bytes)} → ${kB(t.brotliBytes)} brotli, ${kB(t.gzipBytes)} gzip`);
    },
  };
}

/**
 * Vendor chunks named after their libraries: stable names (cached across releases of our own code),
 * one copy for both entries, and a few large files rather than a hundred small ones when every
 * console screen is loaded on demand. The portal takes only `react` and `i18n`.
 */
const nm = (names: string) => new RegExp(`node_modules[\\\\/](${names})[\\\\/]`);
const VENDOR_CHUNKS = [
  { name: 'react', test: nm('react|react-dom|scheduler') },
  { name: 'i18n', test: nm('i18next|react-i18next|html-parse-stringify|void-elements|use-sync-external-store') },
  // The console's UI kit with what it pulls in; the date pickers stay with the rule editor.
  { name: 'mantine', test: nm('@mantine[\\\\/](core|hooks)|@floating-ui|react-remove-scroll|react-remove-scroll-bar|react-style-singleton|use-callback-ref|use-sidecar|react-number-format|react-textarea-autosize|tslib|get-nonce|detect-node-es|clsx') },
  { name: 'console-vendor', test: nm('@tanstack|react-router|zod') },
];

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), portalFallback(), precompress()],
  resolve: {
    alias: { '@contracts': `${root}../src/contracts`, '@shared': `${root}shared` },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The console is large (Mantine, charts, the query builder); keep the warning for the portal's sake.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: { admin: `${root}index.html`, portal: `${root}portal/index.html` },
      output: { codeSplitting: { groups: VENDOR_CHUNKS } },
    },
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/health': apiTarget,
      '/metrics': apiTarget,
    },
  },
});
