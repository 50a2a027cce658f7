import { ActionIcon, Button, Center, Fieldset, Group, Loader, NumberInput, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rewardInput, rewardKind, rewardPatch, type RewardKind } from '@contracts/rewards';
import { moneyDigits, type CurrencyInfo } from '@shared/format/format';
import { useAmountInput } from '@shared/format/use-amount-input';
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
  /** The field's text: major units for a money currency ("12,50"), a whole number otherwise. */
  amount: string;
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
  /** Major units of `partnerCurrency`, as typed. */
  partnerAmount: string;
  validityDays: Num;
  tiers: string[];
  roles: string[];
  accountTypes: string[];
  /** What the member is asked when redeeming (#21). */
  questions: QuestionRow[];
};
type QuestionRow = { key: string; kind: 'address' | 'choice' | 'text'; label: string; options: string[]; required: boolean };
const toQuestions = (rows: QuestionRow[]) =>
  rows.map((q) => ({ key: q.key.trim(), kind: q.kind, label: q.label.trim(), ...(q.kind === 'choice' ? { options: q.options } : {}), ...(q.required ? { required: true } : {}) }));

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


/** Minor digits of a partner price's ISO code; what Intl does not know yet (half typed) counts as 2. */
const isoDigits = (iso: string) => moneyDigits({ code: iso, kind: 'money', moneyCurrency: iso }) ?? 2;

/** Amount fields in the form's terms: text, and the integers the API takes (null when the text is not one). */
type Amounts = {
  toText: (amount: number | null | undefined, digits: number | null) => string;
  parse: (text: string, digits: number | null, currency: string) => { amount: number } | { message: string };
  digitsOf: (code: string) => number | null;
};

const fromReward = (r: RewardView | null, a: Amounts): Values =>
  r
    ? {
        name: r.name,
        description: r.description ?? '',
        kind: r.kind,
        category: r.category ?? '',
        currency: r.cost.currency,
        amount: a.toText(r.cost.amount, a.digitsOf(r.cost.currency)),
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
        partnerAmount: r.partnerPrice ? a.toText(r.partnerPrice.amount, isoDigits(r.partnerPrice.currency)) : '',
        validityDays: r.validityDays ?? '',
        tiers: r.eligibility.tiers ?? [],
        roles: r.eligibility.roles ?? [],
        accountTypes: r.eligibility.accountTypes ?? [],
        questions: (r.questions ?? []).map((q) => ({ key: q.key, kind: q.kind, label: q.label, options: q.options ?? [], required: q.required ?? false })),
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
        questions: [],
      };

const texts = (rows: TextRow[]) =>
  Object.fromEntries(rows.filter((r) => r.locale.trim() || r.name.trim()).map((r) => [r.locale.trim(), { name: r.name, ...(r.description.trim() ? { description: r.description } : {}) }]));

// Text that is not an amount goes as NaN: the contract refuses it at the same path, and submit puts the field's own message there.
const costAmount = (v: Values, a: Amounts) => {
  const p = a.parse(v.amount, a.digitsOf(v.currency), v.currency);
  return 'amount' in p ? p.amount : Number.NaN;
};
const partnerAmount = (v: Values, a: Amounts) => {
  const iso = v.partnerCurrency.trim().toUpperCase();
  const p = a.parse(v.partnerAmount, isoDigits(iso), iso);
  return 'amount' in p ? p.amount : Number.NaN;
};

const common = (v: Values, a: Amounts) => ({
  name: v.name,
  cost: { currency: v.currency, amount: costAmount(v, a) },
  autoApprove: v.autoApprove,
  active: v.active,
  texts: texts(v.texts),
  images: v.images,
  eligibility: { tiers: v.tiers, roles: v.roles, accountTypes: v.accountTypes },
  questions: toQuestions(v.questions),
});

// Empty partner fields mean "no partner price"; half of one is sent, so the contract names the missing half.
const partnerPrice = (v: Values, a: Amounts) =>
  v.partnerCurrency.trim() === '' && v.partnerAmount.trim() === '' ? null : { currency: v.partnerCurrency.trim().toUpperCase(), amount: v.partnerAmount.trim() === '' ? Number.NaN : partnerAmount(v, a) };

