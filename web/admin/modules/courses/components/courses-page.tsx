import { Badge, Button, Card, Checkbox, Group, NumberInput, SegmentedControl, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { createCourse, fetchCourseReport, fetchCourses, setCourseStatus, uploadCourseFile, type CourseInputRaw, type CourseView } from '../api/courses-api';

type Lesson = { id: string; title: string; body: string; videoUrl: string; imageFileIds: string[]; attachmentFileIds: string[] };
type Question = { id: string; text: string; options: string; correct: number[] };
/** A role that must complete the course by a day (the date input's `YYYY-MM-DD`, due at the end of that day UTC). */
type Required = { role: string; dueDate: string };

const blankLesson = (n: number): Lesson => ({ id: `lesson-${n}`, title: '', body: '', videoUrl: '', imageFileIds: [], attachmentFileIds: [] });
const blankQuestion = (n: number): Question => ({ id: `q${n}`, text: '', options: '', correct: [] });

/** The course builder: lessons (markdown, video link, images and PDFs), then the quiz with the right answers ticked. */
function CourseBuilder({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [lessons, setLessons] = useState<Lesson[]>([blankLesson(1)]);
  const [questions, setQuestions] = useState<Question[]>([blankQuestion(1)]);
  const [passPercent, setPass] = useState<number>(80);
  const [attempts, setAttempts] = useState<number | ''>(3);
  const [roles, setRoles] = useState('');
  const [accountTypes, setAccountTypes] = useState('');
  const [tiers, setTiers] = useState('');
  const [required, setRequired] = useState<Required[]>([]);
  const [error, setError] = useState<unknown>(null);
  const create = useMutation({ mutationFn: createCourse, onSuccess: () => { qc.invalidateQueries({ queryKey: ['courses'] }); onDone(); }, onError: setError });
  const setLesson = (i: number, patch: Partial<Lesson>) => setLessons((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const setQuestion = (i: number, patch: Partial<Question>) => setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  async function attach(i: number, file: File | undefined) {
    if (!file) return;
    try {
      const f = await uploadCourseFile(file);
      const l = lessons[i];
      setLesson(i, f.contentType === 'application/pdf' ? { attachmentFileIds: [...l.attachmentFileIds, f.fileId] } : { imageFileIds: [...l.imageFileIds, f.fileId] });
    } catch (e) {
      setError(e);
    }
  }
  function submit() {
    setError(null);
    const list = (v: string) => v.split(',').map((r) => r.trim()).filter(Boolean);
    const audience = { ...(list(roles).length ? { roles: list(roles) } : {}), ...(list(accountTypes).length ? { accountTypes: list(accountTypes) } : {}), ...(list(tiers).length ? { tiers: list(tiers) } : {}) };
    const requiredFor = required.filter((r) => r.role.trim()).map((r) => ({ role: r.role.trim(), dueAt: r.dueDate ? `${r.dueDate}T23:59:59Z` : '' }));
    const body: CourseInputRaw = {
      title,
      description,
      lessons: lessons.map((l) => ({ id: l.id, title: l.title, body: l.body, imageFileIds: l.imageFileIds, attachmentFileIds: l.attachmentFileIds, ...(l.videoUrl ? { videoUrl: l.videoUrl } : {}) })),
      quiz: { questions: questions.map((q) => ({ id: q.id, text: q.text, options: q.options.split('\n').map((o) => o.trim()).filter(Boolean), correct: q.correct })), passPercent, ...(attempts ? { attemptsAllowed: attempts } : {}) },
      ...(Object.keys(audience).length ? { audience } : {}),
      ...(requiredFor.length ? { requiredFor } : {}),
    };
    create.mutate(body);
  }
  return (
    <Card withBorder>
      <Stack>
        <TextInput label={t('courses.name')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required data-testid="course-title" />
        <Textarea label={t('courses.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
        <TextInput label={t('courses.roles')} description={t('courses.rolesHelp')} value={roles} onChange={(e) => setRoles(e.currentTarget.value)} />
        <Group grow>
          <TextInput label={t('courses.accountTypes')} description={t('courses.listHelp')} value={accountTypes} onChange={(e) => setAccountTypes(e.currentTarget.value)} />
          <TextInput label={t('courses.tiers')} description={t('courses.listHelp')} value={tiers} onChange={(e) => setTiers(e.currentTarget.value)} />
        </Group>
        <Text fw={600}>{t('courses.required')}</Text>
        {required.map((r, i) => (
          <Group key={i} align="end">
            <TextInput label={t('courses.requiredRole')} value={r.role} onChange={(e) => { const v = e.currentTarget.value; setRequired((rs) => rs.map((x, j) => (j === i ? { ...x, role: v } : x))); }} data-testid={`course-required-role-${i}`} />
            <TextInput type="date" label={t('courses.dueDate')} value={r.dueDate} onChange={(e) => { const v = e.currentTarget.value; setRequired((rs) => rs.map((x, j) => (j === i ? { ...x, dueDate: v } : x))); }} data-testid={`course-required-due-${i}`} />
            <Button variant="subtle" color="red" onClick={() => setRequired((rs) => rs.filter((_, j) => j !== i))}>{t('courses.remove')}</Button>
          </Group>
        ))}
        <Button variant="light" onClick={() => setRequired((rs) => [...rs, { role: '', dueDate: '' }])}>{t('courses.addRequired')}</Button>
        <Text fw={600}>{t('courses.lessons')}</Text>
        {lessons.map((l, i) => (
          <Card key={i} withBorder padding="sm">
            <Stack gap="xs">
              <TextInput label={t('courses.lessonTitle', { n: i + 1 })} value={l.title} onChange={(e) => setLesson(i, { title: e.currentTarget.value })} />
              <Textarea label={t('courses.body')} description={t('courses.bodyHelp')} value={l.body} onChange={(e) => setLesson(i, { body: e.currentTarget.value })} autosize minRows={3} />
              <TextInput label={t('courses.video')} placeholder="https://www.youtube.com/watch?v=…" value={l.videoUrl} onChange={(e) => setLesson(i, { videoUrl: e.currentTarget.value })} />
              <Group>
                <input type="file" accept="image/*,application/pdf" aria-label={t('courses.addFile')} onChange={(e) => attach(i, e.currentTarget.files?.[0])} />
                <Text size="xs" c="dimmed">{t('courses.files', { images: l.imageFileIds.length, pdfs: l.attachmentFileIds.length })}</Text>
              </Group>
            </Stack>
          </Card>
        ))}
        <Button variant="light" onClick={() => setLessons((ls) => [...ls, blankLesson(ls.length + 1)])}>{t('courses.addLesson')}</Button>
        <Text fw={600}>{t('courses.quiz')}</Text>
        {questions.map((q, i) => {
          const options = q.options.split('\n').map((o) => o.trim()).filter(Boolean);
          return (
            <Card key={i} withBorder padding="sm">
              <Stack gap="xs">
                <TextInput label={t('courses.question', { n: i + 1 })} value={q.text} onChange={(e) => setQuestion(i, { text: e.currentTarget.value })} />
                <Textarea label={t('courses.options')} description={t('courses.optionsHelp')} value={q.options} onChange={(e) => setQuestion(i, { options: e.currentTarget.value, correct: [] })} autosize minRows={2} />
                <Group>
                  {options.map((o, k) => (
                    <Checkbox key={k} label={o} checked={q.correct.includes(k)} onChange={(e) => setQuestion(i, { correct: e.currentTarget.checked ? [...q.correct, k] : q.correct.filter((x) => x !== k) })} />
                  ))}
                </Group>
              </Stack>
            </Card>
          );
        })}
        <Button variant="light" onClick={() => setQuestions((qs) => [...qs, blankQuestion(qs.length + 1)])}>{t('courses.addQuestion')}</Button>
        <Group>
          <NumberInput label={t('courses.passPercent')} min={1} max={100} value={passPercent} onChange={(v) => setPass(Number(v) || 0)} />
          <NumberInput label={t('courses.attempts')} description={t('courses.attemptsHelp')} min={1} max={100} value={attempts} onChange={(v) => setAttempts(v === '' ? '' : Number(v))} />
        </Group>
        {error ? <ErrorAlert error={error} /> : null}
        <Group>
          <Button onClick={submit} loading={create.isPending}>{t('courses.create')}</Button>
          <Button variant="subtle" onClick={onDone}>{t('common.cancel', { defaultValue: 'Cancel' })}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Completion by account or by role: eligible, started, completed, overdue. */
function Report({ course }: { course: CourseView }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<'account' | 'role'>('account');
  const report = useQuery({ queryKey: ['course-report', course.id, by], queryFn: () => fetchCourseReport(course.id, by) });
  return (
    <Stack gap="xs">
      <SegmentedControl value={by} onChange={(v) => setBy(v as 'account' | 'role')} data={[{ value: 'account', label: t('courses.byAccount') }, { value: 'role', label: t('courses.byRole') }]} />
      {report.error ? <ErrorAlert error={report.error} /> : null}
      <Table.ScrollContainer minWidth={500}>
        <Table data-testid="course-report">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{by === 'account' ? t('courses.account') : t('courses.role')}</Table.Th>
              <Table.Th>{t('courses.eligible')}</Table.Th>
              <Table.Th>{t('courses.started')}</Table.Th>
              <Table.Th>{t('courses.completedCol')}</Table.Th>
              <Table.Th>{t('courses.overdue')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(report.data?.rows ?? []).map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.eligible}</Table.Td>
                <Table.Td>{r.started}</Table.Td>
                <Table.Td>{r.completed}</Table.Td>
                <Table.Td>{r.overdue ? <Badge color="red">{r.overdue}</Badge> : 0}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function CoursesPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const courses = useQuery({ queryKey: ['courses'], queryFn: fetchCourses });
  const [building, setBuilding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const status = useMutation({ mutationFn: ({ id, s }: { id: string; s: CourseView['status'] }) => setCourseStatus(id, s), onSuccess: () => qc.invalidateQueries({ queryKey: ['courses'] }) });
  return (
    <Page title={t('courses.title')} actions={!building ? <Button onClick={() => setBuilding(true)}>{t('courses.new')}</Button> : null}>
      {building ? <CourseBuilder onDone={() => setBuilding(false)} /> : null}
      {courses.error ? <ErrorAlert error={courses.error} /> : null}
      {(courses.data ?? []).map((c) => (
        <Card key={c.id} withBorder data-testid={`course-${c.id}`}>
          <Group justify="space-between">
            <div>
              <Text fw={600}>{c.title}</Text>
              <Text size="sm" c="dimmed">
                {t('courses.summary', { lessons: c.lessons.length, questions: c.quiz.questions.length, pass: c.quiz.passPercent, completions: c.completions })}
              </Text>
              {c.requiredFor.length ? (
                <Text size="sm" data-testid={`course-required-${c.id}`}>
                  {c.requiredFor.map((r) => t('courses.requiredBy', { role: r.role, date: f.date(r.dueAt) })).join(' · ')}
                </Text>
              ) : null}
            </div>
            <Group>
              <Badge variant="light">{t(`courses.status.${c.status}`)}</Badge>
              {c.status !== 'published' ? <Button size="xs" variant="light" onClick={() => status.mutate({ id: c.id, s: 'published' })}>{t('courses.publish')}</Button> : <Button size="xs" variant="subtle" onClick={() => status.mutate({ id: c.id, s: 'archived' })}>{t('courses.archive')}</Button>}
              <Button size="xs" variant="subtle" onClick={() => setOpen(open === c.id ? null : c.id)}>{t('courses.report')}</Button>
            </Group>
          </Group>
          {open === c.id ? <Report course={c} /> : null}
        </Card>
      ))}
      {courses.data && !courses.data.length && !building ? <Text c="dimmed">{t('courses.none')}</Text> : null}
    </Page>
  );
}
