import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import 'react-querybuilder/dist/query-builder.css';
import './admin.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bundleLoaders, setupI18n, type Bundle } from '@shared/i18n/i18n';
import en from './locales/en.json';
import { AdminApp } from './app';

// Every language of LANGUAGES (en, fr, fa, uk, hi, tl) from its locales/<code>.json, loaded on demand.
await setupI18n(en, bundleLoaders(en, import.meta.glob<{ default: Bundle }>('./locales/*.json')));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AdminApp />
    </StrictMode>,
  );
}
