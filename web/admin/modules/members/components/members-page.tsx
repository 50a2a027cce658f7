import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAccount } from '../../accounts/hooks/use-accounts';
import { useSession } from '../../auth/components/session-provider';
import { useProgram } from '../../program/hooks/use-program';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { MemberFilters } from '../api/members-api';
import { useMembers } from '../hooks/use-members';
import { MemberFormModal } from './member-form';

/** The company's name, read once per account however many of its members are on the page. */
function CompanyCell({ accountId }: { accountId: string }) {
  const a = useAccount(accountId).data;
  return (
    <Anchor component={Link} to={`/accounts/${accountId}`} size="sm">
      {a?.name ?? '…'}
    </Anchor>
  );
}

const STATUSES = ['active', 'inactive', 'left'] as const;

export function MembersPage() {
  const { t } = useTranslation();
  const program = useProgram().data;
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [debouncedQ] = useDebouncedValue(q, 300);
  const filters = useMemo<MemberFilters>(
    () => ({ q: debouncedQ.trim() || undefined, role: role ?? undefined, status: STATUSES.find((s) => s === status) }),
    [debouncedQ, role, status],
  );
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [filters, reset]);
  const members = useMembers(filters, pages.cursor);
  const items = members.data?.items ?? [];
  const roleName = (code: string) => program?.roles.find((r) => r.code === code)?.name ?? code;

  return (
    <Page
      title={t('members.title')}
      actions={
        can('accounts:write') ? (
          <Button onClick={() => setCreating(true)} data-testid="member-new">
            {t('admin.memberForm.newTitle')}
          </Button>
        ) : null
      }
    >
      <MemberFormModal member={null} opened={creating} onClose={() => setCreating(false)} onSaved={(m) => navigate(`/members/${m.id}`)} />
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t('members.search')} placeholder={t('members.searchHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
        <Select label={t('members.role')} data={(program?.roles ?? []).map((r) => ({ value: r.code, label: r.name }))} value={role} onChange={setRole} clearable w={220} />
        <Select label={t('members.status')} data={STATUSES.map((s) => ({ value: s, label: t(`members.statuses.${s}`) }))} value={status} onChange={setStatus} clearable w={160} />
      </Group>
      <ErrorAlert error={members.error} />
      <Stack gap="xs">
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('members.name')}</Table.Th>
                <Table.Th>{t('members.externalId')}</Table.Th>
                <Table.Th>{t('members.role')}</Table.Th>
                <Table.Th>{t('members.email')}</Table.Th>
                <Table.Th>{t('members.account')}</Table.Th>
                <Table.Th>{t('members.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => (
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
                  <Table.Td className="mono">{m.externalId}</Table.Td>
                  <Table.Td>{roleName(m.role)}</Table.Td>
                  <Table.Td>{m.email ?? ''}</Table.Td>
                  <Table.Td>
                    <CompanyCell accountId={m.accountId} />
                  </Table.Td>
                  <Table.Td>{t(`members.statuses.${m.status}`)}</Table.Td>
                </Table.Tr>
              ))}
              {!items.length && !members.isLoading ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed">{t('common.noResults')}</Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <CursorPager pages={pages} nextCursor={members.data?.nextCursor} count={items.length} />
      </Stack>
    </Page>
  );
}
