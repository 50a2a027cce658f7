import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chosenLanguage, isLanguage, switchLanguage } from '@shared/i18n/i18n';
import { currentMember, signOut, type PortalSession } from './modules/auth/api/portal-auth-api';
import { SignInScreen } from './modules/auth/components/sign-in-screen';
import { CompanyScreen } from './modules/company/components/company-screen';
import { HistoryScreen } from './modules/history/components/history-screen';
import { RebatesScreen } from './modules/rebates/components/rebates-screen';
import { SurveysScreen } from './modules/surveys/components/surveys-screen';
import { CoursesScreen } from './modules/courses/components/courses-screen';
import { ClaimsScreen } from './modules/claims/components/claims-screen';
import { ClubScreen } from './modules/club/components/club-screen';
import { HomeScreen } from './modules/home/components/home-screen';
import { fetchInbox } from './modules/inbox/api/inbox-api';
import { InboxScreen } from './modules/inbox/components/inbox-screen';
import { RewardsScreen } from './modules/rewards/components/rewards-screen';
import { PortalShell } from './modules/shell/components/portal-shell';
import { CurrenciesContext } from './modules/shell/hooks/use-amount';
import { api } from './api-client';
import { navigate, usePath } from './router';

/** The member's stored locale (`fr-FR` → French), when the portal speaks it; otherwise the language stays. */
function showMemberLanguage(session: PortalSession): void {
  const lang = session.member.locale?.split('-')[0].toLowerCase();
  if (isLanguage(lang)) void switchLanguage(lang);
}

type State = { status: 'loading' } | { status: 'signedOut' } | { status: 'signedIn'; session: PortalSession };

export function PortalApp() {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ status: 'loading' });
  const path = usePath();
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    currentMember().then(
      (s) => {
        if (!s) return setState({ status: 'signedOut' });
        // Back on a signed-in phone: a language picked here stays, else the member's own.
        if (!chosenLanguage()) showMemberLanguage(s);
        setState({ status: 'signedIn', session: s });
      },
      () => setState({ status: 'signedOut' }),
    );
    api.onUnauthenticated(() => setState({ status: 'signedOut' }));
  }, []);

  function signedIn(session: PortalSession) {
    // The browser's language until the member is known; from now on the member's own locale.
    showMemberLanguage(session);
    setState({ status: 'signedIn', session });
    navigate('/');
  }

  // The inbox badge: counted once signed in; the inbox screen keeps it up to date.
  useEffect(() => {
    if (state.status === 'signedIn') fetchInbox(1).then((r) => setUnread(r.unread), () => {});
  }, [state.status]);

  if (state.status === 'loading') return <p className="loading">{t('common.loading')}</p>;
  if (state.status === 'signedOut') return <SignInScreen onSignedIn={signedIn} />;
  const { session } = state;
  let screen;
  if (path.startsWith('/history')) screen = <HistoryScreen />;
  else if (path.startsWith('/rewards')) screen = <RewardsScreen />;
  else if (path.startsWith('/inbox')) screen = <InboxScreen onUnread={setUnread} />;
  // Volume rebates (#14)
  else if (path.startsWith('/rebates')) screen = <RebatesScreen />;
  // Surveys (#16)
  else if (path.startsWith('/surveys')) screen = <SurveysScreen />;
  // Marketing funds and claims (#13)
  else if (path.startsWith('/claims')) screen = <ClaimsScreen />;
  // Club events and success stories (#19)
  else if (path.startsWith('/club')) screen = <ClubScreen tab={path.startsWith('/club/stories') ? 'stories' : 'events'} />;
  // Courses (#19)
  else if (path.startsWith('/courses')) screen = <CoursesScreen />;
  else if (path.startsWith('/company') && session.partnerAdmin) screen = <CompanyScreen me={session.member.id} />;
  else screen = <HomeScreen session={session} />;
  return (
    <CurrenciesContext.Provider value={session.currencies ?? []}>
    <PortalShell
      session={session}
      path={path}
      unread={unread}
      onSignOut={async () => {
        await signOut();
        setState({ status: 'signedOut' });
      }}
    >
      {screen}
    </PortalShell>
    </CurrenciesContext.Provider>
  );
}
