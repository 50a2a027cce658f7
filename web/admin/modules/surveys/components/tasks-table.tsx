import { Badge, Button, Card, Checkbox, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import type { TaskView } from '../api/surveys-api';
import { useSurveyMutations, useTasks } from '../hooks/use-surveys';

/**
 * Follow-up tasks of detractors' answers (all, or one account's): open → contacted → resolved with
 * a note, and, when resolving, optionally telling the respondent the outcome.
 */
export function TasksTable({ accountId }: { accountId?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const [status, setStatus] = useState<string>(accountId ? '' : 'open');
  const tasks = useTasks(status || undefined, accountId);
  const m = useSurveyMutations();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [tell, setTell] = useState<Record<string, boolean>>({});
  const write = can('tasks:write');
  const move = (task: TaskView, to: TaskView['status']) =>
    m.task.mutate({ id: task.id, status: to, ...(notes[task.id] ? { note: notes[task.id] } : {}), ...(to === 'resolved' && tell[task.id] && task.memberId ? { tellRespondent: true } : {}) });
  return (
    <Card withBorder data-testid={accountId ? 'account-tasks' : undefined}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>{t('surveys.tasks')}</Text>
          <Select w={180} aria-label={t('surveys.status')} value={status} onChange={(v) => setStatus(v ?? '')} data={[{ value: '', label: t('surveys.allTasks') }, ...(['open', 'contacted', 'resolved'] as const).map((s) => ({ value: s, label: t(`surveys.taskStatus.${s}`) }))]} />
        </Group>
        <ErrorAlert error={tasks.error ?? m.task.error} />
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="survey-tasks">
            <Table.Thead>
              <Table.Tr>
                {accountId ? null : <Table.Th>{t('surveys.account')}</Table.Th>}
                <Table.Th>{t('surveys.score')}</Table.Th>
                <Table.Th>{t('surveys.comment')}</Table.Th>
                <Table.Th>{t('surveys.status')}</Table.Th>
                <Table.Th>{t('surveys.note')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(tasks.data ?? []).map((x) => (
                <Table.Tr key={x.id}>
                  {accountId ? null : <Table.Td className="mono">{x.accountId}</Table.Td>}
                  <Table.Td>{x.score ?? '—'}</Table.Td>
                  <Table.Td>
                    {x.comment ?? '—'}
                    {x.tags.length ? (
                      <Group gap={4} mt={4}>
                        {x.tags.map((tag) => (
                          <Badge key={tag} size="xs" variant="outline">{tag}</Badge>
                        ))}
                      </Group>
                    ) : null}
                    <Text size="xs" c="dimmed">{f.date(x.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={x.status === 'resolved' ? 'teal' : x.escalatedAt ? 'red' : 'orange'}>{t(`surveys.taskStatus.${x.status}`)}</Badge>
                    {x.escalatedAt ? <Text size="xs" c="red">{t('surveys.escalated', { date: f.date(x.escalatedAt) })}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    {write && x.status !== 'resolved' ? (
                      <Stack gap={4}>
                        <Group gap={4} wrap="nowrap">
                          <TextInput size="xs" aria-label={t('surveys.note')} value={notes[x.id] ?? x.note ?? ''} onChange={(e) => setNotes({ ...notes, [x.id]: e.currentTarget.value })} />
                          {x.status === 'open' ? (
                            <Button size="xs" variant="default" onClick={() => move(x, 'contacted')}>
                              {t('surveys.contacted')}
                            </Button>
                          ) : null}
                          <Button size="xs" onClick={() => move(x, 'resolved')} disabled={!(notes[x.id] ?? x.note)}>
                            {t('surveys.resolve')}
                          </Button>
                        </Group>
                        {x.memberId ? <Checkbox size="xs" label={t('surveys.tellRespondent')} checked={tell[x.id] ?? false} onChange={(e) => setTell({ ...tell, [x.id]: e.currentTarget.checked })} /> : null}
                      </Stack>
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
