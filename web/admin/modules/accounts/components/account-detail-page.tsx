import { Anchor, Badge, Button, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/components/session-provider';
import { MemberFormModal } from '../../members/components/member-form';
import { useUserNames } from '../../users/hooks/use-user-names';
import { AccountEvents } from '../../events/components/account-events';
import { AccountTierCard } from '../../tiers/components/account-tier-card';
import { AccountHealthPanel } from '../../health/components/account-health-panel';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { EntriesTable } from '../../wallets/components/entries-table';
import { WalletCards } from '../../wallets/components/wallet-cards';
import { useAccount, useAccountMembers, useAccounts } from '../hooks/use-accounts';
import { AccountFormModal } from './account-form';

export function AccountDetailPage() {
  const { t } = useTranslation();
  const id = useParams().accountId ?? '';
  const account = useAccount(id);
  const members = useAccountMembers(id);
  const a = account.data;
  const parent = useAccount(a?.parentId ?? '').data;
  // The first page of branches is enough here; the accounts list pages through all of them.
  const branches = useAccounts({ parentId: a?.id ?? id }, undefined);
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const [addingMember, setAddingMember] = useState(false);
  // The account manager by name when it is a console user's id.
  const userNames = useUserNames();
  if (account.error) return <ErrorAlert error={account.error} />;
  if (!a) return null;
  const owner = { kind: 'account' as const, id: a.id };
  return (
    <Page
      actions={
        <>
          {can('value:adjust') ? (
            <Button component={Link} to={`/adjustments?account=${encodeURIComponent(a.id)}`} variant="default" data-testid="account-adjust">
              {t('admin.adjust')}
            </Button>
          ) : null}
          {can('accounts:write') ? (
            <Button variant="default" onClick={() => setEditing(true)} data-testid="account-edit">
              {t('admin.edit')}
            </Button>
          ) : null}
        </>
      }
      title={
        <Group gap="sm">
          <span>{a.name}</span>
          <Badge variant="light">{a.type}</Badge>
        </Group>
      }
    >
      <Text c="dimmed" size="sm">
        <span className="mono">{a.externalId}</span> · {[a.segment, a.region, a.managerId ? (userNames.get(a.managerId) ?? a.managerId) : null].filter(Boolean).join(' · ')}
        {a.employeeIncentives ? '' : ` · ${t('accounts.noEmployeeIncentives')}`}
      </Text>
      {a.parentId ? (
        <Text size="sm" data-testid="account-parent">
          {t('accounts.parentIs')}{' '}
          <Anchor component={Link} to={`/accounts/${a.parentId}`}>
            {parent?.name ?? '…'}
          </Anchor>
        </Text>
      ) : null}
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('wallets.title')}
        </Title>
        <WalletCards owner={owner} />
        <AccountTierCard accountId={a.id} />
        {/* Account health (#16) */}
        <AccountHealthPanel accountId={a.id} />
      </Stack>
      <Tabs defaultValue="history" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="history">{t('entries.title')}</Tabs.Tab>
          <Tabs.Tab value="members">{t('members.title')}</Tabs.Tab>
          <Tabs.Tab value="events">{t('events.title')}</Tabs.Tab>
          <Tabs.Tab value="branches">{t('accounts.branches', { count: branches.data?.total ?? 0 })}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="history" pt="sm">
          <EntriesTable owner={owner} />
        </Tabs.Panel>
        <Tabs.Panel value="members" pt="sm">
          {can('accounts:write') ? (
            <Button size="xs" variant="default" mb="xs" onClick={() => setAddingMember(true)} data-testid="account-add-member">
              {t('admin.memberForm.newTitle')}
            </Button>
          ) : null}
          <ErrorAlert error={members.error} />
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('members.name')}</Table.Th>
                  <Table.Th>{t('members.role')}</Table.Th>
                  <Table.Th>{t('members.email')}</Table.Th>
                  <Table.Th>{t('members.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(members.data?.items ?? []).map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/members/${m.id}`}>
                        {m.name}
                      </Anchor>
                      {m.partnerAdmin ? (
                        <Badge ms="xs" size="xs" variant="outline">
                          {t('members.partnerAdmin')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{m.role}</Table.Td>
                    <Table.Td>{m.email ?? ''}</Table.Td>
                    <Table.Td>{t(`members.statuses.${m.status}`)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Tabs.Panel>
        <Tabs.Panel value="events" pt="sm">
          <AccountEvents accountId={a.id} />
        </Tabs.Panel>
        <Tabs.Panel value="branches" pt="sm" data-testid="account-branches">
          <ErrorAlert error={branches.error} />
          <Table striped>
            <Table.Tbody>
              {(branches.data?.items ?? []).map((b) => (
                <Table.Tr key={b.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/accounts/${b.id}`}>
                      {b.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="mono">{b.externalId}</Table.Td>
                  <Table.Td>{b.type}</Table.Td>
                  <Table.Td>{b.region ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {branches.data && !branches.data.total ? <Text c="dimmed">{t('accounts.noBranches')}</Text> : null}
          {branches.data?.total ? (
            <Anchor component={Link} to={`/accounts?parent=${encodeURIComponent(a.id)}`} size="sm">
              {t('accounts.branchesInList')}
            </Anchor>
          ) : null}
        </Tabs.Panel>
      </Tabs>
      <AccountFormModal account={a} opened={editing} onClose={() => setEditing(false)} />
      <MemberFormModal member={null} accountId={a.id} opened={addingMember} onClose={() => setAddingMember(false)} />
    </Page>
  );
}
