import { Anchor, Badge, Button, CloseButton, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { useAccountTier } from '../../tiers/hooks/use-tiers';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { PagedTable } from '../../ui/components/paged-table';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { useWallets } from '../../wallets/hooks/use-wallets';
import { accountsCsv } from '../accounts-csv';
import { fetchAllAccounts, type AccountFacetsView, type AccountFilters, type AccountView } from '../api/accounts-api';
import { useAccount, useAccountFacets, useAccounts } from '../hooks/use-accounts';
import { AccountFormModal } from './account-form';

const STATUSES = ['active', 'suspended', 'closed'] as const;

/** A picker over the values in use, with how many accounts have each; searchable when there are many. */
function FacetSelect({ label, facet, value, onChange, testId }: { label: string; facet: AccountFacetsView['types'] | undefined; value: string | null; onChange: (v: string | null) => void; testId: string }) {
  const f = useFormat();
  const data = (facet ?? []).map((x) => ({ value: x.value, label: `${x.value} (${f.number(x.count)})` }));
  return <Select label={label} data={data} value={value} onChange={onChange} clearable searchable={data.length > 8} w={200} data-testid={testId} comboboxProps={{ withinPortal: true }} />;
}

/** The parent's name, read once per parent however many of its branches are on the page. */
function ParentCell({ parentId }: { parentId: string | null }) {
  const parent = useAccount(parentId ?? '').data;
  if (!parentId) return null;
  return (
    <Anchor component={Link} to={`/accounts/${parentId}`} size="sm">
      {parent?.name ?? '…'}
    </Anchor>
  );
}

function BalanceCell({ accountId, currency }: { accountId: string; currency: string }) {
  const amount = useAmountFormat();
  const wallets = useWallets({ kind: 'account', id: accountId }).data;
  if (!wallets) return null;
  return <>{amount(wallets.find((w) => w.currency === currency)?.available ?? 0, currency)}</>;
}

function TierCell({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const tier = useAccountTier(accountId).data;
  if (!tier) return null;
  return tier.name ? <Badge variant="light">{tier.name}</Badge> : <Text size="sm" c="dimmed">{t('tiers.noTier')}</Text>;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AccountsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const program = useProgram().data;
  const facets = useAccountFacets().data;
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const parentId = params.get('parent') ?? undefined;
  const parent = useAccount(parentId ?? '').data;
  const [q, setQ] = useState('');
  const [type, setType] = useState<string | null>(null);
  const [region, setRegion] = useState<string | null>(null);
  const [segment, setSegment] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [debouncedQ] = useDebouncedValue(q, 300);
  const filters = useMemo<AccountFilters>(
    () => ({
      q: debouncedQ.trim() || undefined,
      type: type ?? undefined,
      region: region ?? undefined,
      segment: segment ?? undefined,
      parentId,
      status: STATUSES.find((s) => s === status),
    }),
    [debouncedQ, type, region, segment, parentId, status],
  );
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [filters, reset]);
  const accounts = useAccounts(filters, pages.cursor);
  const items: AccountView[] = accounts.data?.items ?? [];
  const total = accounts.data?.total;
  // The balance shown is the program's first currency (its main points); every wallet is on the account page.
  const main = program?.currencies[0];
  const showTier = can('tiers:read');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      download(`accounts-${new Date().toISOString().slice(0, 10)}.csv`, accountsCsv(await fetchAllAccounts(filters)));
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  }

  return (
    <Page
      title={t('accounts.title')}
      actions={
        <>
          {can('accounts:write') ? (
            <Button onClick={() => setCreating(true)} data-testid="account-new">
              {t('admin.accountForm.newTitle')}
            </Button>
          ) : null}
          <Button variant="default" onClick={() => void exportCsv()} loading={exporting} disabled={!total} data-testid="accounts-export">
            {t('accounts.exportCsv')}
          </Button>
        </>
      }
    >
      <AccountFormModal account={null} opened={creating} onClose={() => setCreating(false)} onSaved={(a) => navigate(`/accounts/${a.id}`)} />
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t('accounts.search')} placeholder={t('accounts.searchHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={240} />
        <FacetSelect label={t('accounts.type')} facet={facets?.types} value={type} onChange={setType} testId="filter-type" />
        <FacetSelect label={t('accounts.region')} facet={facets?.regions} value={region} onChange={setRegion} testId="filter-region" />
        {facets?.segments.length ? <FacetSelect label={t('accounts.segment')} facet={facets.segments} value={segment} onChange={setSegment} testId="filter-segment" /> : null}
        <Select label={t('accounts.status')} data={STATUSES.map((s) => ({ value: s, label: t(`accounts.statuses.${s}`) }))} value={status} onChange={setStatus} clearable w={160} />
      </Group>
      {parentId ? (
        <Group gap="xs" data-testid="parent-filter">
          <Text size="sm">{t('accounts.branchesOf', { name: parent?.name ?? parentId })}</Text>
          <CloseButton
            size="sm"
            aria-label={t('accounts.allAccounts')}
            onClick={() => {
              params.delete('parent');
              setParams(params);
            }}
          />
        </Group>
      ) : null}
      <Text size="sm" c="dimmed" data-testid="accounts-total" aria-live="polite">
        {total === undefined ? '\u00a0' : t('accounts.total', { count: total, formatted: f.number(total) })}
      </Text>
      <ErrorAlert error={accounts.error ?? exportError} />
      <PagedTable
        columns={[
          { label: t('accounts.name') },
          { label: t('accounts.externalId') },
          { label: t('accounts.type') },
          { label: t('accounts.region') },
          { label: t('accounts.parent') },
          { label: t('accounts.manager') },
          ...(showTier ? [{ label: t('tiers.tier') }] : []),
          ...(main ? [{ label: t('accounts.balanceOf', { currency: main.name }), end: true }] : []),
          { label: t('accounts.status') },
        ]}
        minWidth={1060}
        count={items.length}
        loading={accounts.isLoading}
        empty={t('common.noResults')}
        pages={pages}
        nextCursor={accounts.data?.nextCursor}
      >
        {items.map((a) => (
          <Table.Tr key={a.id} data-testid="account-row">
            <Table.Td>
              <Anchor component={Link} to={`/accounts/${a.id}`}>
                {a.name}
              </Anchor>
            </Table.Td>
            <Table.Td className="mono">{a.externalId}</Table.Td>
            <Table.Td>{a.type}</Table.Td>
            <Table.Td>{a.region ?? ''}</Table.Td>
            <Table.Td>
              <ParentCell parentId={a.parentId} />
            </Table.Td>
            <Table.Td>{a.managerId ?? ''}</Table.Td>
            {showTier ? (
              <Table.Td data-testid="account-tier-cell">
                <TierCell accountId={a.id} />
              </Table.Td>
            ) : null}
            {main ? (
              <Table.Td ta="end" data-testid="account-balance-cell">
                <BalanceCell accountId={a.id} currency={main.code} />
              </Table.Td>
            ) : null}
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
