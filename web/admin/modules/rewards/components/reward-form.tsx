import { ActionIcon, Button, Fieldset, Group, NumberInput, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rewardInput, rewardKind, rewardPatch, type RewardKind } from '@contracts/rewards';
import { useFormat } from '@shared/format/use-format';
import { LANGUAGES } from '@shared/i18n/i18n';
import { useProgram } from '../../program/hooks/use-program';
import { useTiers } from '../../tiers/hooks/use-tiers';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { RewardView } from '../api/rewards-api';
import { usePartners, useSaveReward } from '../hooks/use-rewards';

type Num = number | string;
type TextRow = { locale: string; name: string; description: string };
type Values = {
  name: string;
  description: string;
  kind: RewardKind;
  category: string;
  currency: string;
  amount: Num;
  stock: Num;
  autoApprove: boolean;
  active: boolean;
  /** `datetime-local` values (the browser's time zone); empty means no bound. */
  activeFrom: string;
  activeTo: string;
  texts: TextRow[];
  images: string[];
  charity: string;
  partnerId: string;
  partnerCurrency: string;
  partnerAmount: Num;
  validityDays: Num;
  tiers: string[];
  roles: string[];
  accountTypes: string[];
};

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO instant as the value of a `datetime-local` input, in the browser's time zone. */
export const toLocalInput = (iso: string | null): string => {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
/** Back to an ISO instant; what the browser cannot read is sent as typed, for the contract to refuse. */
const fromLocalInput = (v: string): string => {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
};

const num = (v: Num) => (v === '' ? Number.NaN : Number(v));

const fromReward = (r: RewardView | null): Values =>
  r
    ? {
        name: r.name,
        description: r.description ?? '',
        kind: r.kind,
        category: r.category ?? '',
        currency: r.cost.currency,
        amount: r.cost.amount,
        stock: r.stock ?? '',
        autoApprove: r.autoApprove,
        active: r.active,
        activeFrom: toLocalInput(r.activeFrom),
        activeTo: toLocalInput(r.activeTo),
        texts: Object.entries(r.texts).map(([locale, x]) => ({ locale, name: x.name, description: x.description ?? '' })),
        images: r.images,
        charity: r.charity ?? '',
        partnerId: r.partnerId ?? '',
        partnerCurrency: r.partnerPrice?.currency ?? '',
        partnerAmount: r.partnerPrice?.amount ?? '',
        validityDays: r.validityDays ?? '',
        tiers: r.eligibility.tiers ?? [],
        roles: r.eligibility.roles ?? [],
        accountTypes: r.eligibility.accountTypes ?? [],
      }
    : {
        name: '',
        description: '',
        kind: 'gift',
        category: '',
        currency: 'points',
        amount: '',
        stock: '',
        autoApprove: false,
        active: true,
        activeFrom: '',
        activeTo: '',
        texts: [],
        images: [],
        charity: '',
        partnerId: '',
        partnerCurrency: '',
        partnerAmount: '',
        validityDays: '',
        tiers: [],
        roles: [],
        accountTypes: [],
      };

const texts = (rows: TextRow[]) =>
  Object.fromEntries(rows.filter((r) => r.locale.trim() || r.name.trim()).map((r) => [r.locale.trim(), { name: r.name, ...(r.description.trim() ? { description: r.description } : {}) }]));

const common = (v: Values) => ({
  name: v.name,
  cost: { currency: v.currency, amount: num(v.amount) },
  autoApprove: v.autoApprove,
  active: v.active,
  texts: texts(v.texts),
  images: v.images,
  eligibility: { tiers: v.tiers, roles: v.roles, accountTypes: v.accountTypes },
});

// Empty partner fields mean "no partner price"; half of one is sent, so the contract names the missing half.
const partnerPrice = (v: Values) => (v.partnerCurrency === '' && v.partnerAmount === '' ? null : { currency: v.partnerCurrency.trim().toUpperCase(), amount: num(v.partnerAmount) });

// A new reward leaves out what is empty; a change clears it with null (unlimited stock, no category, no window).
const toInput = (v: Values) => {
  const price = partnerPrice(v);
  return {
    ...common(v),
    kind: v.kind,
    description: v.description.trim() || undefined,
    category: v.category.trim() || undefined,
    stock: v.stock === '' ? undefined : Number(v.stock),
    activeFrom: v.activeFrom ? fromLocalInput(v.activeFrom) : undefined,
    activeTo: v.activeTo ? fromLocalInput(v.activeTo) : undefined,
    charity: v.charity.trim() || undefined,
    partnerId: v.partnerId || undefined,
    partnerPrice: price ?? undefined,
    validityDays: v.validityDays === '' ? undefined : Number(v.validityDays),
  };
};
const toPatch = (v: Values) => ({
  ...common(v),
  description: v.description.trim() || null,
  category: v.category.trim() || null,
  stock: v.stock === '' ? null : Number(v.stock),
  activeFrom: v.activeFrom ? fromLocalInput(v.activeFrom) : null,
  activeTo: v.activeTo ? fromLocalInput(v.activeTo) : null,
  charity: v.charity.trim() || null,
  partnerId: v.partnerId || null,
  partnerPrice: partnerPrice(v),
  validityDays: v.validityDays === '' ? null : Number(v.validityDays),
});

/** The first error at `path` or under it (`eligibility.tiers.0`). */
const under = (errors: Record<string, string>, path: string) => errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];

