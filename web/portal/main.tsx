import './portal.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setupI18n } from '@shared/i18n/i18n';
import en from './locales/en.json';
import { PortalApp } from './app';

await setupI18n(en, {
  en: async () => ({ default: en }),
  fr: () => import('./locales/fr.json'),
  fa: () => import('./locales/fa.json'),
});

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
