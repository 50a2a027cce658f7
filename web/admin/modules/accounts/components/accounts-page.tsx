import { Anchor, Badge, Group, Select, Table, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { PagedTable } from '../../ui/components/paged-table';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { AccountFilters } from '../api/accounts-api';
import { useAccounts } from '../hooks/use-accounts';

const STATUSES = ['active', 'suspended', 'closed'] as const;

export function AccountsPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [type, setType] = useState('');
  const [region, setRegion] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [debouncedType] = useDebouncedValue(type, 300);
  const [debouncedRegion] = useDebouncedValue(region, 300);
  const filters = useMemo<AccountFilters>(
    () => ({
      q: debouncedQ.trim() || undefined,
      type: debouncedType.trim() || undefined,
      region: debouncedRegion.trim() || undefined,
      status: STATUSES.find((s) => s === status),
    }),
    [debouncedQ, debouncedType, debouncedRegion, status],
  );
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [filters, reset]);
  const accounts = useAccounts(filters, pages.cursor);
  const items = accounts.data?.items ?? [];

  return (
    <Page title={t('accounts.title')}>
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t('accounts.search')} placeholder={t('accounts.searchHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
        <TextInput label={t('accounts.type')} value={type} onChange={(e) => setType(e.currentTarget.value)} w={160} />
        <TextInput label={t('accounts.region')} value={region} onChange={(e) => setRegion(e.currentTarget.value)} w={140} />
        <Select label={t('accounts.status')} data={STATUSES.map((s) => ({ value: s, label: t(`accounts.statuses.${s}`) }))} value={status} onChange={setStatus} clearable w={160} />
      </Group>
      <ErrorAlert error={accounts.error} />
      <PagedTable
        columns={[
          { label: t('accounts.name') },
          { label: t('accounts.externalId') },
          { label: t('accounts.type') },
          { label: t('accounts.segment') },
          { label: t('accounts.region') },
          { label: t('accounts.manager') },
          { label: t('accounts.status') },
        ]}
        minWidth={720}
        count={items.length}
        loading={accounts.isLoading}
        empty={t('common.noResults')}
        pages={pages}
        nextCursor={accounts.data?.nextCursor}
      >
        {items.map((a) => (
          <Table.Tr key={a.id}>
            <Table.Td>
              <Anchor component={Link} to={`/accounts/${a.id}`}>
                {a.name}
              </Anchor>
            </Table.Td>
            <Table.Td className="mono">{a.externalId}</Table.Td>
            <Table.Td>{a.type}</Table.Td>
            <Table.Td>{a.segment ?? ''}</Table.Td>
            <Table.Td>{a.region ?? ''}</Table.Td>
            <Table.Td>{a.managerId ?? ''}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={a.status === 'active' ? 'teal' : 'gray'}>
                {t(`accounts.statuses.${a.status}`)}
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </PagedTable>
    </Page>
  );
}
