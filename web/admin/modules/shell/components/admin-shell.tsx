import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../../auth/components/session-provider';
import type { Permission } from '../../auth/permissions';
import { IMPORTS_READ } from '../../imports/permissions';
import { useProgram } from '../../program/hooks/use-program';
import { LanguageSwitcher } from './language-switcher';

const LINKS: { to: string; key: string; perm: Permission; end?: boolean; label?: string }[] = [
  { to: '/', key: 'dashboard', perm: 'reports:read', end: true },
  { to: '/accounts', key: 'accounts', perm: 'accounts:read' },
  { to: '/members', key: 'members', perm: 'accounts:read' },
  { to: '/events', key: 'events', perm: 'events:read' },
  { to: '/imports', key: 'imports', perm: IMPORTS_READ },
  { to: '/rules', key: 'rules', perm: 'rules:read' },
  { to: '/tiers', key: 'tiers', perm: 'tiers:read' },
  { to: '/rewards', key: 'rewards', perm: 'rewards:read' },
  { to: '/redemptions', key: 'redemptions', perm: 'redemptions:read' },
  { to: '/adjustments', key: 'adjustments', perm: 'value:adjust' },
  { to: '/api-keys', key: 'apiKeys', perm: 'api_keys:manage' },
  { to: '/messaging', key: 'messaging', perm: 'messaging:read' },
  { to: '/webhooks', key: 'webhooks', perm: 'webhooks:read' },
  { to: '/audit', key: 'audit', perm: 'audit:read' },
  // Volume rebates (#14)
  { to: '/rebates', key: 'rebates', perm: 'program:read', label: 'rebates.nav' },
  // SPIFFs (#13)
  { to: '/spiffs', key: 'spiffs', perm: 'program:read', label: 'spiffs.nav' },
  // Surveys and follow-up tasks (#16)
  { to: '/surveys', key: 'surveys', perm: 'surveys:read', label: 'surveys.nav' },
  // Courses (#19)
  { to: '/courses', key: 'courses', perm: 'program:read', label: 'courses.nav' },
  // Funds and claims (#13)
  { to: '/claims', key: 'claims', perm: 'claims:read', label: 'claims.nav' },
  // Account health (#16)
  { to: '/at-risk', key: 'atRisk', perm: 'accounts:read', label: 'health.nav' },
  // Club events and success stories (#19)
  { to: '/club', key: 'club', perm: 'club:read', label: 'club.nav' },
  // Program analytics (#18)
  { to: '/analytics', key: 'analytics', perm: 'reports:read', label: 'analytics.nav' },
  // Administering the program from the console (#21)
  { to: '/users', key: 'users', perm: 'users:read', label: 'admin.nav.users' },
  { to: '/settings', key: 'settings', perm: 'program:read', label: 'admin.nav.settings' },
  // Virtual loyalty cards (#17)
  { to: '/cards', key: 'cards', perm: 'program:read', label: 'cards.nav' },
  // Join by QR (#17)
  { to: '/join', key: 'join', perm: 'join:read', label: 'join.nav' },
  // Bulk grants (#14)
  { to: '/grants', key: 'grants', perm: 'grants:read', label: 'grants.nav' },
];

export function AdminShell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { session, signOut, can } = useSession();
  const program = useProgram().data;
  const location = useLocation();
  const who = session.status === 'signedIn' ? (session.user ? `${session.user.name} · ${t(`roles.${session.user.role}`)}` : t('auth.apiKeySession')) : '';

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Text fw={700} c="blue.9">
              Fealty
            </Text>
            <Text size="sm" c="dimmed" visibleFrom="md" truncate>
              {program?.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" data-testid="who">
              {who}
            </Text>
            <LanguageSwitcher />
            <Button size="xs" variant="default" onClick={() => void signOut()}>
              {t('auth.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.navigation')}>
        <ScrollArea>
          {LINKS.filter((l) => can(l.perm)).map((l) => (
            <NavLink
              key={l.to}
              component={RouterLink}
              to={l.to}
              end={l.end ?? false}
              label={t(l.label ?? `nav.${l.key}`)}
              active={l.end ? location.pathname === l.to : location.pathname.startsWith(l.to)}
              onClick={close}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
