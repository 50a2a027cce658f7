import { Anchor, Badge, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AccountEvents } from '../../events/components/account-events';
import { AccountTierCard } from '../../tiers/components/account-tier-card';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { EntriesTable } from '../../wallets/components/entries-table';
import { WalletCards } from '../../wallets/components/wallet-cards';
import { useAccount, useAccountMembers } from '../hooks/use-accounts';

export function AccountDetailPage() {
  const { t } = useTranslation();
  const id = useParams().accountId ?? '';
  const account = useAccount(id);
  const members = useAccountMembers(id);
  const a = account.data;
  if (account.error) return <ErrorAlert error={account.error} />;
  if (!a) return null;
  const owner = { kind: 'account' as const, id: a.id };
  return (
    <Page
      title={
        <Group gap="sm">
          <span>{a.name}</span>
          <Badge variant="light">{a.type}</Badge>
        </Group>
      }
    >
      <Text c="dimmed" size="sm">
        <span className="mono">{a.externalId}</span> · {[a.segment, a.region, a.managerId].filter(Boolean).join(' · ')}
        {a.employeeIncentives ? '' : ` · ${t('accounts.noEmployeeIncentives')}`}
      </Text>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('wallets.title')}
        </Title>
        <WalletCards owner={owner} />
        <AccountTierCard accountId={a.id} />
      </Stack>
      <Tabs defaultValue="history" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="history">{t('entries.title')}</Tabs.Tab>
          <Tabs.Tab value="members">{t('members.title')}</Tabs.Tab>
          <Tabs.Tab value="events">{t('events.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="history" pt="sm">
          <EntriesTable owner={owner} />
        </Tabs.Panel>
        <Tabs.Panel value="members" pt="sm">
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
      </Tabs>
    </Page>
  );
}
