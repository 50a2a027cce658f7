import { Badge, Button, Card, Group, NumberInput, SegmentedControl, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, ErrorBar, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { surveyInput, type NpsFigure } from '@contracts/surveys';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import type { SurveyView, TaskView } from '../api/surveys-api';
import { useSurveyMutations, useSurveyResults, useSurveys, useTasks } from '../hooks/use-surveys';

type Values = { name: string; mode: 'relationship' | 'transactional'; question: string; why: string; startsAt: string; everyMonths: number; perRole: number; eventType: string; throttleDays: number };

/** NPS bars with their 95 % interval as error bars: a wide bar reads as "not enough answers yet". */
export function NpsIntervalChart({ rows }: { rows: (NpsFigure & { label: string })[] }) {
  const data = rows.filter((r) => r.nps !== null).map((r) => ({ label: `${r.label} (n=${r.n})`, nps: r.nps!, err: [r.nps! - r.ci95![0], r.ci95![1] - r.nps!] }));
  if (!data.length) return null;
  return (
    <div style={{ width: '100%', height: 240 }} dir="ltr">
      <ResponsiveContainer>
        <ComposedChart data={data} margin={{ top: 10, right: 10, bottom: 10, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis domain={[-100, 100]} fontSize={11} />
          <ReferenceLine y={0} stroke="#888" />
          <Tooltip />
          <Bar dataKey="nps" fill="#1f5fbf" isAnimationActive={false}>
            <ErrorBar dataKey="err" width={6} strokeWidth={1.5} stroke="#b00020" direction="y" />
          </Bar>
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

const figureText = (f: NpsFigure) => (f.nps === null ? '—' : `${f.nps} [${f.ci95![0]}; ${f.ci95![1]}]`);

function Results({ survey }: { survey: SurveyView }) {
  const { t } = useTranslation();
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
      <NpsIntervalChart rows={d.byPeriod.map((p) => ({ ...p, label: p.period }))} />
      <Text size="sm" fw={600}>{t('surveys.byRole')}</Text>
      <NpsIntervalChart rows={Object.entries(d.byRole).map(([label, f]) => ({ ...f, label }))} />
      <Group align="start" grow>
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
        <Stack gap={4}>
          <Text size="sm" fw={600}>{t('surveys.themes')}</Text>
          {d.themes.map((x) => (
            <Text key={x.tag} size="sm">{x.tag}: {x.count}</Text>
          ))}
          {d.suggestedTags.length ? <Text size="xs" c="dimmed">{t('surveys.suggested')}: {d.suggestedTags.map((w) => `${w.word} (${w.count})`).join(', ')}</Text> : null}
        </Stack>
      </Group>
    </Stack>
  );
}

function Tasks() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const [status, setStatus] = useState<string>('open');
  const tasks = useTasks(status || undefined);
  const m = useSurveyMutations();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const write = can('tasks:write');
  const move = (task: TaskView, to: TaskView['status']) => m.task.mutate({ id: task.id, status: to, ...(notes[task.id] ? { note: notes[task.id] } : {}), ...(to === 'resolved' ? { tellRespondent: true } : {}) });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>{t('surveys.tasks')}</Text>
          <Select w={180} value={status} onChange={(v) => setStatus(v ?? '')} data={[{ value: '', label: t('surveys.allTasks') }, ...(['open', 'contacted', 'resolved'] as const).map((s) => ({ value: s, label: t(`surveys.taskStatus.${s}`) }))]} />
        </Group>
        <ErrorAlert error={tasks.error ?? m.task.error} />
        <Table.ScrollContainer minWidth={700}>
          <Table data-testid="survey-tasks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('surveys.account')}</Table.Th>
                <Table.Th>{t('surveys.score')}</Table.Th>
                <Table.Th>{t('surveys.comment')}</Table.Th>
                <Table.Th>{t('surveys.status')}</Table.Th>
                <Table.Th>{t('surveys.note')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(tasks.data ?? []).map((x) => (
                <Table.Tr key={x.id}>
                  <Table.Td className="mono">{x.accountId}</Table.Td>
                  <Table.Td>{x.score ?? '—'}</Table.Td>
                  <Table.Td>{x.comment ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={x.status === 'resolved' ? 'teal' : x.escalatedAt ? 'red' : 'orange'}>{t(`surveys.taskStatus.${x.status}`)}</Badge>
                    {x.escalatedAt ? <Text size="xs" c="red">{t('surveys.escalated', { date: f.date(x.escalatedAt) })}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    {write && x.status !== 'resolved' ? (
                      <Group gap={4} wrap="nowrap">
                        <TextInput size="xs" aria-label={t('surveys.note')} value={notes[x.id] ?? x.note ?? ''} onChange={(e) => setNotes({ ...notes, [x.id]: e.currentTarget.value })} />
                        {x.status === 'open' ? <Button size="xs" variant="default" onClick={() => move(x, 'contacted')}>{t('surveys.contacted')}</Button> : null}
                        <Button size="xs" onClick={() => move(x, 'resolved')} disabled={!(notes[x.id] ?? x.note)}>{t('surveys.resolve')}</Button>
                      </Group>
                    ) : (
                      <Text size="sm">{x.note ?? '—'}</Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {tasks.data && !tasks.data.length ? <Text c="dimmed" size="sm">{t('surveys.noTasks')}</Text> : null}
      </Stack>
    </Card>
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
      <Tasks />
    </Page>
  );
}
