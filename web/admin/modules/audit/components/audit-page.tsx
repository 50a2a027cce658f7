import { Accordion, Badge, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { useAudit } from '../hooks/use-audit';

export function AuditPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [objectType, setObjectType] = useState('');
  const [action, setAction] = useState('');
  const [dt] = useDebouncedValue(objectType, 300);
  const [da] = useDebouncedValue(action, 300);
  const filters = useMemo(() => ({ objectType: dt.trim() || undefined, action: da.trim() || undefined }), [dt, da]);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [filters, reset]);
  const audit = useAudit(filters, pages.cursor);
  const items = audit.data?.items ?? [];
  return (
    <Page title={t('audit.title')}>
      <Group>
        <TextInput label={t('audit.objectType')} placeholder="rule" value={objectType} onChange={(e) => setObjectType(e.currentTarget.value)} />
        <TextInput label={t('audit.action')} placeholder="rule.created" value={action} onChange={(e) => setAction(e.currentTarget.value)} />
      </Group>
      <ErrorAlert error={audit.error} />
      <Stack gap="xs">
        <Accordion variant="separated">
          {items.map((a) => (
            <Accordion.Item key={a.id} value={a.id}>
              <Accordion.Control>
                <Group gap="sm" wrap="wrap">
                  <Text size="sm" c="dimmed">{f.dateTime(a.at)}</Text>
                  <Badge variant="light">{a.action}</Badge>
                  <Text size="sm" className="mono">{a.objectId ?? ''}</Text>
                  <Text size="sm" c="dimmed">{t('audit.by', { type: a.actor.type, id: a.actor.id ?? '' })}</Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <div>
                    <Text size="sm" fw={500}>{t('audit.before')}</Text>
                    <pre className="json">{JSON.stringify(a.before, null, 2)}</pre>
                  </div>
                  <div>
                    <Text size="sm" fw={500}>{t('audit.after')}</Text>
                    <pre className="json">{JSON.stringify(a.after, null, 2)}</pre>
                  </div>
                </SimpleGrid>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
        {!items.length && !audit.isLoading ? <Text c="dimmed">{t('common.noResults')}</Text> : null}
        <CursorPager pages={pages} nextCursor={audit.data?.nextCursor} count={items.length} />
      </Stack>
    </Page>
  );
}
