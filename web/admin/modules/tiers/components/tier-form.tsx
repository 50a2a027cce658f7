import { Button, Group, NumberInput, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { tierInput, tierPatch } from '@contracts/tiers';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { TierView } from '../api/tiers-api';
import { useSaveTier } from '../hooks/use-tiers';
import { useSpend } from '../../program/hooks/use-program';
import { useAmountInput } from '@shared/format/use-amount-input';

type Num = number | string;
type Values = {
  code: string;
  name: string;
  rank: Num;
  ladder: string;
  metric: 'spend' | 'units' | 'points';
  period: 'rolling' | 'year' | 'quarter';
  rollingMonths: Num;
  /** The threshold as typed: money in major units for spend (the program's spend currency), a whole number otherwise. */
  min: string;
  discountPercent: Num;
  multiplier: Num;
  perks: string[];
  graceDays: Num;
};

const num = (v: Num) => (v === '' ? Number.NaN : Number(v));
const opt = (v: Num) => (v === '' ? undefined : Number(v));

/** How the threshold reads and parses: spend as money in the program's spend currency (#21). */
type MinField = { toText: (min: number, metric: Values['metric']) => string; parse: (text: string, metric: Values['metric']) => number };

const fromTier = (x: TierView | null, minField: MinField): Values =>
  x
    ? {
        code: x.code,
        name: x.name,
        rank: x.rank,
        ladder: x.ladder,
        metric: x.qualify.metric,
        period: 'rollingMonths' in x.qualify.period ? 'rolling' : x.qualify.period.calendar,
        rollingMonths: 'rollingMonths' in x.qualify.period ? x.qualify.period.rollingMonths : 12,
        min: minField.toText(x.qualify.min, x.qualify.metric),
        discountPercent: x.benefits.discountPercent,
        multiplier: x.benefits.multiplier,
        perks: x.benefits.perks,
        graceDays: x.graceDays,
      }
    : { code: '', name: '', rank: '', ladder: 'default', metric: 'spend', period: 'rolling', rollingMonths: 12, min: '', discountPercent: '', multiplier: '', perks: [], graceDays: 30 };

const toFields = (v: Values, minField: MinField) => ({
  name: v.name,
  rank: num(v.rank),
  ladder: v.ladder.trim() || undefined,
  qualify: { metric: v.metric, period: v.period === 'rolling' ? { rollingMonths: num(v.rollingMonths) } : { calendar: v.period }, min: minField.parse(v.min, v.metric) },
  benefits: { discountPercent: opt(v.discountPercent), multiplier: opt(v.multiplier), perks: v.perks },
  graceDays: opt(v.graceDays),
});

/** Creates a tier (`tier` null) or edits one, validated with the API's `tierInput` / `tierPatch`. */
export function TierForm({ tier, onDone }: { tier: TierView | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveTier(tier?.code ?? null);
  const spend = useSpend();
  const amountInput = useAmountInput();
  const digitsOf = (metric: Values['metric']) => (metric === 'spend' ? spend.digits : null);
  const minField: MinField = {
    toText: (min, metric) => amountInput.toText(min, digitsOf(metric)),
    parse: (text, metric) => {
      if (!text.trim()) return Number.NaN;
      const r = amountInput.parse(text, digitsOf(metric), spend.iso);
      return 'amount' in r ? r.amount : Number.NaN;
    },
  };
  const form = useContractForm<Values, typeof tierInput | typeof tierPatch>(tier ? tierPatch : tierInput, fromTier(tier, minField), (v) => (tier ? toFields(v, minField) : { code: v.code.trim(), ...toFields(v, minField) }));
  const { values, set, errors } = form;
  // What is wrong with a threshold typed so far ("12,505" in euros), before the schema's own message.
  const typed = values.min.trim() ? amountInput.parse(values.min, digitsOf(values.metric), spend.iso) : null;
  const minMessage = typed && 'message' in typed ? typed.message : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = form.validate();
    if (!body) return;
    try {
      await save.mutateAsync(body);
      onDone();
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={tier ? t('tiers.form.editTitle', { name: tier.name }) : t('tiers.form.newTitle')}>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={t('tiers.form.code')} description={t('tiers.form.codeHint')} value={values.code} onChange={(e) => set('code', e.currentTarget.value)} error={errors.code} disabled={!!tier} required data-autofocus />
          <TextInput label={t('tiers.form.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required />
        </Group>
        <Group grow align="flex-start">
          <NumberInput label={t('tiers.form.rank')} description={t('tiers.form.rankHint')} value={values.rank} onChange={(v) => set('rank', v)} error={errors.rank} min={0} allowDecimal={false} required />
          <TextInput label={t('tiers.ladder')} value={values.ladder} onChange={(e) => set('ladder', e.currentTarget.value)} error={errors.ladder} />
        </Group>
        <Group grow align="flex-start">
          <Select
            label={t('tiers.form.metric')}
            data={(['spend', 'units', 'points'] as const).map((m) => ({ value: m, label: t(`tiers.form.metrics.${m}`) }))}
            value={values.metric}
            onChange={(v) => set('metric', v === 'units' || v === 'points' ? v : 'spend')}
            error={errors['qualify.metric']}
            allowDeselect={false}
          />
          <TextInput
            label={values.metric === 'spend' ? t('tiers.form.minMoney', { currency: spend.iso }) : t('tiers.form.min')}
            inputMode="decimal"
            value={values.min}
            onChange={(e) => set('min', e.currentTarget.value)}
            error={errors['qualify.min'] ?? minMessage}
            data-testid="tier-min"
            required
          />
        </Group>
        <Group grow align="flex-start">
          <Select
            label={t('tiers.form.period')}
            data={[
              { value: 'rolling', label: t('tiers.form.periods.rolling') },
              { value: 'year', label: t('tiers.form.periods.year') },
              { value: 'quarter', label: t('tiers.form.periods.quarter') },
            ]}
            value={values.period}
            onChange={(v) => set('period', v === 'year' || v === 'quarter' ? v : 'rolling')}
            error={errors['qualify.period']}
            allowDeselect={false}
          />
          <NumberInput
            label={t('tiers.form.rollingMonths')}
            value={values.rollingMonths}
            onChange={(v) => set('rollingMonths', v)}
            error={errors['qualify.period.rollingMonths']}
            min={1}
            max={60}
            allowDecimal={false}
            disabled={values.period !== 'rolling'}
          />
        </Group>
        <Group grow align="flex-start">
          <NumberInput label={t('tiers.form.discountPercent')} value={values.discountPercent} onChange={(v) => set('discountPercent', v)} error={errors['benefits.discountPercent']} min={0} max={100} decimalScale={2} />
          <NumberInput label={t('tiers.multiplier')} value={values.multiplier} onChange={(v) => set('multiplier', v)} error={errors['benefits.multiplier']} min={0} max={100} decimalScale={3} />
          <NumberInput label={t('tiers.form.graceDays')} value={values.graceDays} onChange={(v) => set('graceDays', v)} error={errors.graceDays} min={0} max={3650} allowDecimal={false} />
        </Group>
        <TagsInput label={t('tiers.perks')} description={t('tiers.form.perksHint')} value={values.perks} onChange={(v) => set('perks', v)} error={errors['benefits.perks'] ?? Object.entries(errors).find(([k]) => k.startsWith('benefits.perks.'))?.[1]} />
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
