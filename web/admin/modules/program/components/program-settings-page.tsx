import { Badge, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@shared/api/api-error';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { fetchProgramSettings, patchProgram, postCurrency, postEventType, postRole, type CurrencyBody, type ProgramSettingsBody, type ProgramSettingsView } from '../api/program-api';
import { offboardingPolicy as offboardingPolicySchema, type OffboardingPolicy } from '@contracts/accounts';

const OFFBOARDING_POLICIES = offboardingPolicySchema.options;
import { useEventTypes } from '../hooks/use-program';
import { CompanyRightsEditor } from './company-rights-editor';

const LOCALES = ['en', 'fr', 'fa', 'uk', 'hi', 'tl'];
const KINDS = ['points', 'money', 'stamps'] as const;
const ISO_CURRENCIES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : ['EUR', 'USD', 'UAH', 'INR', 'PHP', 'IRR'];
const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC', 'Europe/Paris'];

/** The server's field errors by path, for forms whose schema lives on the server only. */
function fieldErrors(err: unknown): Record<string, string> {
  return isApiError(err) ? err.fieldErrors() : {};
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

/** Program settings: general settings, currencies and their expiry, member roles, custom event types. */
export function ProgramSettingsPage() {
  const { t } = useTranslation();
  const program = useQuery({ queryKey: ['program-settings'], queryFn: fetchProgramSettings });
  const { can } = useSession();
  const p = program.data;
  return (
    <Page title={t('admin.settings.title')}>
      <ErrorAlert error={program.error} />
      {p ? (
        <fieldset disabled={!can('program:write')} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack gap="md">
            <GeneralSettings key={p.createdAt} program={p} />
            <Currencies program={p} />
            <Roles program={p} />
            <CompanyRightsEditor program={p} />
            <EventTypes />
          </Stack>
        </fieldset>
      ) : null}
    </Page>
  );
}

function GeneralSettings({ program }: { program: ProgramSettingsView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [v, setV] = useState({
    name: program.name,
    code: program.code,
    phoneCountry: program.phoneCountry ?? '',
    timeZone: program.timeZone,
    defaultLocale: program.defaultLocale,
    accountShare: program.accountShare,
    allowNegative: program.allowNegative,
    autoCreateAccounts: program.autoCreateAccounts,
    offboardingPolicy: program.offboardingPolicy,
    spendCurrency: program.spendCurrency,
  });
  const [saved, setSaved] = useState(false);
  const mutation = useMutation({
    mutationFn: (body: ProgramSettingsBody) => patchProgram(body),
    onSuccess: () => {
      setSaved(true);
      qc.invalidateQueries({ queryKey: ['program'] });
      qc.invalidateQueries({ queryKey: ['program-settings'] });
    },
  });
  const errors = fieldErrors(mutation.error);
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => {
    setSaved(false);
    setV((x) => ({ ...x, [k]: value }));
  };
  function submit(e: FormEvent) {
    e.preventDefault();
    // Only what changed is sent: a code change moves the portal address, so it is never sent by accident.
    const body: ProgramSettingsBody = {};
    if (v.name.trim() !== program.name) body.name = v.name.trim();
    if (v.code.trim() !== program.code) body.code = v.code.trim();
    if ((v.phoneCountry.trim() || null) !== program.phoneCountry) body.phoneCountry = v.phoneCountry.trim().toUpperCase() || null;
    if (v.timeZone !== program.timeZone) body.timeZone = v.timeZone;
    if (v.defaultLocale !== program.defaultLocale) body.defaultLocale = v.defaultLocale;
    if (v.accountShare !== program.accountShare) body.accountShare = v.accountShare;
    if (v.allowNegative !== program.allowNegative) body.allowNegative = v.allowNegative;
    if (v.autoCreateAccounts !== program.autoCreateAccounts) body.autoCreateAccounts = v.autoCreateAccounts;
    if (v.offboardingPolicy !== program.offboardingPolicy) body.offboardingPolicy = v.offboardingPolicy;
    if (v.spendCurrency !== program.spendCurrency) body.spendCurrency = v.spendCurrency;
    mutation.mutate(body);
  }
  return (
    <Section title={t('admin.settings.general')}>
      <form onSubmit={submit} noValidate data-testid="program-settings-form">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('admin.settings.name')} value={v.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required />
            <TextInput label={t('admin.settings.code')} description={t('admin.settings.codeHint', { code: v.code })} value={v.code} onChange={(e) => set('code', e.currentTarget.value)} error={errors.code} required className="mono" />
            <Select label={t('admin.settings.timeZone')} data={TIME_ZONES} value={v.timeZone} onChange={(x) => set('timeZone', x ?? program.timeZone)} error={errors.timeZone} searchable allowDeselect={false} data-testid="program-time-zone" />
            <Select label={t('admin.settings.defaultLocale')} data={[...new Set([program.defaultLocale, ...LOCALES])]} value={v.defaultLocale} onChange={(x) => set('defaultLocale', x ?? program.defaultLocale)} error={errors.defaultLocale} allowDeselect={false} />
            <TextInput label={t('admin.settings.phoneCountry')} description={t('admin.settings.phoneCountryHint')} value={v.phoneCountry} onChange={(e) => set('phoneCountry', e.currentTarget.value)} error={errors.phoneCountry} maxLength={2} />
            <NumberInput label={t('admin.settings.accountShare')} description={t('admin.settings.accountShareHint')} value={v.accountShare} onChange={(x) => set('accountShare', typeof x === 'number' ? x : Number(x) || 0)} min={0} max={100} allowDecimal={false} suffix=" %" error={errors.accountShare} />
            {/* Spend currency (#21) */}
            <Select label={t('admin.settings.spendCurrency')} description={t('admin.settings.spendCurrencyHint')} data={[...new Set([program.spendCurrency, ...ISO_CURRENCIES])]} value={v.spendCurrency} onChange={(x) => set('spendCurrency', x ?? program.spendCurrency)} error={errors.spendCurrency} searchable allowDeselect={false} data-testid="program-spend-currency" />
          </SimpleGrid>
          <Switch label={t('admin.settings.allowNegative')} description={t('admin.settings.allowNegativeHint')} checked={v.allowNegative} onChange={(e) => set('allowNegative', e.currentTarget.checked)} />
          <Switch label={t('admin.settings.autoCreateAccounts')} description={t('admin.settings.autoCreateAccountsHint')} checked={v.autoCreateAccounts} onChange={(e) => set('autoCreateAccounts', e.currentTarget.checked)} />
          {/* Offboarding (#14) */}
          <Select
            label={t('offboarding.policy')}
            description={t(`offboarding.policyHint.${v.offboardingPolicy}`)}
            data={OFFBOARDING_POLICIES.map((value) => ({ value, label: t(`offboarding.policies.${value}`) }))}
            value={v.offboardingPolicy}
            onChange={(x) => set('offboardingPolicy', (x as OffboardingPolicy | null) ?? program.offboardingPolicy)}
            error={errors.offboardingPolicy}
            allowDeselect={false}
            w={{ base: '100%', sm: '50%' }}
            data-testid="program-offboarding-policy"
          />
          {errors.name || errors.code || errors.timeZone || errors.phoneCountry || errors.accountShare || errors.defaultLocale ? null : <ErrorAlert error={mutation.error} />}
          {saved ? (
            <Text c="teal" role="status">
              {t('admin.settings.saved')}
            </Text>
          ) : null}
          <Button type="submit" loading={mutation.isPending} w="fit-content" data-testid="program-settings-save">
            {t('admin.save')}
          </Button>
        </Stack>
      </form>
    </Section>
  );
}

function Currencies({ program }: { program: ProgramSettingsView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const empty = { code: '', name: '', kind: 'points' as (typeof KINDS)[number], moneyCurrency: '', months: '' as number | string };
  const [v, setV] = useState(empty);
  const mutation = useMutation({
    mutationFn: (body: CurrencyBody) => postCurrency(body),
    onSuccess: () => {
      setV(empty);
      qc.invalidateQueries({ queryKey: ['program'] });
      qc.invalidateQueries({ queryKey: ['program-settings'] });
    },
  });
  const errors = fieldErrors(mutation.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    const months = typeof v.months === 'number' ? v.months : Number.parseInt(v.months, 10);
    mutation.mutate({
      code: v.code.trim(),
      name: v.name.trim(),
      kind: v.kind,
      ...(v.kind === 'money' ? { moneyCurrency: v.moneyCurrency.trim().toUpperCase() } : {}),
      ...(Number.isInteger(months) && months > 0 ? { expiry: { months } } : {}),
    });
  }
  return (
    <Section title={t('admin.settings.currencies')}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.settings.currencyCode')}</Table.Th>
            <Table.Th>{t('admin.settings.name')}</Table.Th>
            <Table.Th>{t('admin.settings.kind')}</Table.Th>
            <Table.Th>{t('admin.settings.expiry')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {program.currencies.map((c) => (
            <Table.Tr key={c.code}>
              <Table.Td className="mono">{c.code}</Table.Td>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>
                {t(`admin.settings.kinds.${c.kind}`)}
                {c.moneyCurrency ? <Badge ms="xs" variant="light">{c.moneyCurrency}</Badge> : null}
              </Table.Td>
              <Table.Td>{c.expiry ? t('admin.settings.expiresAfter', { count: c.expiry.months }) : t('admin.settings.neverExpires')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed">
        {t('admin.settings.currencyNote')}
      </Text>
      <form onSubmit={submit} noValidate>
        <Group align="flex-start" wrap="wrap">
          <TextInput label={t('admin.settings.currencyCode')} value={v.code} onChange={(e) => setV({ ...v, code: e.currentTarget.value })} error={errors.code} w={140} required />
          <TextInput label={t('admin.settings.name')} value={v.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} error={errors.name} w={200} required />
          <Select label={t('admin.settings.kind')} data={KINDS.map((k) => ({ value: k, label: t(`admin.settings.kinds.${k}`) }))} value={v.kind} onChange={(x) => setV({ ...v, kind: KINDS.find((k) => k === x) ?? 'points' })} allowDeselect={false} w={140} />
          {v.kind === 'money' ? <TextInput label={t('admin.settings.moneyCurrency')} placeholder="EUR" value={v.moneyCurrency} onChange={(e) => setV({ ...v, moneyCurrency: e.currentTarget.value })} error={errors.moneyCurrency} w={110} maxLength={3} required /> : null}
          <NumberInput label={t('admin.settings.expiryMonths')} description={t('admin.settings.expiryHint')} value={v.months} onChange={(x) => setV({ ...v, months: x })} min={1} max={120} allowDecimal={false} error={errors['expiry.months']} w={180} />
          <Button type="submit" mt={24} variant="default" loading={mutation.isPending}>
            {t('admin.settings.addCurrency')}
          </Button>
        </Group>
        {Object.keys(errors).length ? null : <ErrorAlert error={mutation.error} />}
      </form>
    </Section>
  );
}

/** A list of code + name (member roles, custom event types) with a form to add one. */
function CodeNameList({ title, items, add, testId }: { title: string; items: { code: string; name: string; builtIn?: boolean }[]; add: (b: { code: string; name: string }) => Promise<unknown>; testId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [v, setV] = useState({ code: '', name: '' });
  const mutation = useMutation({
    mutationFn: add,
    onSuccess: () => {
      setV({ code: '', name: '' });
      qc.invalidateQueries({ queryKey: ['program'] });
      qc.invalidateQueries({ queryKey: ['program-settings'] });
      qc.invalidateQueries({ queryKey: ['event-types'] });
    },
  });
  const errors = fieldErrors(mutation.error);
  return (
    <Section title={title}>
      <Group gap="xs" data-testid={testId}>
        {items.map((r) => (
          <Badge key={r.code} variant={r.builtIn ? 'outline' : 'light'} tt="none">
            {r.name} <span className="mono">({r.code})</span>
          </Badge>
        ))}
      </Group>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate({ code: v.code.trim(), name: v.name.trim() });
        }}
        noValidate
      >
        <Group align="flex-start">
          <TextInput label={t('admin.settings.currencyCode')} description={t('admin.settings.codeFormat')} value={v.code} onChange={(e) => setV({ ...v, code: e.currentTarget.value })} error={errors.code} w={200} required />
          <TextInput label={t('admin.settings.name')} value={v.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} error={errors.name} w={240} required />
          <Button type="submit" mt={44} variant="default" loading={mutation.isPending}>
            {t('admin.settings.add')}
          </Button>
        </Group>
        {Object.keys(errors).length ? null : <ErrorAlert error={mutation.error} />}
      </form>
    </Section>
  );
}

function Roles({ program }: { program: ProgramSettingsView }) {
  const { t } = useTranslation();
  return <CodeNameList title={t('admin.settings.roles')} items={program.roles} add={postRole} testId="program-roles" />;
}

function EventTypes() {
  const { t } = useTranslation();
  const types = useEventTypes().data ?? [];
  return <CodeNameList title={t('admin.settings.eventTypes')} items={types} add={postEventType} testId="program-event-types" />;
}
