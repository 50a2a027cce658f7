import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import 'react-querybuilder/dist/query-builder.css';
import './admin.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setupI18n } from '@shared/i18n/i18n';
import en from './locales/en.json';
import { AdminApp } from './app';

await setupI18n(en, {
  en: async () => ({ default: en }),
  fr: () => import('./locales/fr.json'),
  fa: () => import('./locales/fa.json'),
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AdminApp />
    </StrictMode>,
  );
}
