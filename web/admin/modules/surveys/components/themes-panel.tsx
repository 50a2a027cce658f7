import { Badge, Group, Stack, Table, TagsInput, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SurveyResults } from '../api/surveys-api';
import { useSurveyMutations, useSurveyResponses } from '../hooks/use-surveys';

/** Themes of open-text answers: each answer tagged by hand (suggested words offered), the tags counted. */
export function ThemesPanel({ surveyId, results, canTag }: { surveyId: string; results: SurveyResults; canTag: boolean }) {
  const { t } = useTranslation();
  const answers = useSurveyResponses(surveyId);
  const m = useSurveyMutations();
  const offered = [...new Set([...results.themes.map((x) => x.tag), ...results.suggestedTags.map((w) => w.word)])];
  return (
    <Stack gap="xs" data-testid="survey-themes">
      <Text size="sm" fw={600}>{t('surveys.themes')}</Text>
      <Group gap={6}>
        {results.themes.length ? results.themes.map((x) => <Badge key={x.tag} variant="light">{x.tag}: {x.count}</Badge>) : <Text size="sm" c="dimmed">{t('surveys.noThemes')}</Text>}
      </Group>
      {results.suggestedTags.length ? <Text size="xs" c="dimmed">{t('surveys.suggested')}: {results.suggestedTags.map((w) => `${w.word} (${w.count})`).join(', ')}</Text> : null}
      <Table.ScrollContainer minWidth={560}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('surveys.score')}</Table.Th>
              <Table.Th>{t('surveys.comment')}</Table.Th>
              <Table.Th>{t('surveys.tags')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(answers.data ?? []).map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.score ?? '—'}</Table.Td>
                <Table.Td>{a.comment}</Table.Td>
                <Table.Td miw={220}>
                  {canTag ? (
                    <TagsInput size="xs" aria-label={t('surveys.tags')} data={offered} defaultValue={a.tags} onChange={(tags) => m.tag.mutate({ id: a.id, tags })} clearable />
                  ) : (
                    a.tags.join(', ') || '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {answers.data && !answers.data.length ? <Text size="sm" c="dimmed">{t('surveys.noComments')}</Text> : null}
    </Stack>
  );
}
