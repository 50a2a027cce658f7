import { Badge, Button, Card, Group, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { spiffInput } from '@contracts/spiffs';
import { moneyDigits } from '@shared/format/format';
import { useAmountInput } from '@shared/format/use-amount-input';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { SpiffView } from '../api/spiffs-api';
import { useSpiffMutations, useSpiffReport, useSpiffs } from '../hooks/use-spiffs';

type Values = { name: string; description: string; skus: string; eventType: string; currency: string; perUnit: string; from: string; last: string; types: string; roles: string; budget: string };

const pad = (n: number) => String(n).padStart(2, '0');
/** A day of the browser's calendar as `YYYY-MM-DD`. */
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** The start of a calendar day (the browser's time zone) as an ISO instant; the SPIFF runs up to the start of the day after its last. */
const startOf = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return day;
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function Report({ spiff }: { spiff: SpiffView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmountFormat();
  const report = useSpiffReport(spiff.id);
  if (report.error) return <ErrorAlert error={report.error} />;
  const r = report.data;
  if (!r) return null;
  if (!r.topSellers.length) return <Text size="sm" c="dimmed">{t('spiffs.noEarnings')}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="spiff-report">
      <div>
        <Text size="sm" fw={600}>{t('spiffs.topSellers')}</Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('spiffs.seller')}</Table.Th>
              <Table.Th>{t('spiffs.units')}</Table.Th>
              <Table.Th>{t('spiffs.earned')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.topSellers.map((s) => (
              <Table.Tr key={`${s.accountId}-${s.memberId ?? ''}`}>
                <Table.Td>
                  <Text size="sm">{s.memberName ?? t('spiffs.companyWallet')}</Text>
                  <Text size="xs" c="dimmed">{s.accountName}</Text>
                </Table.Td>
                <Table.Td>{f.number(s.units)}</Table.Td>
                <Table.Td>{amount(s.earned, r.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <div>
        <Text size="sm" fw={600}>{t('spiffs.byAccount')}</Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('spiffs.account')}</Table.Th>
              <Table.Th>{t('spiffs.sellers')}</Table.Th>
              <Table.Th>{t('spiffs.units')}</Table.Th>
              <Table.Th>{t('spiffs.earned')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.byAccount.map((a) => (
              <Table.Tr key={a.accountId}>
                <Table.Td>{a.accountName}</Table.Td>
                <Table.Td>{f.number(a.sellers)}</Table.Td>
                <Table.Td>{f.number(a.units)}</Table.Td>
                <Table.Td>{amount(a.earned, r.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </SimpleGrid>
  );
}

export function SpiffsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const program = useProgram().data;
  const amountInput = useAmountInput();
  const amount = useAmountFormat();
  const spiffs = useSpiffs();
  const m = useSpiffMutations();
  const [editing, setEditing] = useState<SpiffView | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const currencies = program?.currencies ?? [];
  const currencyOf = (code: string) => currencies.find((c) => c.code === code);
  const defaultCurrency = currencies.find((c) => c.kind === 'money')?.code ?? currencies[0]?.code ?? '';
  const initial: Values = { name: '', description: '', skus: '', eventType: 'sale_claimed', currency: '', perUnit: '', from: '', last: '', types: '', roles: '', budget: '' };
  const currencyCode = (v: Values) => v.currency || defaultCurrency;
  const toBody = (v: Values) => {
    const c = currencyOf(currencyCode(v));
    const digits = moneyDigits(c);
    const iso = c?.moneyCurrency ?? currencyCode(v);
    const per = amountInput.parse(v.perUnit, digits, iso);
    const budget = amountInput.parse(v.budget, digits, iso);
    const target = { ...(list(v.types).length ? { types: list(v.types) } : {}), ...(list(v.roles).length ? { roles: list(v.roles) } : {}) };
    return {
      name: v.name.trim(),
      description: v.description.trim() || null,
      skus: list(v.skus),
      eventType: v.eventType,
      reward: { currency: currencyCode(v), perUnit: 'amount' in per ? per.amount : Number.NaN },
      period: { from: startOf(v.from), to: startOf(v.last, 1) },
      target,
      budget: 'amount' in budget ? budget.amount : Number.NaN,
    };
  };
  const form = useContractForm<Values, typeof spiffInput>(spiffInput, initial, toBody);
  const write = can('program:write');
  const { values, set } = form;

  function edit(s: SpiffView) {
    const digits = moneyDigits(currencyOf(s.reward.currency));
    setEditing(s);
    form.setValues({
      name: s.name,
      description: s.description ?? '',
      skus: s.skus.join(', '),
      eventType: s.eventType,
      currency: s.reward.currency,
      perUnit: amountInput.toText(s.reward.perUnit, digits),
      from: dayOf(new Date(s.period.from)),
      last: dayOf(new Date(Date.parse(s.period.to) - 1)),
      types: (s.target.types ?? []).join(', '),
      roles: (s.target.roles ?? []).join(', '),
      budget: amountInput.toText(s.budget, digits),
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = form.validate();
    if (!body) return;
    try {
      if (editing) await m.update.mutateAsync({ id: editing.id, body });
      else await m.create.mutateAsync(body);
      setEditing(null);
      form.setValues(initial);
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  const setStatus = (s: SpiffView, status: 'active' | 'paused' | 'archived') => {
    if (status === 'archived' && !window.confirm(t('spiffs.confirmEnd', { name: s.name }))) return;
    m.update.mutate({ id: s.id, body: { status } });
  };

  return (
    <Page title={t('spiffs.title')}>
      <Text size="sm" c="dimmed">{t('spiffs.intro')}</Text>
      {write ? (
        <Card withBorder maw={820}>
          <form onSubmit={submit} noValidate aria-label={editing ? t('spiffs.edit') : t('spiffs.create')}>
            <Stack gap="sm">
              <TextInput label={t('spiffs.name')} placeholder={t('spiffs.namePlaceholder')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={form.errors.name} required />
              <Textarea label={t('spiffs.description')} value={values.description} onChange={(e) => set('description', e.currentTarget.value)} error={form.errors.description} autosize minRows={1} />
              <Group grow>
                <TextInput label={t('spiffs.skus')} placeholder="WT-200, WT-300" value={values.skus} onChange={(e) => set('skus', e.currentTarget.value)} error={form.errors.skus ?? form.errors['skus.0']} required />
                <Select
                  label={t('spiffs.eventType')}
                  data={[
                    { value: 'sale_claimed', label: t('spiffs.eventTypes.sale_claimed') },
                    { value: 'purchase', label: t('spiffs.eventTypes.purchase') },
                  ]}
                  value={values.eventType}
                  onChange={(v) => v && set('eventType', v)}
                  error={form.errors.eventType}
                  allowDeselect={false}
                />
              </Group>
              <Group grow>
                <Select label={t('spiffs.currency')} data={currencies.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))} value={currencyCode(values) || null} onChange={(v) => v && set('currency', v)} error={form.errors['reward.currency']} allowDeselect={false} />
                <TextInput label={t('spiffs.perUnit')} inputMode="decimal" value={values.perUnit} onChange={(e) => set('perUnit', e.currentTarget.value)} error={form.errors['reward.perUnit']} required />
                <TextInput label={t('spiffs.budget')} inputMode="decimal" value={values.budget} onChange={(e) => set('budget', e.currentTarget.value)} error={form.errors.budget} required />
              </Group>
              <Group grow>
                <TextInput type="date" label={t('spiffs.from')} value={values.from} onChange={(e) => set('from', e.currentTarget.value)} error={form.errors['period.from']} required />
                <TextInput type="date" label={t('spiffs.last')} value={values.last} onChange={(e) => set('last', e.currentTarget.value)} error={form.errors['period.to']} required />
              </Group>
              <Group grow>
                <TextInput label={t('spiffs.types')} placeholder="dealer" value={values.types} onChange={(e) => set('types', e.currentTarget.value)} error={form.errors['target.types.0']} />
                <TextInput label={t('spiffs.roles')} placeholder="sales" value={values.roles} onChange={(e) => set('roles', e.currentTarget.value)} error={form.errors['target.roles.0']} />
              </Group>
              <ErrorAlert error={m.create.error ?? m.update.error} />
              <Group>
                <Button type="submit" loading={m.create.isPending || m.update.isPending} w="fit-content">{editing ? t('spiffs.save') : t('spiffs.create')}</Button>
                {editing ? (
                  <Button
                    variant="default"
                    onClick={() => {
                      setEditing(null);
                      form.setValues(initial);
                    }}
                  >
                    {t('spiffs.cancel')}
                  </Button>
                ) : null}
              </Group>
            </Stack>
          </form>
        </Card>
      ) : null}
      <ErrorAlert error={spiffs.error} />
      <Stack gap="sm">
        {(spiffs.data ?? []).map((s) => (
          <Card key={s.id} withBorder data-testid={`spiff-${s.id}`}>
            <Stack gap="xs">
              <Group justify="space-between" align="start">
                <div>
                  <Text fw={600}>{s.name}</Text>
                  <Text size="sm" c="dimmed">
                    {t('spiffs.summary', { amount: amount(s.reward.perUnit, s.reward.currency), skus: s.skus.join(', '), from: f.date(s.period.from), to: f.date(new Date(Date.parse(s.period.to) - 1)) })}
                    {' · '}
                    {t(`spiffs.eventTypes.${s.eventType === 'purchase' ? 'purchase' : s.eventType === 'sale_claimed' ? 'sale_claimed' : 'other'}`, { type: s.eventType })}
                    {s.target.types?.length ? ` · ${s.target.types.join(', ')}` : ''}
                    {s.target.roles?.length ? ` · ${s.target.roles.join(', ')}` : ''}
                  </Text>
                </div>
                <Badge variant="light" color={s.status === 'active' ? 'teal' : s.status === 'paused' ? 'yellow' : 'gray'}>{t(`spiffs.statuses.${s.status}`)}</Badge>
              </Group>
              <Progress value={s.budget ? Math.min(100, (100 * s.spent) / s.budget) : 0} aria-label={t('spiffs.spendOfBudget')} />
              <Text size="sm" data-testid="spiff-spend">{t('spiffs.spend', { spent: amount(s.spent, s.reward.currency), budget: amount(s.budget, s.reward.currency), remaining: amount(s.remaining, s.reward.currency) })}</Text>
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setOpen(open === s.id ? null : s.id)}>{open === s.id ? t('spiffs.hideReport') : t('spiffs.showReport')}</Button>
                {write && s.status !== 'archived' ? (
                  <>
                    <Button size="xs" variant="default" onClick={() => edit(s)}>{t('spiffs.edit')}</Button>
                    <Button size="xs" variant="default" onClick={() => setStatus(s, s.status === 'active' ? 'paused' : 'active')}>{s.status === 'active' ? t('spiffs.pause') : t('spiffs.resume')}</Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setStatus(s, 'archived')}>{t('spiffs.end')}</Button>
                  </>
                ) : null}
              </Group>
              {open === s.id ? <Report spiff={s} /> : null}
            </Stack>
          </Card>
        ))}
        {spiffs.data && !spiffs.data.length ? <Text c="dimmed">{t('spiffs.none')}</Text> : null}
      </Stack>
    </Page>
  );
}