// A new reward leaves out what is empty; a change clears it with null (unlimited stock, no category, no window).
const toInput = (v: Values, a: Amounts) => {
  const price = partnerPrice(v, a);
  return {
    ...common(v, a),
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
const toPatch = (v: Values, a: Amounts) => ({
  ...common(v, a),
  description: v.description.trim() || null,
  category: v.category.trim() || null,
  stock: v.stock === '' ? null : Number(v.stock),
  activeFrom: v.activeFrom ? fromLocalInput(v.activeFrom) : null,
  activeTo: v.activeTo ? fromLocalInput(v.activeTo) : null,
  charity: v.charity.trim() || null,
  partnerId: v.partnerId || null,
  partnerPrice: partnerPrice(v, a),
  validityDays: v.validityDays === '' ? null : Number(v.validityDays),
});

/** The first error at `path` or under it (`eligibility.tiers.0`). */
const under = (errors: Record<string, string>, path: string) => errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];

/**
 * Creates a reward (`reward` null) or edits one, validated with the API's `rewardInput` /
 * `rewardPatch`: every field the API takes, with the server's field errors next to each.
 */
export function RewardForm({ reward, onDone }: { reward: RewardView | null; onDone: () => void }) {
  // An existing cost shows in major units only once the currency's kind is known.
  const program = useProgram();
  if (!program.data && program.isPending)
    return (
      <Center p="md">
        <Loader size="sm" />
      </Center>
    );
  return <RewardFormFields reward={reward} onDone={onDone} />;
}

function RewardFormFields({ reward, onDone }: { reward: RewardView | null; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const program = useProgram().data;
  const amountInput = useAmountInput();
  const currencyOf = (code: string): CurrencyInfo | undefined => program?.currencies.find((c) => c.code === code);
  const amounts: Amounts = { ...amountInput, digitsOf: (code) => moneyDigits(currencyOf(code)) };
  const tiers = useTiers().data ?? [];
  const partners = usePartners().data ?? [];
  const save = useSaveReward(reward?.id ?? null);
  const form = useContractForm<Values, typeof rewardInput | typeof rewardPatch>(reward ? rewardPatch : rewardInput, fromReward(reward, amounts), (v) => (reward ? toPatch : toInput)(v, amounts));
  const { values, set, errors } = form;

  // Texts are keyed by language: a language twice would silently keep only the last row.
  const locales = values.texts.map((r) => r.locale.trim()).filter(Boolean);
  const twice = new Set(locales.filter((l, i) => locales.indexOf(l) !== i));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (twice.size) return;
    const body = form.validate();
    // The amount fields' own messages (too many decimals, not a number) rather than the contract's "expected number".
    const own: Record<string, string> = {};
    const cost = amounts.parse(values.amount, amounts.digitsOf(values.currency), currencyOf(values.currency)?.moneyCurrency ?? values.currency);
    if ('message' in cost) own['cost.amount'] = cost.message;
    const iso = values.partnerCurrency.trim().toUpperCase();
    if (values.partnerAmount.trim()) {
      const price = amounts.parse(values.partnerAmount, isoDigits(iso), iso);
      if ('message' in price) own['partnerPrice.amount'] = price.message;
    }
    if (Object.keys(own).length) form.setErrors((e) => ({ ...e, ...own }));
    if (!body || Object.keys(own).length) return;
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
  // Under a money field: the typed value as money once it reads, else what to type.
  const costCurrency = currencyOf(values.currency);
  const costDigits = moneyDigits(costCurrency);
  const typedCost = values.amount.trim() ? amounts.parse(values.amount, costDigits, values.currency) : null;
  const costHint = costDigits === null ? undefined : typedCost && 'amount' in typedCost ? f.amount(typedCost.amount, costCurrency) : amountInput.hint(costDigits, costCurrency?.moneyCurrency ?? values.currency);
  const partnerIso = /^[A-Z]{3}$/.test(values.partnerCurrency) ? values.partnerCurrency : null;
  const typedPrice = partnerIso && values.partnerAmount.trim() ? amounts.parse(values.partnerAmount, isoDigits(partnerIso), partnerIso) : null;
  const partnerHint =
    typedPrice && 'amount' in typedPrice && partnerIso
      ? f.amount(typedPrice.amount, { code: partnerIso, kind: 'money', moneyCurrency: partnerIso })
      : amountInput.hint(partnerIso ? isoDigits(partnerIso) : 2, partnerIso ?? 'EUR');
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
          <TextInput
            label={t('rewards.cost')}
            description={costHint}
            value={values.amount}
            onChange={(e) => set('amount', e.currentTarget.value)}
            error={errors['cost.amount'] ?? errors.cost}
            inputMode={costDigits === null ? 'numeric' : 'decimal'}
            autoComplete="off"
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
              <TextInput
                label={t('rewards.form.partnerPrice')}
                description={partnerHint}
                value={values.partnerAmount}
                onChange={(e) => set('partnerAmount', e.currentTarget.value)}
                error={errors['partnerPrice.amount']}
                inputMode="decimal"
                autoComplete="off"
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
        <Fieldset legend={t('rewards.form.questions')}>
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {t('rewards.form.questionsHint')}
            </Text>
            {values.questions.map((q, i) => {
              const put = (patch: Partial<QuestionRow>) => set('questions', values.questions.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <Group key={i} align="flex-start" wrap="wrap" gap="xs" data-testid="reward-question">
                  <Select
                    label={t('rewards.form.questionKind')}
                    data={(['address', 'choice', 'text'] as const).map((k) => ({ value: k, label: t(`rewards.form.questionKinds.${k}`) }))}
                    value={q.kind}
                    onChange={(v) => put({ kind: v === 'address' || v === 'choice' ? v : 'text' })}
                    allowDeselect={false}
                    w={170}
                  />
                  <TextInput label={t('rewards.form.questionKey')} value={q.key} onChange={(e) => put({ key: e.currentTarget.value })} error={errors[`questions.${i}.key`]} w={140} />
                  <TextInput label={t('rewards.form.questionLabel')} value={q.label} onChange={(e) => put({ label: e.currentTarget.value })} error={errors[`questions.${i}.label`]} w={220} />
                  {q.kind === 'choice' ? <TagsInput label={t('rewards.form.questionOptions')} value={q.options} onChange={(v) => put({ options: v })} error={under(errors, `questions.${i}.options`)} w={220} /> : null}
                  <Switch label={t('rewards.form.questionRequired')} checked={q.required} onChange={(e) => put({ required: e.currentTarget.checked })} mt={30} />
                  <Button variant="subtle" color="red" mt={24} onClick={() => set('questions', values.questions.filter((_, j) => j !== i))}>
                    {t('rewards.form.questionRemove')}
                  </Button>
                </Group>
              );
            })}
            {errors.questions ? (
              <Text size="sm" c="red.8">
                {errors.questions}
              </Text>
            ) : null}
            <Group>
              <Button variant="default" size="xs" onClick={() => set('questions', [...values.questions, { key: values.questions.some((x) => x.kind === 'address') ? `q${values.questions.length + 1}` : 'address', kind: values.questions.some((x) => x.kind === 'address') ? 'text' : 'address', label: '', options: [], required: true }])}>
                {t('rewards.form.questionAdd')}
              </Button>
            </Group>
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
