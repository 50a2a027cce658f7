import { Button, Card, Checkbox, Group, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLLOUT_STEPS, type PlanPut, type PlanView } from '@contracts/reports';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useSavePlan } from '../hooks/use-analytics';

const TARGETS = ['participationBp', 'reachBp', 'redemptionRateBp', 'upliftBp'] as const;

/**
 * Program analytics (#18): the rollout checklist (research → … → monitoring) and the KPI targets
 * set at the concept stage, in percent on screen and basis points on the wire.
 */
export function PlanCard({ plan }: { plan: PlanView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const save = useSavePlan();
  const [targets, setTargets] = useState<PlanPut['targets']>(plan.targets);
  const [done, setDone] = useState<PlanPut['done']>(plan.checklist.filter((c) => c.doneAt).map((c) => c.step));
  useEffect(() => {
    setTargets(plan.targets);
    setDone(plan.checklist.filter((c) => c.doneAt).map((c) => c.step));
  }, [plan]);
  const editable = can('program:write');
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('analytics.planTitle')}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap={4} data-testid="rollout-checklist">
          {ROLLOUT_STEPS.map((step) => {
            const stamp = plan.checklist.find((c) => c.step === step)?.doneAt;
            return (
              <Checkbox
                key={step}
                disabled={!editable}
                checked={done.includes(step)}
                onChange={(e) => setDone(e.currentTarget.checked ? [...done, step] : done.filter((s) => s !== step))}
                label={`${t(`analytics.step.${step}`)}${stamp ? ` · ${f.date(stamp)}` : ''}`}
              />
            );
          })}
        </Stack>
        <Stack gap="xs">
          {TARGETS.map((k) => (
            <NumberInput
              key={k}
              disabled={!editable}
              label={t(`analytics.target.${k}`)}
              suffix=" %"
              decimalScale={2}
              value={targets[k] === undefined ? '' : targets[k]! / 100}
              onChange={(v) => setTargets({ ...targets, [k]: v === '' ? undefined : Math.round(Number(v) * 100) })}
            />
          ))}
        </Stack>
      </SimpleGrid>
      <ErrorAlert error={save.error} />
      {editable ? (
        <Group mt="sm">
          <Button loading={save.isPending} onClick={() => save.mutate({ targets: Object.fromEntries(Object.entries(targets).filter(([, v]) => v !== undefined)), done })}>{t('analytics.savePlan')}</Button>
        </Group>
      ) : null}
    </Card>
  );
}
