import { Badge, Button, Card, Group, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rebateInput } from '@contracts/rebates';
import { newIdempotencyKey } from '@shared/api/client';
import { moneyDigits } from '@shared/format/format';
import { useAmountInput } from '@shared/format/use-amount-input';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { RebateView } from '../api/rebates-api';
import { useRebateMutations, useRebates, useStandings } from '../hooks/use-rebates';

/** "2,5" or "2.5" (percent) → 250 basis points; null when not a percent with at most two decimals. */
export function percentToBp(text: string): number | null {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

const percent = (bp: number) => `${bp / 100} %`;

type Row = { min: string; rate: string };
type Values = { name: string; calendar: 'quarter' | 'year'; metric: 'spend' | 'units'; scheme: 'retroactive' | 'marginal'; currency: string; graceDays: string; types: string; rollUp: boolean; rows: Row[] };

function Standings({ rebate }: { rebate: RebateView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmountFormat();
  const standings = useStandings(rebate.id);
  const volume = (n: number) => (rebate.basis.metric === 'spend' ? amount(n, rebate.payout.currency) : f.number(n));
  if (standings.error) return <ErrorAlert error={standings.error} />;
  const items = standings.data ?? [];
  if (!items.length) return <Text c="dimmed" size="sm">{t('rebates.noStandings')}</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('rebates.account')}</Table.Th>
            <Table.Th>{t('rebates.basis')}</Table.Th>
            <Table.Th>{t('rebates.bracket')}</Table.Th>
            <Table.Th>{t('rebates.accrued')}</Table.Th>
            <Table.Th>{t('rebates.next')}</Table.Th>
            <Table.Th>{t('rebates.projected')}</Table.Th>
            <Table.Th>{t('rebates.paid')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.accountId}>
              <Table.Td>
                <Text size="sm">{s.accountName}</Text>
                <Text size="xs" c="dimmed" className="mono">{s.accountExternalId}</Text>
              </Table.Td>
              <Table.Td>{volume(s.basis)}</Table.Td>
              <Table.Td>{s.bracket ? percent(s.bracket.rateBp) : '—'}</Table.Td>
              <Table.Td>{amount(s.accrued, s.currency)}</Table.Td>
              <Table.Td>{s.next ? t('rebates.nextText', { remaining: volume(s.next.remaining), rate: percent(s.next.rateBp) }) : '—'}</Table.Td>
              <Table.Td>{t('rebates.projectedText', { basis: volume(s.projected.basis), amount: amount(s.projected.amount, s.currency) })}</Table.Td>
              <Table.Td>{amount(s.paid, s.currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SettleBar({ rebate }: { rebate: RebateView }) {
  const { t } = useTranslation();
  const amount = useAmountFormat();
  const { settle } = useRebateMutations();
  const [period, setPeriod] = useState('');
  const [done, setDone] = useState<string | null>(null);
  // One key per intended settlement: a retry after a network error replays instead of settling again.
  const key = useRef(newIdempotencyKey());
  async function run(final: boolean) {
    if (!window.confirm(t(final ? 'rebates.confirmFinal' : 'rebates.confirmInterim', { period }))) return;
    const r = await settle.mutateAsync({ id: rebate.id, period: period.trim(), final, key: key.current });
    key.current = newIdempotencyKey();
    setDone(t('rebates.settled', { count: r.items.filter((i) => i.paid > 0).length, amount: amount(r.items.reduce((n, i) => n + i.paid, 0), r.currency) }));
  }
  return (
    <Stack gap="xs">
      <Group gap="xs" align="end">
        <TextInput label={t('rebates.period')} placeholder={rebate.period.calendar === 'quarter' ? '2026-Q4' : '2026'} value={period} onChange={(e) => setPeriod(e.currentTarget.value)} w={140} />
        <Button variant="default" disabled={!period.trim()} loading={settle.isPending} onClick={() => void run(false).catch(() => undefined)}>{t('rebates.settleInterim')}</Button>
        <Button disabled={!period.trim()} loading={settle.isPending} onClick={() => void run(true).catch(() => undefined)}>{t('rebates.settleFinal')}</Button>
      </Group>
      <ErrorAlert error={settle.error} />
      {done ? <Text size="sm" c="teal">{done}</Text> : null}
    </Stack>
  );
}

export function RebatesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const program = useProgram().data;
  const amountInput = useAmountInput();
  const rebates = useRebates();
  const m = useRebateMutations();
  const moneyCurrencies = (program?.currencies ?? []).filter((c) => c.kind === 'money');
  const currencyOf = (code: string) => program?.currencies.find((c) => c.code === code);
  const initial: Values = { name: '', calendar: 'quarter', metric: 'spend', scheme: 'retroactive', currency: moneyCurrencies[0]?.code ?? '', graceDays: '15', types: '', rollUp: false, rows: [{ min: '', rate: '' }, { min: '', rate: '' }, { min: '', rate: '' }] };
  // The program's currencies may arrive after the form's first render: the first money currency is the default.
  const currencyCode = (v: Values) => v.currency || moneyCurrencies[0]?.code || '';
  const toBody = (v: Values) => {
    const c = currencyOf(currencyCode(v));
    const digits = v.metric === 'spend' ? moneyDigits(c) : null;
    const rows = v.rows.filter((r) => r.min.trim() || r.rate.trim());
    const types = v.types.split(',').map((x) => x.trim()).filter(Boolean);
    return {
      name: v.name.trim(),
      period: { calendar: v.calendar },
      basis: { metric: v.metric, ...(v.rollUp ? { rollUp: true } : {}) },
      scheme: v.scheme,
      thresholds: rows.map((r) => {
        const a = amountInput.parse(r.min, digits, c?.moneyCurrency ?? currencyCode(v));
        return { min: 'amount' in a ? a.amount : Number.NaN, rateBp: percentToBp(r.rate) ?? Number.NaN };
      }),
      payout: { currency: currencyCode(v) },
      graceDays: Number(v.graceDays),
      ...(types.length ? { target: { types } } : {}),
    };
  };
  const form = useContractForm<Values, typeof rebateInput>(rebateInput, initial, toBody);
  const write = can('program:write');
  const { values, set } = form;
  const setRow = (i: number, k: keyof Row, value: string) => set('rows', values.rows.map((r, j) => (j === i ? { ...r, [k]: value } : r)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = form.validate();
    if (!body) return;
    try {
      await m.create.mutateAsync(body);
      form.setValues(initial);
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  return (
    <Page title={t('rebates.title')}>
      <Text size="sm" c="dimmed">{t('rebates.intro')}</Text>
      {write ? (
        <Card withBorder maw={820}>
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <TextInput label={t('rebates.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={form.errors.name} required />
              <Group grow>
                <Select label={t('rebates.calendar')} data={[{ value: 'quarter', label: t('rebates.quarter') }, { value: 'year', label: t('rebates.year') }]} value={values.calendar} onChange={(v) => v && set('calendar', v as Values['calendar'])} allowDeselect={false} />
                <Select label={t('rebates.metric')} data={[{ value: 'spend', label: t('rebates.spend') }, { value: 'units', label: t('rebates.units') }]} value={values.metric} onChange={(v) => v && set('metric', v as Values['metric'])} allowDeselect={false} />
                <Select label={t('rebates.scheme')} data={[{ value: 'retroactive', label: t('rebates.retroactive') }, { value: 'marginal', label: t('rebates.marginal') }]} value={values.scheme} onChange={(v) => v && set('scheme', v as Values['scheme'])} allowDeselect={false} />
              </Group>
              <Group grow>
                <Select label={t('rebates.payout')} data={moneyCurrencies.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))} value={currencyCode(values) || null} onChange={(v) => v && set('currency', v)} error={form.errors['payout.currency']} allowDeselect={false} />
                <TextInput label={t('rebates.graceDays')} inputMode="numeric" value={values.graceDays} onChange={(e) => set('graceDays', e.currentTarget.value)} error={form.errors.graceDays} />
                <TextInput label={t('rebates.types')} placeholder="distributor" value={values.types} onChange={(e) => set('types', e.currentTarget.value)} />
              </Group>
              <Switch label={t('rebates.rollUp')} checked={values.rollUp} onChange={(e) => set('rollUp', e.currentTarget.checked)} />
              <Text size="sm" fw={600}>{t('rebates.thresholds')}</Text>
              {values.rows.map((r, i) => (
                <Group key={i} grow>
                  <TextInput label={t('rebates.from')} value={r.min} onChange={(e) => setRow(i, 'min', e.currentTarget.value)} error={form.errors[`thresholds.${i}.min`]} />
                  <TextInput label={t('rebates.ratePercent')} placeholder="2.5" value={r.rate} onChange={(e) => setRow(i, 'rate', e.currentTarget.value)} error={form.errors[`thresholds.${i}.rateBp`]} />
                </Group>
              ))}
              {form.errors.thresholds ? <Text c="red" size="sm">{form.errors.thresholds}</Text> : null}
              <ErrorAlert error={m.create.error} />
              <Button type="submit" loading={m.create.isPending} w="fit-content">{t('rebates.create')}</Button>
            </Stack>
          </form>
        </Card>
      ) : null}
      <ErrorAlert error={rebates.error} />
      <Stack gap="sm">
        {(rebates.data ?? []).map((r) => (
          <Card key={r.id} withBorder>
            <Stack gap="xs">
              <Group justify="space-between">
                <div>
                  <Text fw={600}>{r.name}</Text>
                  <Text size="sm" c="dimmed">
                    {t(`rebates.${r.period.calendar}`)} · {t(`rebates.${r.scheme}`)} · {r.thresholds.map((x) => percent(x.rateBp)).join(' / ')}
                    {r.target?.types?.length ? ` · ${r.target.types.join(', ')}` : ''}
                  </Text>
                </div>
                <Badge variant="light" color={r.status === 'active' ? 'teal' : 'gray'}>{t(`rebates.statuses.${r.status}`)}</Badge>
              </Group>
              <Standings rebate={r} />
              {write && r.status === 'active' ? <SettleBar rebate={r} /> : null}
            </Stack>
          </Card>
        ))}
        {rebates.data && !rebates.data.length ? <Text c="dimmed">{t('rebates.none')}</Text> : null}
      </Stack>
    </Page>
  );
}
