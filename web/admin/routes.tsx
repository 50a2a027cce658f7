import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, type ComponentType } from 'react';
import { Navigate, Outlet, Route, Routes } from 'react-router';
import { useSession } from './modules/auth/components/session-provider';
import { SignInPage } from './modules/auth/components/sign-in-page';
import { PlaceholderPage } from './modules/placeholders/components/placeholder-page';
import { AdminShell } from './modules/shell/components/admin-shell';

/**
 * Every screen is its own chunk, fetched when it first opens: the first load carries the shell,
 * the sign-in and the screen at hand, not the charts, the condition builder or the import editor.
 */
function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

const AccountDetailPage = screen(() => import('./modules/accounts/components/account-detail-page'), 'AccountDetailPage');
const AccountsPage = screen(() => import('./modules/accounts/components/accounts-page'), 'AccountsPage');
const AdjustmentsPage = screen(() => import('./modules/adjustments/components/adjustments-page'), 'AdjustmentsPage');
const ApiKeysPage = screen(() => import('./modules/api-keys/components/api-keys-page'), 'ApiKeysPage');
const AuditPage = screen(() => import('./modules/audit/components/audit-page'), 'AuditPage');
const DashboardPage = screen(() => import('./modules/dashboard/components/dashboard-page'), 'DashboardPage');
const EventDetailPage = screen(() => import('./modules/events/components/event-detail-page'), 'EventDetailPage');
const EventsPage = screen(() => import('./modules/events/components/events-page'), 'EventsPage');
const ImportDetailPage = screen(() => import('./modules/imports/components/import-detail-page'), 'ImportDetailPage');
const ImportsPage = screen(() => import('./modules/imports/components/imports-page'), 'ImportsPage');
const MessagingPage = screen(() => import('./modules/messaging/components/messaging-page'), 'MessagingPage');
const MemberDetailPage = screen(() => import('./modules/members/components/member-detail-page'), 'MemberDetailPage');
const MembersPage = screen(() => import('./modules/members/components/members-page'), 'MembersPage');
const RedemptionsPage = screen(() => import('./modules/rewards/components/redemptions-page'), 'RedemptionsPage');
const RewardsPage = screen(() => import('./modules/rewards/components/rewards-page'), 'RewardsPage');
const RuleEditorPage = screen(() => import('./modules/rules/components/rule-editor-page'), 'RuleEditorPage');
const RulesPage = screen(() => import('./modules/rules/components/rules-page'), 'RulesPage');
const TiersPage = screen(() => import('./modules/tiers/components/tiers-page'), 'TiersPage');
const WebhooksPage = screen(() => import('./modules/webhooks/components/webhooks-page'), 'WebhooksPage');
// Volume rebates (#14)
// Funds and claims (#13)
const ClaimsPage = screen(() => import('./modules/claims/components/claims-page'), 'ClaimsPage');
const RebatesPage = screen(() => import('./modules/rebates/components/rebates-page'), 'RebatesPage');
// SPIFFs (#13)
const SpiffsPage = screen(() => import('./modules/spiffs/components/spiffs-page'), 'SpiffsPage');
// Bulk grants (#14)
const GrantsPage = screen(() => import('./modules/grants/components/grants-page'), 'GrantsPage');
// Account health (#16)
const AtRiskPage = screen(() => import('./modules/health/components/at-risk-page'), 'AtRiskPage');
// Club events and success stories (#19)
const ClubPage = screen(() => import('./modules/club/components/club-page'), 'ClubPage');
const CheckInPage = screen(() => import('./modules/club/components/check-in-page'), 'CheckInPage');
// Program analytics (#18)
const AnalyticsPage = screen(() => import('./modules/analytics/components/analytics-page'), 'AnalyticsPage');
// Administering the program from the console (#21)
const UsersPage = screen(() => import('./modules/users/components/users-page'), 'UsersPage');
const ProgramSettingsPage = screen(() => import('./modules/program/components/program-settings-page'), 'ProgramSettingsPage');
// Surveys and follow-up tasks (#16)
const SurveysPage = screen(() => import('./modules/surveys/components/surveys-page'), 'SurveysPage');
// Courses (#19)
const CoursesPage = screen(() => import('./modules/courses/components/courses-page'), 'CoursesPage');
// Virtual loyalty cards (#17)
const CardsPage = screen(() => import('./modules/cards/components/cards-page'), 'CardsPage');
// Join by QR (#17)
const JoinPage = screen(() => import('./modules/join/components/join-page'), 'JoinPage');

