import { Badge, Button, Card, Group, NumberInput, SegmentedControl, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { surveyInput, type NpsFigure } from '@contracts/surveys';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { SurveyView } from '../api/surveys-api';
import { useSurveyMutations, useSurveyResults, useSurveys } from '../hooks/use-surveys';
import { NpsIntervalChart } from './nps-interval-chart';
import { TasksTable } from './tasks-table';
import { ThemesPanel } from './themes-panel';

export { NpsIntervalChart };

type Values = { name: string; mode: 'relationship' | 'transactional'; question: string; why: string; startsAt: string; everyMonths: number; perRole: number; eventType: string; throttleDays: number };

const figureText = (f: NpsFigure) => (f.nps === null ? '—' : `${f.nps} [${f.ci95![0]}; ${f.ci95![1]}]`);

function Results({ survey }: { survey: SurveyView }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [by, setBy] = useState<'quarter' | 'month'>('quarter');
  const r = useSurveyResults(survey.id, by);
  if (r.error) return <ErrorAlert error={r.error} />;
  const d = r.data;
  if (!d) return null;
  return (
    <Stack gap="xs" data-testid="survey-results">
      <Group gap="lg">
        <Text fw={700} size="xl" data-testid="survey-nps">NPS {d.nps ?? '—'}</Text>
        <Text size="sm">{t('surveys.interval')}: {d.ci95 ? `${d.ci95[0]} … ${d.ci95[1]}` : '—'}</Text>
        <Text size="sm">n = {d.n}</Text>
        <Text size="sm" c="dimmed">{t('surveys.split', { p: d.promoters, pa: d.passives, d: d.detractors })}</Text>
      </Group>
      <SegmentedControl size="xs" w="fit-content" value={by} onChange={(v) => setBy(v as 'quarter' | 'month')} data={[{ value: 'quarter', label: t('surveys.byQuarter') }, { value: 'month', label: t('surveys.byMonth') }]} />
      <Text size="sm" fw={600}>{t('surveys.overTime')}</Text>
      <NpsIntervalChart rows={d.byPeriod.map((p) => ({ ...p, label: p.period }))} label={t('surveys.overTime')} testId="nps-over-time" />
      <Text size="sm" fw={600}>{t('surveys.byRole')}</Text>
      <NpsIntervalChart rows={Object.entries(d.byRole).map(([label, f]) => ({ ...f, label }))} label={t('surveys.byRole')} testId="nps-by-role" />
      <Text size="sm" fw={600}>{t('surveys.bySegment')}</Text>
      <NpsIntervalChart rows={Object.entries(d.bySegment).map(([label, f]) => ({ ...f, label }))} label={t('surveys.bySegment')} testId="nps-by-segment" />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('surveys.segment')}</Table.Th>
            <Table.Th>NPS [95 %]</Table.Th>
            <Table.Th>n</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Object.entries(d.bySegment).map(([k, f]) => (
            <Table.Tr key={k}>
              <Table.Td>{k}</Table.Td>
              <Table.Td>{figureText(f)}</Table.Td>
              <Table.Td>{f.n}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ThemesPanel surveyId={survey.id} results={d} canTag={can('surveys:write')} />
    </Stack>
  );
}

export function SurveysPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const surveys = useSurveys();
  const m = useSurveyMutations();
  const [open, setOpen] = useState<string | null>(null);
  const initial: Values = { name: '', mode: 'relationship', question: '', why: '', startsAt: '', everyMonths: 3, perRole: 3, eventType: '', throttleDays: 90 };
  const toBody = (v: Values) => ({
    name: v.name.trim(),
    kind: 'nps',
    mode: v.mode,
    questions: [{ id: 'recommend', type: 'nps', text: { en: v.question.trim() } }, ...(v.why.trim() ? [{ id: 'why', type: 'text', text: { en: v.why.trim() } }] : [])],
    throttleDays: v.throttleDays,
    ...(v.mode === 'relationship' ? { sampling: { perAccountPerRole: v.perRole }, ...(v.startsAt ? { schedule: { startsAt: new Date(v.startsAt).toISOString(), everyMonths: v.everyMonths } } : {}) } : { trigger: { eventType: v.eventType.trim() } }),
  });
  const form = useContractForm<Values, typeof surveyInput>(surveyInput, initial, toBody);
  const { values, set } = form;
  const write = can('surveys:write');

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
    <Page title={t('surveys.title')}>
      <Text size="sm" c="dimmed">{t('surveys.intro')}</Text>
      {write ? (
        <Card withBorder maw={820}>
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <TextInput label={t('surveys.name')} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={form.errors.name} required />
              <SegmentedControl w="fit-content" value={values.mode} onChange={(v) => set('mode', v as Values['mode'])} data={[{ value: 'relationship', label: t('surveys.relationship') }, { value: 'transactional', label: t('surveys.transactional') }]} />
              <Textarea label={t('surveys.question')} placeholder={t('surveys.questionPlaceholder')} value={values.question} onChange={(e) => set('question', e.currentTarget.value)} error={form.errors['questions.0.text'] ?? form.errors.questions} required />
              <TextInput label={t('surveys.why')} placeholder={t('surveys.whyPlaceholder')} value={values.why} onChange={(e) => set('why', e.currentTarget.value)} />
              {values.mode === 'relationship' ? (
                <Group grow>
                  <TextInput type="datetime-local" label={t('surveys.startsAt')} value={values.startsAt} onChange={(e) => set('startsAt', e.currentTarget.value)} error={form.errors['schedule.startsAt']} />
                  <NumberInput label={t('surveys.everyMonths')} min={1} max={24} value={values.everyMonths} onChange={(v) => set('everyMonths', Number(v) || 1)} />
                  <NumberInput label={t('surveys.perRole')} min={1} max={100} value={values.perRole} onChange={(v) => set('perRole', Number(v) || 1)} />
                </Group>
              ) : (
                <TextInput label={t('surveys.eventType')} placeholder="purchase" value={values.eventType} onChange={(e) => set('eventType', e.currentTarget.value)} error={form.errors['trigger.eventType'] ?? form.errors.trigger} />
              )}
              <NumberInput label={t('surveys.throttleDays')} min={0} max={730} value={values.throttleDays} onChange={(v) => set('throttleDays', Number(v) || 0)} w={200} />
              <ErrorAlert error={m.create.error} />
              <Button type="submit" loading={m.create.isPending} w="fit-content">{t('surveys.create')}</Button>
            </Stack>
          </form>
        </Card>
      ) : null}
      <ErrorAlert error={surveys.error} />
      <Stack gap="sm">
        {(surveys.data ?? []).map((s) => (
          <Card key={s.id} withBorder>
            <Stack gap="xs">
              <Group justify="space-between">
                <div>
                  <Text fw={600}>{s.name}</Text>
                  <Text size="sm" c="dimmed">
                    {t(`surveys.${s.mode}`)} · {t('surveys.questions', { count: s.questions.length })}
                    {s.nextRunAt ? ` · ${t('surveys.nextWave', { date: new Date(s.nextRunAt).toLocaleDateString() })}` : ''}
                    {s.trigger ? ` · ${s.trigger.eventType}` : ''}
                  </Text>
                </div>
                <Group gap="xs">
                  <Badge variant="light" color={s.status === 'active' ? 'teal' : 'gray'}>{t(`surveys.statuses.${s.status}`)}</Badge>
                  <Button size="xs" variant="default" onClick={() => setOpen(open === s.id ? null : s.id)}>{t('surveys.results')}</Button>
                  {write && s.status === 'active' ? <Button size="xs" variant="subtle" color="red" onClick={() => m.close.mutate(s.id)}>{t('surveys.close')}</Button> : null}
                </Group>
              </Group>
              {open === s.id ? <Results survey={s} /> : null}
            </Stack>
          </Card>
        ))}
        {surveys.data && !surveys.data.length ? <Text c="dimmed">{t('surveys.none')}</Text> : null}
      </Stack>
      <TasksTable />
    </Page>
  );
}
