import './portal.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bundleLoaders, setupI18n, type Bundle } from '@shared/i18n/i18n';
import en from './locales/en.json';
import { PortalApp } from './app';

// Every language of LANGUAGES (en, fr, fa, uk, hi, tl) from its locales/<code>.json, loaded on demand.
await setupI18n(en, bundleLoaders(en, import.meta.glob<{ default: Bundle }>('./locales/*.json')));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <PortalApp />
    </StrictMode>,
  );
}

// Installable and quick to reopen on a weak network; the Vite dev server has no worker.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/portal/sw.js', { scope: '/portal/' }).catch(() => undefined);
  });
}