/**
 * Creates a reward (`reward` null) or edits one, validated with the API's `rewardInput` /
 * `rewardPatch`: every field the API takes, with the server's field errors next to each.
 */
export function RewardForm({ reward, onDone }: { reward: RewardView | null; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const program = useProgram().data;
  const tiers = useTiers().data ?? [];
  const partners = usePartners().data ?? [];
  const save = useSaveReward(reward?.id ?? null);
  const form = useContractForm<Values, typeof rewardInput | typeof rewardPatch>(reward ? rewardPatch : rewardInput, fromReward(reward), reward ? toPatch : toInput);
  const { values, set, errors } = form;

  // Texts are keyed by language: a language twice would silently keep only the last row.
  const locales = values.texts.map((r) => r.locale.trim()).filter(Boolean);
  const twice = new Set(locales.filter((l, i) => locales.indexOf(l) !== i));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (twice.size) return;
    const body = form.validate();
    if (!body) return;
    try {
      await save.mutateAsync(body);
      onDone();
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  const setText = (i: number, patch: Partial<TextRow>) =>
    set(
      'texts',
      values.texts.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );

  const currencies = (program?.currencies ?? []).map((c) => ({ value: c.code, label: c.name }));
  if (!currencies.some((c) => c.value === values.currency)) currencies.push({ value: values.currency, label: values.currency });
  const costCurrency = program?.currencies.find((c) => c.code === values.currency);
  const costPreview = costCurrency?.kind === 'money' && values.amount !== '' && Number.isInteger(Number(values.amount)) ? f.amount(Number(values.amount), costCurrency) : null;
  const partnerPreview =
    /^[A-Z]{3}$/.test(values.partnerCurrency) && values.partnerAmount !== '' && Number.isInteger(Number(values.partnerAmount))
      ? f.amount(Number(values.partnerAmount), { code: values.partnerCurrency, kind: 'money', moneyCurrency: values.partnerCurrency })
      : null;
  const partnerOptions = partners.map((p) => ({ value: p.id, label: p.name }));
  if (values.partnerId && !partnerOptions.some((p) => p.value === values.partnerId)) partnerOptions.push({ value: values.partnerId, label: values.partnerId });
  const usedLocales = new Set(values.texts.map((r) => r.locale));
  // The reward's own name is in the program's language: a new row proposes the next language the console ships.
  const own = program?.defaultLocale.split('-')[0];
  const nextLocale = LANGUAGES.map((l) => l.code as string).find((c) => c !== own && !usedLocales.has(c)) ?? '';

  return (
    <form onSubmit={submit} noValidate aria-label={reward ? t('rewards.form.editTitle', { name: reward.name }) : t('rewards.form.newTitle')}>
      <Stack gap="sm">
        <TextInput label={t('rewards.form.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required data-autofocus />
        <Textarea label={t('rewards.form.description')} value={values.description} onChange={(e) => set('description', e.currentTarget.value)} error={errors.description} autosize minRows={2} maxRows={6} />
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
          <NumberInput
            label={t('rewards.cost')}
            description={costCurrency?.kind === 'money' ? (costPreview ?? t('rewards.form.minorUnits')) : undefined}
            value={values.amount}
            onChange={(v) => set('amount', v)}
            error={errors['cost.amount'] ?? errors.cost}
            min={0}
            allowDecimal={false}
            required
          />
          <NumberInput label={t('rewards.stock')} description={t('rewards.form.stockHint')} value={values.stock} onChange={(v) => set('stock', v)} error={errors.stock} min={0} allowDecimal={false} />
        </Group>
        <Group>
          <Switch label={t('rewards.form.active')} checked={values.active} onChange={(e) => set('active', e.currentTarget.checked)} error={errors.active} />
          <Switch label={t('rewards.form.autoApprove')} checked={values.autoApprove} onChange={(e) => set('autoApprove', e.currentTarget.checked)} error={errors.autoApprove} />
        </Group>
        <Group grow align="flex-start">
          <TextInput type="datetime-local" label={t('rewards.form.activeFrom')} description={t('rewards.form.windowHint')} value={values.activeFrom} onChange={(e) => set('activeFrom', e.currentTarget.value)} error={errors.activeFrom} />
          <TextInput type="datetime-local" label={t('rewards.form.activeTo')} description={t('rewards.form.windowHint')} value={values.activeTo} onChange={(e) => set('activeTo', e.currentTarget.value)} error={errors.activeTo} />
        </Group>

        <Fieldset legend={t('rewards.form.texts')}>
          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              {t('rewards.form.textsHint')}
            </Text>
            {values.texts.map((row, i) => (
              <Group key={i} align="flex-start" wrap="nowrap" data-testid={`reward-text-${i}`}>
                <TextInput
                  label={t('rewards.form.locale')}
                  w={110}
                  value={row.locale}
                  onChange={(e) => setText(i, { locale: e.currentTarget.value })}
                  error={twice.has(row.locale.trim()) ? t('rewards.form.localeTwice') : errors[`texts.${row.locale.trim()}`]}
                />
                <TextInput label={t('rewards.form.name')} style={{ flex: 1 }} value={row.name} onChange={(e) => setText(i, { name: e.currentTarget.value })} error={errors[`texts.${row.locale.trim()}.name`]} />
                <TextInput
                  label={t('rewards.form.description')}
                  style={{ flex: 2 }}
                  value={row.description}
                  onChange={(e) => setText(i, { description: e.currentTarget.value })}
                  error={errors[`texts.${row.locale.trim()}.description`]}
                />
                <ActionIcon variant="subtle" color="red" mt={26} aria-label={t('rewards.form.removeText', { locale: row.locale || '—' })} onClick={() => set('texts', values.texts.filter((_, j) => j !== i))}>
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button variant="light" size="xs" onClick={() => set('texts', [...values.texts, { locale: nextLocale, name: '', description: '' }])}>
                {t('rewards.form.addText')}
              </Button>
            </Group>
            {errors.texts ? (
              <Text size="sm" c="red.8" role="alert">
                {errors.texts}
              </Text>
            ) : null}
          </Stack>
        </Fieldset>

        <TagsInput label={t('rewards.form.images')} description={t('rewards.form.imagesHint')} value={values.images} onChange={(v) => set('images', v)} error={under(errors, 'images')} splitChars={[' ', ',']} />

        <Fieldset legend={t('rewards.form.fulfilment')}>
          <Stack gap="xs">
            {values.kind === 'donation' || values.charity ? (
              <TextInput label={t('rewards.form.charity')} description={t('rewards.form.charityHint')} value={values.charity} onChange={(e) => set('charity', e.currentTarget.value)} error={errors.charity} required={values.kind === 'donation'} />
            ) : null}
            <NumberInput label={t('rewards.form.validityDays')} description={t('rewards.form.validityHint')} value={values.validityDays} onChange={(v) => set('validityDays', v)} error={errors.validityDays} min={1} max={3650} allowDecimal={false} />
            <Select
              label={t('rewards.form.partner')}
              description={values.kind === 'partner' ? t('rewards.form.partnerRequired') : t('rewards.form.partnerHint')}
              data={partnerOptions}
              value={values.partnerId || null}
              onChange={(v) => set('partnerId', v ?? '')}
              error={errors.partnerId}
              searchable
              clearable
              nothingFoundMessage={t('rewards.form.noPartners')}
              required={values.kind === 'partner'}
            />
            <Group grow align="flex-start">
              <TextInput
                label={t('rewards.form.partnerCurrency')}
                description={t('rewards.form.partnerCurrencyHint')}
                value={values.partnerCurrency}
                onChange={(e) => set('partnerCurrency', e.currentTarget.value.toUpperCase())}
                error={errors['partnerPrice.currency'] ?? errors.partnerPrice}
                maxLength={3}
              />
              <NumberInput
                label={t('rewards.form.partnerPrice')}
                description={partnerPreview ?? t('rewards.form.minorUnits')}
                value={values.partnerAmount}
                onChange={(v) => set('partnerAmount', v)}
                error={errors['partnerPrice.amount']}
                min={0}
                allowDecimal={false}
              />
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('rewards.form.eligibility')}>
          <Stack gap="xs">
            <TagsInput label={t('rewards.form.tiers')} description={t('rewards.form.everyoneHint')} data={tiers.map((x) => x.code)} value={values.tiers} onChange={(v) => set('tiers', v)} error={under(errors, 'eligibility.tiers')} />
            <TagsInput label={t('rewards.form.roles')} description={t('rewards.form.everyoneHint')} data={(program?.roles ?? []).map((r) => r.code)} value={values.roles} onChange={(v) => set('roles', v)} error={under(errors, 'eligibility.roles')} />
            <TagsInput label={t('rewards.form.accountTypes')} description={t('rewards.form.everyoneHint')} value={values.accountTypes} onChange={(v) => set('accountTypes', v)} error={under(errors, 'eligibility.accountTypes')} />
          </Stack>
        </Fieldset>
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
