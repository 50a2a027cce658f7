import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, chooseLanguage, isLanguage } from '@shared/i18n/i18n';
import { Link } from '../../../router';
import type { PortalSession } from '../../auth/api/portal-auth-api';

const TABS = [
  { to: '/', key: 'home', icon: 'M3 11l9-8 9 8v10h-6v-6H9v6H3z' },
  { to: '/history', key: 'history', icon: 'M12 3a9 9 0 1 0 9 9h-2a7 7 0 1 1-7-7zm-1 4v6l5 3 1-1.7-4-2.3V7z' },
  { to: '/rewards', key: 'rewards', icon: 'M20 7h-3.2A3 3 0 0 0 12 3.5 3 3 0 0 0 7.2 7H4v5h1v9h14v-9h1zM13 19h-2v-7h2z' },
  { to: '/inbox', key: 'inbox', icon: 'M4 4h16v16H4zm2 2v9h3l1 2h4l1-2h3V6z' },
  { to: '/company', key: 'company', icon: 'M3 21V7l6-4v4l6-4v18zm14 0V11h4v10z', admin: true },
] as const;

export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <select
      className="lang"
      aria-label={t('shell.language')}
      value={i18n.language}
      onChange={(e) => {
        const code = e.currentTarget.value;
        if (isLanguage(code)) void chooseLanguage(code);
      }}
    >
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

export function PortalShell({ session, path, unread = 0, onSignOut, children }: { session: PortalSession; path: string; unread?: number; onSignOut: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const tabs = TABS.filter((tab) => !('admin' in tab) || session.partnerAdmin);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="top">
        <div className="who">
          {/* Names keep their own direction (and their ellipsis at their end) inside a right-to-left page. */}
          <strong dir="auto">{session.account.name}</strong>
          <span dir="auto">{session.member.name}</span>
        </div>
        <LanguageSelect />
        <button type="button" className="link" onClick={onSignOut}>
          {t('auth.signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <nav className="tabs" aria-label={t('shell.navigation')}>
        {tabs.map((tab) => {
          const active = tab.to === '/' ? path === '/' : path.startsWith(tab.to);
          return (
            <Link key={tab.to} to={tab.to} className={active ? 'tab active' : 'tab'} aria-current={active ? 'page' : undefined}>
              <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                <path d={tab.icon} fill="currentColor" />
              </svg>
              <span>{t(`nav.${tab.key}`)}</span>
              {tab.key === 'inbox' && unread > 0 ? (
                <span className="badge" aria-label={t('inbox.unread', { count: unread })}>
                  {unread}
                </span>
              ) : null}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
