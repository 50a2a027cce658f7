import { Anchor, Badge, Button, SegmentedControl, Table } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { PagedTable } from '../../ui/components/paged-table';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { useRules } from '../hooks/use-rules';

const STATUS_COLOR = { active: 'teal', draft: 'gray', paused: 'orange' } as const;

export function RulesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const f = useFormat();
  const [status, setStatus] = useState('all');
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [status, reset]);
  const rules = useRules(pages.cursor, status === 'all' ? undefined : status);
  const items = rules.data?.items ?? [];
  return (
    <Page
      title={t('rules.title')}
      actions={
        can('rules:write') ? (
          <Button component={Link} to="/rules/new">
            {t('rules.new')}
          </Button>
        ) : null
      }
    >
      <SegmentedControl
        aria-label={t('rules.status')}
        value={status}
        onChange={setStatus}
        data={['all', 'active', 'draft', 'paused'].map((s) => ({ value: s, label: t(`rules.statuses.${s}`) }))}
        w="fit-content"
      />
      <ErrorAlert error={rules.error} />
      <PagedTable
        columns={[
          { label: t('rules.name') },
          { label: t('rules.eventType') },
          { label: t('rules.status') },
          { label: t('rules.version') },
          { label: t('rules.updatedAt') },
        ]}
        minWidth={640}
        count={items.length}
        loading={rules.isLoading}
        empty={t('rules.none')}
        pages={pages}
        nextCursor={rules.data?.nextCursor}
      >
        {items.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>
              <Anchor component={Link} to={`/rules/${r.id}`}>
                {r.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{r.eventType}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={STATUS_COLOR[r.status]}>
                {t(`rules.statuses.${r.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>v{r.version}</Table.Td>
            <Table.Td>{f.dateTime(r.updatedAt)}</Table.Td>
          </Table.Tr>
        ))}
      </PagedTable>
    </Page>
  );
}
