import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './modules/auth/components/session-provider';
import { SignInPage } from './modules/auth/components/sign-in-page';
import { AccountDetailPage } from './modules/accounts/components/account-detail-page';
import { AccountsPage } from './modules/accounts/components/accounts-page';
import { AdjustmentsPage } from './modules/adjustments/components/adjustments-page';
import { ApiKeysPage } from './modules/api-keys/components/api-keys-page';
import { AuditPage } from './modules/audit/components/audit-page';
import { EventDetailPage } from './modules/events/components/event-detail-page';
import { EventsPage } from './modules/events/components/events-page';
import { ImportDetailPage } from './modules/imports/components/import-detail-page';
import { ImportsPage } from './modules/imports/components/imports-page';
import { MessagingPage } from './modules/messaging/components/messaging-page';
import { MemberDetailPage } from './modules/members/components/member-detail-page';
import { MembersPage } from './modules/members/components/members-page';
import { PlaceholderPage } from './modules/placeholders/components/placeholder-page';
import { RedemptionsPage } from './modules/rewards/components/redemptions-page';
import { RewardsPage } from './modules/rewards/components/rewards-page';
import { RulesPage } from './modules/rules/components/rules-page';
import { AdminShell } from './modules/shell/components/admin-shell';
import { TiersPage } from './modules/tiers/components/tiers-page';
import { WebhooksPage } from './modules/webhooks/components/webhooks-page';

// The charts and the condition builder are the heaviest parts: loaded when their screen opens.
const DashboardPage = lazy(() => import('./modules/dashboard/components/dashboard-page').then((m) => ({ default: m.DashboardPage })));
const RuleEditorPage = lazy(() => import('./modules/rules/components/rule-editor-page').then((m) => ({ default: m.RuleEditorPage })));

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
    <Suspense fallback={loading}>
    <Routes>
      <Route element={<AdminShell />}>
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
        <Route path="signin" element={<Navigate to="/" replace />} />
        <Route path="*" element={<PlaceholderPage feature="notFound" />} />
      </Route>
    </Routes>
    </Suspense>
  );
}
