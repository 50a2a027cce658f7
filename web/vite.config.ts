import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

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

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), portalFallback()],
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