const loading = (
  <Center mih="40vh">
    <Loader aria-label="Loading" />
  </Center>
);

export function AdminRoutes() {
  const { session, can } = useSession();
  if (session.status === 'loading') return loading;
  if (session.status === 'signedOut') return <SignInPage />;
  return (
    <Routes>
      <Route element={<AdminShell />}>
        {/* Inside the shell: while a screen loads, the header and the navigation stay. */}
        <Route
          element={
            <Suspense fallback={loading}>
              <Outlet />
            </Suspense>
          }
        >
          {/* An account manager has no program-wide reports: their home is their accounts. */}
          <Route index element={can('reports:read') ? <DashboardPage /> : <Navigate to="/accounts" replace />} />
          <Route path="accounts" element={<AccountsPage />} />
          <Route path="accounts/:accountId" element={<AccountDetailPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="members/:memberId" element={<MemberDetailPage />} />
          <Route path="events" element={<EventsPage />} />
          <Route path="events/:eventId" element={<EventDetailPage />} />
          <Route path="imports" element={<ImportsPage />} />
          <Route path="imports/:importId" element={<ImportDetailPage />} />
          <Route path="rules" element={<RulesPage />} />
          <Route path="rules/new" element={<RuleEditorPage />} />
          <Route path="rules/:ruleId" element={<RuleEditorPage />} />
          <Route path="tiers" element={<TiersPage />} />
          <Route path="rewards" element={<RewardsPage />} />
          <Route path="redemptions" element={<RedemptionsPage />} />
          <Route path="adjustments" element={<AdjustmentsPage />} />
          <Route path="api-keys" element={<ApiKeysPage />} />
          <Route path="messaging" element={<MessagingPage />} />
          <Route path="webhooks" element={<WebhooksPage />} />
          <Route path="audit" element={<AuditPage />} />
          {/* Volume rebates (#14) */}
          <Route path="rebates" element={<RebatesPage />} />
          {/* SPIFFs (#13) */}
          <Route path="spiffs" element={<SpiffsPage />} />
          {/* Account health (#16) */}
          <Route path="at-risk" element={<AtRiskPage />} />
          {/* Surveys and follow-up tasks (#16) */}
          <Route path="surveys" element={<SurveysPage />} />
          {/* Courses (#19) */}
          <Route path="courses" element={<CoursesPage />} />
          <Route path="claims" element={<ClaimsPage />} />
          {/* Club events and success stories (#19) */}
          <Route path="club" element={<ClubPage />} />
          <Route path="club/events/:eventId/check-in" element={<CheckInPage />} />
          {/* Program analytics (#18) */}
          <Route path="analytics" element={<AnalyticsPage />} />
          {/* Administering the program from the console (#21) */}
          <Route path="users" element={<UsersPage />} />
          <Route path="settings" element={<ProgramSettingsPage />} />
          {/* Virtual loyalty cards (#17) */}
          <Route path="cards" element={<CardsPage />} />
          {/* Join by QR (#17) */}
          <Route path="join" element={<JoinPage />} />
          {/* Bulk grants (#14) */}
          <Route path="grants" element={<GrantsPage />} />
          <Route path="signin" element={<Navigate to="/" replace />} />
          <Route path="*" element={<PlaceholderPage feature="notFound" />} />
        </Route>
      </Route>
    </Routes>
  );
}
