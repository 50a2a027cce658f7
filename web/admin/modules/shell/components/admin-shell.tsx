import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../../auth/components/session-provider';
import { useProgram } from '../../program/hooks/use-program';
import { LanguageSwitcher } from './language-switcher';

const LINKS = [
  { to: '/', key: 'dashboard', end: true },
  { to: '/accounts', key: 'accounts' },
  { to: '/members', key: 'members' },
  { to: '/events', key: 'events' },
  { to: '/rules', key: 'rules' },
  { to: '/tiers', key: 'tiers' },
  { to: '/rewards', key: 'rewards' },
  { to: '/redemptions', key: 'redemptions' },
  { to: '/adjustments', key: 'adjustments' },
  { to: '/api-keys', key: 'apiKeys' },
  { to: '/webhooks', key: 'webhooks' },
  { to: '/audit', key: 'audit' },
] as const;

export function AdminShell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { session, signOut } = useSession();
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
          {LINKS.map((l) => (
            <NavLink
              key={l.to}
              component={RouterLink}
              to={l.to}
              end={'end' in l ? l.end : false}
              label={t(`nav.${l.key}`)}
              active={'end' in l ? location.pathname === l.to : location.pathname.startsWith(l.to)}
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
