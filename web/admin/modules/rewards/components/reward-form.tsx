import { Button, Group, NumberInput, Select, Stack, Switch, TagsInput, TextInput } from '@mantine/core';
import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rewardInput, rewardKind, rewardPatch, type RewardKind } from '@contracts/rewards';
import { useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { RewardView } from '../api/rewards-api';
import { useSaveReward } from '../hooks/use-rewards';

type Num = number | string;
type Values = {
  name: string;
  kind: RewardKind;
  category: string;
  currency: string;
  amount: Num;
  stock: Num;
  autoApprove: boolean;
  active: boolean;
  tiers: string[];
  roles: string[];
  accountTypes: string[];
};

const fromReward = (r: RewardView | null): Values =>
  r
    ? {
        name: r.name,
        kind: r.kind,
        category: r.category ?? '',
        currency: r.cost.currency,
        amount: r.cost.amount,
        stock: r.stock ?? '',
        autoApprove: r.autoApprove,
        active: r.active,
        tiers: r.eligibility.tiers ?? [],
        roles: r.eligibility.roles ?? [],
        accountTypes: r.eligibility.accountTypes ?? [],
      }
    : { name: '', kind: 'gift', category: '', currency: 'points', amount: '', stock: '', autoApprove: false, active: true, tiers: [], roles: [], accountTypes: [] };

const common = (v: Values) => ({
  name: v.name,
  cost: { currency: v.currency, amount: v.amount === '' ? Number.NaN : Number(v.amount) },
  autoApprove: v.autoApprove,
  active: v.active,
  eligibility: { tiers: v.tiers, roles: v.roles, accountTypes: v.accountTypes },
});

// A new reward leaves out what is empty; a change clears it with null (unlimited stock, no category).
const toInput = (v: Values) => ({ ...common(v), kind: v.kind, category: v.category.trim() || undefined, stock: v.stock === '' ? undefined : Number(v.stock) });
const toPatch = (v: Values) => ({ ...common(v), category: v.category.trim() || null, stock: v.stock === '' ? null : Number(v.stock) });

/** The first error at `path` or under it (`eligibility.tiers.0`). */
const under = (errors: Record<string, string>, path: string) => errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];

/** Creates a reward (`reward` null) or edits one, validated with the API's `rewardInput` / `rewardPatch`. */
export function RewardForm({ reward, onDone }: { reward: RewardView | null; onDone: () => void }) {
  const { t } = useTranslation();
  const program = useProgram().data;
  const save = useSaveReward(reward?.id ?? null);
  const form = useContractForm<Values, typeof rewardInput | typeof rewardPatch>(reward ? rewardPatch : rewardInput, fromReward(reward), reward ? toPatch : toInput);
  const { values, set, errors } = form;

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

  const currencies = (program?.currencies ?? []).map((c) => ({ value: c.code, label: c.name }));
  if (!currencies.some((c) => c.value === values.currency)) currencies.push({ value: values.currency, label: values.currency });
  return (
    <form onSubmit={submit} noValidate aria-label={reward ? t('rewards.form.editTitle', { name: reward.name }) : t('rewards.form.newTitle')}>
      <Stack gap="sm">
        <TextInput label={t('rewards.form.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required data-autofocus />
        <Group grow align="flex-start">
          <Select
            label={t('rewards.kind')}
            data={rewardKind.options.map((k) => ({ value: k, label: t(`rewards.kinds.${k}`) }))}
            value={values.kind}
            onChange={(v) => set('kind', rewardKind.safeParse(v).data ?? 'gift')}
            error={errors.kind}
            disabled={!!reward}
            description={reward ? t('rewards.form.kindFixed') : undefined}
            allowDeselect={false}
          />
          <TextInput label={t('rewards.category')} value={values.category} onChange={(e) => set('category', e.currentTarget.value)} error={errors.category} />
        </Group>
        <Group grow align="flex-start">
          <Select label={t('rules.currency')} data={currencies} value={values.currency} onChange={(v) => set('currency', v ?? '')} error={errors['cost.currency']} allowDeselect={false} />
          <NumberInput label={t('rewards.cost')} value={values.amount} onChange={(v) => set('amount', v)} error={errors['cost.amount'] ?? errors.cost} min={0} allowDecimal={false} required />
          <NumberInput label={t('rewards.stock')} description={t('rewards.form.stockHint')} value={values.stock} onChange={(v) => set('stock', v)} error={errors.stock} min={0} allowDecimal={false} />
        </Group>
        <Group>
          <Switch label={t('rewards.form.active')} checked={values.active} onChange={(e) => set('active', e.currentTarget.checked)} error={errors.active} />
          <Switch label={t('rewards.form.autoApprove')} checked={values.autoApprove} onChange={(e) => set('autoApprove', e.currentTarget.checked)} error={errors.autoApprove} />
        </Group>
        <TagsInput label={t('rewards.form.tiers')} description={t('rewards.form.everyoneHint')} value={values.tiers} onChange={(v) => set('tiers', v)} error={under(errors, 'eligibility.tiers')} />
        <TagsInput label={t('rewards.form.roles')} description={t('rewards.form.everyoneHint')} value={values.roles} onChange={(v) => set('roles', v)} error={under(errors, 'eligibility.roles')} />
        <TagsInput label={t('rewards.form.accountTypes')} description={t('rewards.form.everyoneHint')} value={values.accountTypes} onChange={(v) => set('accountTypes', v)} error={under(errors, 'eligibility.accountTypes')} />
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
