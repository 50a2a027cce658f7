import { Button, Checkbox, Group, Modal, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { channel, memberInput, memberPatch } from '@contracts/accounts';
import { OwnerPicker } from '../../accounts/components/owner-picker';
import { createMember, updateMember } from '../../accounts/api/accounts-api';
import { useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { MemberView } from '../api/members-api';

const STATUSES = ['active', 'inactive', 'left'] as const;
const CHANNELS = channel.options;
type Channel = (typeof CHANNELS)[number];

type Values = {
  accountId: string;
  externalId: string;
  name: string;
  role: string;
  email: string;
  phone: string;
  locale: string;
  channels: Channel[];
  status: (typeof STATUSES)[number];
  partnerAdmin: boolean;
};

const initialOf = (m: MemberView | null, accountId: string): Values => ({
  accountId: m?.accountId ?? accountId,
  externalId: m?.externalId ?? '',
  name: m?.name ?? '',
  role: m?.role ?? '',
  email: m?.email ?? '',
  phone: m?.phone ?? '',
  locale: m?.locale ?? '',
  channels: (m?.channels ?? ['email']).flatMap((c) => CHANNELS.filter((k) => k === c)),
  status: m?.status ?? 'active',
  partnerAdmin: m?.partnerAdmin ?? false,
});

const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());
const optNull = (v: string) => (v.trim() === '' ? null : v.trim());

/**
 * Adds a member to an account, or edits one (`member` given): role from the program's roles,
 * contact, channels, status (offboarding is "left"), partner admin.
 */
export function MemberFormModal({ member, accountId, opened, onClose, onSaved }: { member: MemberView | null; accountId?: string; opened: boolean; onClose: () => void; onSaved?: (m: MemberView) => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={member ? t('admin.memberForm.editTitle', { name: member.name }) : t('admin.memberForm.newTitle')} size="lg">
      {opened ? <MemberForm key={member?.id ?? 'new'} member={member} accountId={accountId ?? ''} onDone={(m) => (onSaved?.(m), onClose())} /> : null}
    </Modal>
  );
}

function MemberForm({ member, accountId, onDone }: { member: MemberView | null; accountId: string; onDone: (m: MemberView) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const program = useProgram().data;
  const editing = member !== null;
  const toBody = useMemo(
    () =>
      editing
        ? (v: Values) => ({
            name: v.name.trim(),
            role: v.role,
            email: optNull(v.email),
            phone: optNull(v.phone),
            locale: optNull(v.locale),
            channels: v.channels,
            status: v.status,
            partnerAdmin: v.partnerAdmin,
          })
        : (v: Values) => ({
            externalId: v.externalId.trim(),
            name: v.name.trim(),
            role: v.role,
            email: opt(v.email),
            phone: opt(v.phone),
            locale: opt(v.locale),
            channels: v.channels,
            partnerAdmin: v.partnerAdmin,
          }),
    [editing],
  );
  const form = useContractForm<Values, typeof memberInput | typeof memberPatch>(editing ? memberPatch : memberInput, initialOf(member, accountId), toBody);
  const mutation = useMutation({
    mutationFn: ({ body, account }: { body: unknown; account: string }) =>
      member ? updateMember(member.id, body as Parameters<typeof updateMember>[1]) : createMember(account, body as Parameters<typeof createMember>[1]),
    onSuccess: (m) => {
      qc.invalidateQueries({ queryKey: ['members'] });
      qc.invalidateQueries({ queryKey: ['account-members', m.accountId] });
      qc.setQueryData(['member', m.id], m);
    },
  });
  const { values, set, errors } = form;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = form.validate();
    const noAccount = !editing && values.accountId === '';
    if (noAccount) form.setErrors((x) => ({ ...x, accountId: t('admin.memberForm.accountRequired') }));
    if (!body || noAccount) return;
    try {
      onDone(await mutation.mutateAsync({ body, account: values.accountId }));
    } catch (err) {
      form.showServerErrors(err);
    }
  }
  const locales = [program?.defaultLocale ?? 'en', 'en', 'fr', 'fa', 'uk', 'hi', 'tl'];
  return (
    <form onSubmit={submit} noValidate data-testid="member-form">
      <Stack gap="sm">
        {!editing ? <OwnerPicker kind="account" label={t('members.account')} value={values.accountId} onChange={(v) => set('accountId', v)} error={errors.accountId} required testId="member-form-account" /> : null}
        <Group grow align="flex-start">
          <TextInput label={t('members.externalId')} value={values.externalId} onChange={(e) => set('externalId', e.currentTarget.value)} error={errors.externalId} disabled={editing} required={!editing} data-testid="member-form-external-id" />
          <TextInput label={t('members.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required data-testid="member-form-name" />
        </Group>
        <Group grow align="flex-start">
          <Select label={t('members.role')} data={(program?.roles ?? []).map((r) => ({ value: r.code, label: r.name }))} value={values.role || null} onChange={(v) => set('role', v ?? '')} error={errors.role} required allowDeselect={false} data-testid="member-form-role" />
          {editing ? (
            <Select label={t('members.status')} data={STATUSES.map((s) => ({ value: s, label: t(`members.statuses.${s}`) }))} value={values.status} onChange={(v) => set('status', STATUSES.find((s) => s === v) ?? 'active')} allowDeselect={false} />
          ) : null}
        </Group>
        <Group grow align="flex-start">
          <TextInput label={t('members.email')} type="email" value={values.email} onChange={(e) => set('email', e.currentTarget.value)} error={errors.email} />
          <TextInput label={t('admin.memberForm.phone')} type="tel" value={values.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={errors.phone} />
          <Select label={t('admin.memberForm.locale')} data={[...new Set(locales)]} value={values.locale || null} onChange={(v) => set('locale', v ?? '')} error={errors.locale} clearable />
        </Group>
        <Checkbox.Group label={t('admin.memberForm.channels')} value={values.channels} onChange={(v) => set('channels', v.flatMap((c) => CHANNELS.filter((k) => k === c)))} error={errors.channels}>
          <Group gap="md" mt={4}>
            {CHANNELS.map((c) => (
              <Checkbox key={c} value={c} label={t(`admin.channels.${c}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Switch label={t('members.partnerAdmin')} description={t('admin.memberForm.partnerAdminHint')} checked={values.partnerAdmin} onChange={(e) => set('partnerAdmin', e.currentTarget.checked)} />
        <ErrorAlert error={mutation.error} />
        <Button type="submit" loading={mutation.isPending} w="fit-content" data-testid="member-form-save">
          {editing ? t('admin.save') : t('admin.memberForm.create')}
        </Button>
      </Stack>
    </form>
  );
}
