import { ActionIcon, Button, Card, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { accumulativeInput } from '@contracts/tiers';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { AccumulativeView } from '../api/tiers-api';
import { useAccumulative, useSaveAccumulative } from '../hooks/use-tiers';
import { useSpend } from '../../program/hooks/use-program';
import { useAmountInput } from '@shared/format/use-amount-input';

type Num = number | string;
/** `minSpend` as typed: money in major units of the program's spend currency (#21). */
type Values = { steps: { minSpend: string; discountPercent: Num }[] };
const num = (v: Num) => (v === '' ? Number.NaN : Number(v));

/** The accumulative discount steps (cumulative spend → discount); an empty table switches it off. */
export function AccumulativeEditor({ canWrite }: { canWrite: boolean }) {
  const data = useAccumulative().data;
  if (!data) return null;
  return <AccumulativeForm initial={data} canWrite={canWrite} />;
}

function AccumulativeForm({ initial, canWrite }: { initial: AccumulativeView; canWrite: boolean }) {
  const { t } = useTranslation();
  const save = useSaveAccumulative();
  const [saved, setSaved] = useState(false);
  const spend = useSpend();
  const amountInput = useAmountInput();
  const minorOf = (text: string) => {
    const r = text.trim() ? amountInput.parse(text, spend.digits, spend.iso) : null;
    return r && 'amount' in r ? r.amount : Number.NaN;
  };
  const toBody = (v: Values) => ({ steps: v.steps.map((s) => ({ minSpend: minorOf(s.minSpend), discountPercent: num(s.discountPercent) })) });
  const form = useContractForm<Values, typeof accumulativeInput>(
    accumulativeInput,
    { steps: initial.steps.map((s) => ({ minSpend: amountInput.toText(s.minSpend, spend.digits), discountPercent: s.discountPercent })) },
    toBody,
  );
  const { values, setValues, errors, setErrors } = form;
  const setStep = (i: number, key: 'minSpend' | 'discountPercent', v: Num | string) => {
    setSaved(false);
    setValues((s) => ({ steps: s.steps.map((x, j) => (j === i ? { ...x, [key]: v } : x)) }));
    setErrors((e) => {
      const { [`steps.${i}.${key}`]: _gone, ...rest } = e;
      return rest;
    });
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const body = form.validate();
    if (!body) return;
    try {
      await save.mutateAsync(body);
      setSaved(true);
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  return (
    <Card withBorder maw={640} mt="md">
      <form onSubmit={submit} noValidate aria-labelledby="accumulative-title">
        <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack gap="sm">
            <Title order={3} size="h4" id="accumulative-title">
              {t('tiers.accumulative.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('tiers.accumulative.hint')}
            </Text>
            {values.steps.map((s, i) => (
              <Group key={i} align="flex-start" wrap="nowrap">
                <TextInput label={t('tiers.accumulative.minSpendMoney', { n: i + 1, currency: spend.iso })} inputMode="decimal" value={s.minSpend} onChange={(e) => setStep(i, 'minSpend', e.currentTarget.value)} error={errors[`steps.${i}.minSpend`]} />
                <NumberInput label={t('tiers.accumulative.discountPercent', { n: i + 1 })} value={s.discountPercent} onChange={(v) => setStep(i, 'discountPercent', v)} error={errors[`steps.${i}.discountPercent`]} min={0} max={100} decimalScale={2} />
                <ActionIcon variant="subtle" color="red" mt={28} aria-label={t('tiers.accumulative.remove', { n: i + 1 })} onClick={() => setValues((v) => ({ steps: v.steps.filter((_, j) => j !== i) }))}>
                  ×
                </ActionIcon>
              </Group>
            ))}
            {errors.steps ? (
              <Text c="red.8" size="sm" role="alert">
                {errors.steps}
              </Text>
            ) : null}
            <ErrorAlert error={save.error} />
            {saved ? (
              <Text c="teal.9" role="status">
                {t('tiers.accumulative.saved')}
              </Text>
            ) : null}
            {canWrite ? (
              <Group>
                <Button variant="default" onClick={() => setValues((v) => ({ steps: [...v.steps, { minSpend: '', discountPercent: '' }] }))}>
                  {t('tiers.accumulative.add')}
                </Button>
                <Button type="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            ) : null}
          </Stack>
        </fieldset>
      </form>
    </Card>
  );
}
