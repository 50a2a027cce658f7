import { Button, Card, Checkbox, Group, NumberInput, Select, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useProgram } from '../../program/hooks/use-program';
import { newEffect, type EffectDraft } from './effect-draft';

const TO = ['split', 'account', 'member'] as const;
const MODES = ['fixed', 'perAmount', 'percent', 'custom'] as const;
const PERIODS = ['event', 'day', 'month', 'quarter', 'year'] as const;
const SCOPES = ['member', 'account'] as const;

type Props = { effects: EffectDraft[]; onChange: (effects: EffectDraft[]) => void; errors: Record<string, string> };

export function EffectsEditor({ effects, onChange, errors }: Props) {
  const { t } = useTranslation();
  const currencies = useProgram().data?.currencies ?? [];
  const update = (i: number, patch: Partial<EffectDraft>) => onChange(effects.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const err = (i: number, field: string) => errors[`effects.${i}.${field}`];

  return (
    <Stack gap="sm">
      <Text fw={500} size="sm">
        {t('rules.effects')}
      </Text>
      {errors.effects ? (
        <Text size="sm" c="red.8" role="alert">
          {errors.effects}
        </Text>
      ) : null}
      {effects.map((e, i) => (
        <Card key={i} withBorder p="sm" data-testid={`effect-${i}`}>
          <Stack gap="xs">
            <Group grow align="flex-start" wrap="wrap">
              <Select
                label={t('rules.currency')}
                data={currencies.map((c) => ({ value: c.code, label: c.name }))}
                value={e.currency}
                onChange={(v) => update(i, { currency: v ?? '' })}
                error={err(i, 'currency')}
                allowDeselect={false}
              />
              <Select
                label={t('rules.awardTo')}
                data={TO.map((x) => ({ value: x, label: t(`rules.to.${x}`) }))}
                value={e.to}
                onChange={(v) => update(i, { to: TO.find((x) => x === v) ?? 'split' })}
                error={err(i, 'to')}
                allowDeselect={false}
              />
              <Select
                label={t('rules.amountMode')}
                data={MODES.map((x) => ({ value: x, label: t(`rules.modes.${x}`) }))}
                value={e.mode}
                onChange={(v) => update(i, { mode: MODES.find((x) => x === v) ?? 'fixed' })}
                allowDeselect={false}
              />
            </Group>
            {e.mode === 'fixed' ? (
              <NumberInput label={t('rules.fixedAmount')} value={e.fixed} onChange={(v) => update(i, { fixed: v })} error={err(i, 'amount')} allowDecimal={false} />
            ) : e.mode === 'perAmount' ? (
              <NumberInput label={t('rules.divisor')} description={t('rules.divisorHint')} value={e.divisor} onChange={(v) => update(i, { divisor: v })} error={err(i, 'amount')} min={1} />
            ) : e.mode === 'percent' ? (
              <NumberInput label={t('rules.percent')} description={t('rules.percentHint')} value={e.percent} onChange={(v) => update(i, { percent: v })} error={err(i, 'amount')} min={0} decimalScale={4} />
            ) : (
              <Textarea label={t('rules.customAmount')} className="mono" autosize minRows={2} value={e.custom} onChange={(ev) => update(i, { custom: ev.currentTarget.value })} error={err(i, 'amount')} />
            )}
            <Group align="flex-end" wrap="wrap">
              <NumberInput label={t('rules.availableAfterDays')} value={e.availableAfterDays} onChange={(v) => update(i, { availableAfterDays: v })} error={err(i, 'availableAfterDays')} min={0} max={3650} allowDecimal={false} w={200} />
              <Checkbox label={t('rules.cap')} checked={e.capOn} onChange={(ev) => update(i, { capOn: ev.currentTarget.checked })} mb={8} />
              {e.capOn ? (
                <>
                  <NumberInput label={t('rules.capMax')} value={e.capMax} onChange={(v) => update(i, { capMax: v })} error={err(i, 'cap.max') ?? err(i, 'cap')} min={1} allowDecimal={false} w={140} />
                  <Select label={t('rules.capPer')} data={PERIODS.map((x) => ({ value: x, label: t(`rules.periods.${x}`) }))} value={e.capPer} onChange={(v) => update(i, { capPer: PERIODS.find((x) => x === v) ?? 'month' })} allowDeselect={false} w={140} />
                  <Select label={t('rules.capScope')} data={SCOPES.map((x) => ({ value: x, label: t(`rules.to.${x}`) }))} value={e.capScope} onChange={(v) => update(i, { capScope: SCOPES.find((x) => x === v) ?? 'member' })} allowDeselect={false} w={160} />
                </>
              ) : null}
            </Group>
            {effects.length > 1 ? (
              <Group justify="flex-end">
                <Button size="xs" variant="subtle" color="red.8" onClick={() => onChange(effects.filter((_, j) => j !== i))}>
                  {t('rules.removeEffect')}
                </Button>
              </Group>
            ) : null}
          </Stack>
        </Card>
      ))}
      <Button variant="default" onClick={() => onChange([...effects, newEffect(currencies[0]?.code ?? 'points')])} w="fit-content" disabled={effects.length >= 20}>
        {t('rules.addEffect')}
      </Button>
    </Stack>
  );
}
