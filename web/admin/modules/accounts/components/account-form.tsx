import { Autocomplete, Button, Group, Modal, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { accountInput, accountPatch } from '@contracts/accounts';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import { createAccount, updateAccount, type AccountView } from '../api/accounts-api';
import { useAccountFacets } from '../hooks/use-accounts';
import { OwnerPicker } from './owner-picker';

const STATUSES = ['active', 'suspended', 'closed'] as const;

type Values = {
  externalId: string;
  name: string;
  type: string;
  parentId: string;
  segment: string;
  region: string;
  managerId: string;
  status: (typeof STATUSES)[number];
  employeeIncentives: boolean;
};

const initialOf = (a: AccountView | null): Values => ({
  externalId: a?.externalId ?? '',
  name: a?.name ?? '',
  type: a?.type ?? '',
  parentId: a?.parentId ?? '',
  segment: a?.segment ?? '',
  region: a?.region ?? '',
  managerId: a?.managerId ?? '',
  status: a?.status ?? 'active',
  employeeIncentives: a?.employeeIncentives ?? true,
});

/** An empty optional field: left out when creating, cleared (`null`) when editing. */
const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());
const optNull = (v: string) => (v.trim() === '' ? null : v.trim());

/**
 * Creates an account, or edits one (`account` given). The contract validates before sending;
 * the server's field errors (a taken external id, an unknown parent) show beside the fields.
 */
export function AccountFormModal({ account, opened, onClose, onSaved }: { account: AccountView | null; opened: boolean; onClose: () => void; onSaved?: (a: AccountView) => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={account ? t('admin.accountForm.editTitle', { name: account.name }) : t('admin.accountForm.newTitle')} size="lg">
      {/* Remounted per account, so the form starts from the values shown. */}
      {opened ? <AccountForm key={account?.id ?? 'new'} account={account} onDone={(a) => (onSaved?.(a), onClose())} /> : null}
    </Modal>
  );
}

function AccountForm({ account, onDone }: { account: AccountView | null; onDone: (a: AccountView) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const facets = useAccountFacets().data;
  const editing = account !== null;
  const toBody = useMemo(
    () =>
      editing
        ? (v: Values) => ({
            name: v.name.trim(),
            type: v.type.trim(),
            parentId: optNull(v.parentId),
            segment: optNull(v.segment),
            region: optNull(v.region),
            managerId: optNull(v.managerId),
            status: v.status,
            employeeIncentives: v.employeeIncentives,
          })
        : (v: Values) => ({
            externalId: v.externalId.trim(),
            name: v.name.trim(),
            type: v.type.trim(),
            parentId: opt(v.parentId),
            segment: opt(v.segment),
            region: opt(v.region),
            managerId: opt(v.managerId),
            status: v.status,
            employeeIncentives: v.employeeIncentives,
          }),
    [editing],
  );
  const form = useContractForm<Values, typeof accountInput | typeof accountPatch>(editing ? accountPatch : accountInput, initialOf(account), toBody);
  const mutation = useMutation({
    mutationFn: (body: unknown) => (account ? updateAccount(account.id, body as Parameters<typeof updateAccount>[1]) : createAccount(body as Parameters<typeof createAccount>[0])),
    onSuccess: (a) => {
      qc.invalidateQueries({ queryKey: ['accounts'] });
      qc.invalidateQueries({ queryKey: ['account-facets'] });
      qc.setQueryData(['account', a.id], a);
    },
  });
  const { values, set, errors } = form;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = form.validate();
    if (!body) return;
    try {
      onDone(await mutation.mutateAsync(body));
    } catch (err) {
      form.showServerErrors(err);
    }
  }
  const values_ = (f: { value: string }[] | undefined) => (f ?? []).map((x) => x.value);
  return (
    <form onSubmit={submit} noValidate data-testid="account-form">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={t('accounts.externalId')} value={values.externalId} onChange={(e) => set('externalId', e.currentTarget.value)} error={errors.externalId} disabled={editing} required={!editing} data-testid="account-form-external-id" />
          <TextInput label={t('accounts.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required data-testid="account-form-name" />
        </Group>
        <Group grow align="flex-start">
          <Autocomplete label={t('accounts.type')} description={t('admin.accountForm.typeHint')} data={values_(facets?.types)} value={values.type} onChange={(v) => set('type', v)} error={errors.type} required data-testid="account-form-type" />
          <Select label={t('accounts.status')} data={STATUSES.map((s) => ({ value: s, label: t(`accounts.statuses.${s}`) }))} value={values.status} onChange={(v) => set('status', STATUSES.find((s) => s === v) ?? 'active')} allowDeselect={false} />
        </Group>
        <OwnerPicker kind="account" label={t('accounts.parent')} description={t('admin.accountForm.parentHint')} value={values.parentId} onChange={(v) => set('parentId', v)} error={errors.parentId} exclude={account?.id} />
        <Group grow align="flex-start">
          <Autocomplete label={t('accounts.segment')} data={values_(facets?.segments)} value={values.segment} onChange={(v) => set('segment', v)} error={errors.segment} />
          <Autocomplete label={t('accounts.region')} data={values_(facets?.regions)} value={values.region} onChange={(v) => set('region', v)} error={errors.region} />
        </Group>
        <TextInput label={t('accounts.manager')} description={t('admin.accountForm.managerHint')} value={values.managerId} onChange={(e) => set('managerId', e.currentTarget.value)} error={errors.managerId} />
        <Switch label={t('admin.accountForm.employeeIncentives')} checked={values.employeeIncentives} onChange={(e) => set('employeeIncentives', e.currentTarget.checked)} />
        <ErrorAlert error={mutation.error} />
        <Button type="submit" loading={mutation.isPending} w="fit-content" data-testid="account-form-save">
          {editing ? t('admin.save') : t('admin.accountForm.create')}
        </Button>
      </Stack>
    </form>
  );
}
