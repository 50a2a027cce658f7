import { Alert, Badge, Button, Code, Group, Modal, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { userInput, userPatch } from '@contracts/auth';
import { CONSOLE_ROLES, type ConsoleRole } from '@contracts/permissions';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { createUser, fetchUsers, updateUser, type UserView } from '../api/users-api';

type Values = { email: string; name: string; role: ConsoleRole; locale: string; seesAllAccounts: boolean };
const LOCALES = ['en', 'fr', 'fa', 'uk', 'hi', 'tl'];

/** Console users: invite one (a first password is shown once), change a role, deactivate. */
export function UsersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can, session } = useSession();
  const me = session.status === 'signedIn' ? session.user?.id : undefined;
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [debouncedQ, reset]);
  const users = useQuery({ queryKey: ['users', debouncedQ, pages.cursor], queryFn: () => fetchUsers(pages.cursor, debouncedQ.trim()), placeholderData: keepPreviousData });
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [confirming, setConfirming] = useState<UserView | null>(null);
  const [invited, setInvited] = useState<{ email: string; password: string } | null>(null);
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (u: UserView) => updateUser(u.id, { disabled: u.disabledAt === null }),
    onSuccess: () => {
      setConfirming(null);
      qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const items = users.data?.items ?? [];
  const writable = can('users:write');
  return (
    <Page
      title={t('admin.users.title')}
      actions={
        writable ? (
          <Button onClick={() => setEditing('new')} data-testid="user-new">
            {t('admin.users.invite')}
          </Button>
        ) : null
      }
    >
      <TextInput label={t('accounts.search')} placeholder={t('admin.users.searchHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
      {invited ? (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setInvited(null)} title={t('admin.users.invitedTitle', { email: invited.email })} data-testid="user-initial-password">
          {t('admin.users.initialPassword')} <Code>{invited.password}</Code>
        </Alert>
      ) : null}
      <ErrorAlert error={users.error ?? toggle.error} />
      <Table.ScrollContainer minWidth={720}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('members.name')}</Table.Th>
              <Table.Th>{t('members.email')}</Table.Th>
              <Table.Th>{t('admin.users.role')}</Table.Th>
              <Table.Th>{t('members.status')}</Table.Th>
              <Table.Th>{t('admin.users.since')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((u) => (
              <Table.Tr key={u.id} data-testid={`user-row-${u.email}`}>
                <Table.Td>{u.name}</Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  {t(`roles.${u.role}`)}
                  {u.role === 'account_manager' && u.seesAllAccounts ? (
                    <Badge ms="xs" size="xs" variant="outline">
                      {t('admin.users.allAccounts')}
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{u.disabledAt ? <Badge color="gray">{t('admin.users.disabled')}</Badge> : <Badge color="teal" variant="light">{t('admin.users.active')}</Badge>}</Table.Td>
                <Table.Td>{f.date(u.createdAt)}</Table.Td>
                <Table.Td>
                  {writable ? (
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(u)}>
                        {t('admin.edit')}
                      </Button>
                      {u.id !== me ? (
                        <Button size="xs" variant="subtle" color={u.disabledAt ? 'teal' : 'red'} onClick={() => setConfirming(u)}>
                          {u.disabledAt ? t('admin.users.reactivate') : t('admin.users.deactivate')}
                        </Button>
                      ) : null}
                    </Group>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
            {!items.length && !users.isLoading ? (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed">{t('common.noResults')}</Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CursorPager pages={pages} nextCursor={users.data?.nextCursor} count={items.length} />
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing && editing !== 'new' ? t('admin.users.editTitle', { name: editing.name }) : t('admin.users.invite')}>
        {editing !== null ? (
          <UserForm
            key={editing === 'new' ? 'new' : editing.id}
            user={editing === 'new' ? null : editing}
            onDone={(u, password) => {
              setEditing(null);
              if (password) setInvited({ email: u.email, password });
            }}
          />
        ) : null}
      </Modal>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={confirming?.disabledAt ? t('admin.users.reactivate') : t('admin.users.deactivate')}>
        {confirming ? (
          <Stack gap="sm">
            <Text>{confirming.disabledAt ? t('admin.users.confirmReactivate', { name: confirming.name }) : t('admin.users.confirmDeactivate', { name: confirming.name })}</Text>
            <Group>
              <Button color={confirming.disabledAt ? 'teal' : 'red'} loading={toggle.isPending} onClick={() => toggle.mutate(confirming)} data-testid="user-confirm-toggle">
                {confirming.disabledAt ? t('admin.users.reactivate') : t('admin.users.deactivate')}
              </Button>
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t('admin.cancel')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Page>
  );
}

function UserForm({ user, onDone }: { user: UserView | null; onDone: (u: UserView, initialPassword?: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toBody = (v: Values) =>
    user
      ? { email: v.email.trim(), name: v.name.trim(), role: v.role, locale: v.locale || null, seesAllAccounts: v.seesAllAccounts }
      : { email: v.email.trim(), name: v.name.trim(), role: v.role, locale: v.locale || undefined, seesAllAccounts: v.seesAllAccounts };
  const form = useContractForm<Values, typeof userInput | typeof userPatch>(
    user ? userPatch : userInput,
    { email: user?.email ?? '', name: user?.name ?? '', role: user?.role ?? 'viewer', locale: user?.locale ?? '', seesAllAccounts: user?.seesAllAccounts ?? false },
    toBody,
  );
  const mutation = useMutation({
    mutationFn: (body: unknown) => (user ? updateUser(user.id, body as Parameters<typeof updateUser>[1]) : createUser(body as Parameters<typeof createUser>[0])),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const { values, set, errors } = form;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = form.validate();
    if (!body) return;
    try {
      const u = await mutation.mutateAsync(body);
      onDone(u, 'initialPassword' in u && typeof u.initialPassword === 'string' ? u.initialPassword : undefined);
    } catch (err) {
      form.showServerErrors(err);
    }
  }
  return (
    <form onSubmit={submit} noValidate data-testid="user-form">
      <Stack gap="sm">
        <TextInput label={t('members.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required data-testid="user-form-name" />
        <TextInput label={t('members.email')} type="email" value={values.email} onChange={(e) => set('email', e.currentTarget.value)} error={errors.email} required data-testid="user-form-email" />
        <Select
          label={t('admin.users.role')}
          description={t(`admin.users.roleHints.${values.role}`)}
          data={CONSOLE_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={values.role}
          onChange={(v) => set('role', CONSOLE_ROLES.find((r) => r === v) ?? 'viewer')}
          error={errors.role}
          allowDeselect={false}
          data-testid="user-form-role"
        />
        {values.role === 'account_manager' ? <Switch label={t('admin.users.seesAllAccounts')} checked={values.seesAllAccounts} onChange={(e) => set('seesAllAccounts', e.currentTarget.checked)} /> : null}
        <Select label={t('admin.memberForm.locale')} description={t('admin.users.localeHint')} data={LOCALES} value={values.locale || null} onChange={(v) => set('locale', v ?? '')} error={errors.locale} clearable />
        {!user ? <Text size="sm" c="dimmed">{t('admin.users.passwordNote')}</Text> : null}
        <ErrorAlert error={mutation.error} />
        <Button type="submit" loading={mutation.isPending} w="fit-content" data-testid="user-form-save">
          {user ? t('admin.save') : t('admin.users.invite')}
        </Button>
      </Stack>
    </form>
  );
}
